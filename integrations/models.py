"""The transactional outbox: one row per event, written in the transaction of its change."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from config.fields import PublicIdField
from integrations.events import EVENT_TYPES


class Event(models.Model):
    """Something that happened, as webhook receivers see it: `{"id", "type", "created_at", "data"}`.

    `data` is the resource as its own API route answers it, built by the caller at the time of the
    change. Rows are append-only; the event's `public_id` is what receivers de-duplicate on.
    """

    public_id = PublicIdField(prefix="evt")
    type = models.CharField(max_length=40, choices=[(t, t) for t in EVENT_TYPES])
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["type", "-created_at"], name="integ_event_type_created")]
        constraints = [
            models.CheckConstraint(condition=Q(type__in=EVENT_TYPES), name="integ_event_type_known"),
        ]

    def __str__(self):
        return f"{self.type} {self.public_id}"

    def envelope(self) -> dict:
        """The body delivered to receivers."""
        return {
            "id": self.public_id,
            "type": self.type,
            "created_at": self.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "data": self.data,
        }


class WebhookEndpoint(models.Model):
    """A receiver URL subscribed to some event types, with its signing secret (encrypted at rest).

    While a rotated secret overlaps (24 h), the previous one is kept too and deliveries carry a
    signature for each. `failure_count` counts failed attempts since the last success and
    `failing_since` is the first of them: after 3 days of failures the endpoint is disabled.
    """

    public_id = PublicIdField(prefix="whk")
    url = models.URLField(max_length=2000)
    events = models.JSONField(default=list, help_text="Event types this endpoint receives.")
    is_active = models.BooleanField(default=True)
    secret_encrypted = models.TextField(editable=False)
    previous_secret_encrypted = models.TextField(blank=True, default="", editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    failure_count = models.PositiveIntegerField(default=0, editable=False)
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The staff user who made it; empty for endpoints made with an API key.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "webhook endpoint"
        indexes = [models.Index(fields=["-created_at", "-id"], name="integ_endpoint_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(previous_secret_encrypted="") | Q(previous_secret_expires_at__isnull=False),
                name="integ_webhookendpoint_previous_secret_expires",
            ),
        ]

    def __str__(self):
        return f"{self.public_id} {self.url}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One event for one endpoint: attempted until a 2xx answer, or for 24 hours.

    `next_attempt_at` is when the sweep may (re)try it; a worker that claims it moves it forward
    by a lease first, so a worker killed mid-delivery leaves it due again, never lost.
    `window_started_at` starts the 24-hour retry window (creation, or a redelivery).
    """

    public_id = PublicIdField(prefix="dlv")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, default="")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    window_started_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        indexes = [
            # the log of one endpoint, newest first
            models.Index(fields=["endpoint", "-created_at", "-id"], name="integ_delivery_log"),
            # the sweep: pending deliveries that are due
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="integ_delivery_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event"], name="integ_delivery_one_per_endpoint_event"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="integ_delivery_status_known"
            ),
            # pending rows always have a time to be tried; finished ones never do
            models.CheckConstraint(
                condition=Q(status="pending", next_attempt_at__isnull=False)
                | (~Q(status="pending") & Q(next_attempt_at__isnull=True)),
                name="integ_delivery_next_attempt_iff_pending",
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False),
                name="integ_delivery_delivered_at",
            ),
        ]

    def __str__(self):
        return f"{self.public_id} ({self.status})"
