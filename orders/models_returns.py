"""Returns: a customer's request to send delivered items back, decided by staff.

State machine (one service per transition in `orders.services_returns`):
`requested → approved | rejected | cancelled` (cancelled by the customer),
`approved → received → refunded | replaced`. Every transition appends a `ReturnEvent`, the
history the customer reads.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When

from config.fields import MoneyField, PublicIdField


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    RECEIVED = "received", "Received"
    REFUNDED = "refunded", "Refunded"
    REPLACED = "replaced", "Replaced"
    CANCELLED = "cancelled", "Cancelled"


class ReturnResolution(models.TextChoices):
    REFUND = "refund", "Refund"
    REPLACEMENT = "replacement", "Replacement"


class ReturnReason(models.TextChoices):
    DAMAGED = "damaged", "Damaged"
    WRONG_ITEM = "wrong_item", "Wrong item"
    NOT_AS_DESCRIBED = "not_as_described", "Not as described"
    CHANGED_MIND = "changed_mind", "Changed my mind"
    OTHER = "other", "Other"


# Returns in these states no longer claim their quantities.
RELEASED_STATUSES = (ReturnStatus.REJECTED, ReturnStatus.CANCELLED)

# 0 for returns waiting for a decision: the staff work queue sorts on it (an index covers it).
WAITING_FIRST = Case(
    When(status=ReturnStatus.REQUESTED, then=Value(0)), default=Value(1), output_field=IntegerField()
)


class Return(models.Model):
    """A return request on one order: items, resolution, and who decided what when."""

    public_id = PublicIdField(prefix="ret")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="returns")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED)
    refund_amount = MoneyField(
        default=Decimal("0.00"), help_text="What the refund items paid, order discounts prorated."
    )
    currency = models.CharField(max_length=3, default="USD")
    pickup_address = models.JSONField(default=dict, blank=True, help_text="Snapshot of the pickup address.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    refund = models.ForeignKey(
        "orders.Refund", on_delete=models.SET_NULL, null=True, blank=True, related_name="returns"
    )
    replacement_order = models.ForeignKey(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="replacement_for"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        permissions = [("approve_return", "Can approve, reject and receive returns")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReturnStatus.values), name="orders_return_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(refund_amount__gte=0), name="orders_return_refund_amount_gte_0"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ReturnStatus.APPROVED, ReturnStatus.REJECTED])
                | Q(decided_at__isnull=False),
                name="orders_return_decided_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ReturnStatus.RECEIVED, ReturnStatus.REFUNDED, ReturnStatus.REPLACED])
                | Q(received_at__isnull=False),
                name="orders_return_received_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="orders_return_status_created"),
            models.Index(fields=["customer", "-created_at"], name="orders_return_cust_created"),
            models.Index(fields=["order", "created_at"], name="orders_return_order_created"),
            models.Index(fields=["created_at"], name="orders_return_created"),
            models.Index(WAITING_FIRST, F("created_at"), F("id"), name="orders_return_queue"),
        ]

    def __str__(self):
        return self.public_id

    def can_cancel(self) -> bool:
        return self.status == ReturnStatus.REQUESTED

    def can_approve(self) -> bool:
        return self.status == ReturnStatus.REQUESTED

    def can_reject(self) -> bool:
        return self.status == ReturnStatus.REQUESTED

    def can_receive(self) -> bool:
        return self.status == ReturnStatus.APPROVED


class ReturnItem(models.Model):
    """How many of one order item a return sends back, why, and what the customer wants."""

    return_request = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="items")
    order_item = models.ForeignKey("orders.OrderItem", on_delete=models.PROTECT, related_name="return_items")
    quantity = models.PositiveIntegerField()
    resolution = models.CharField(max_length=16, choices=ReturnResolution.choices)
    reason = models.CharField(max_length=24, choices=ReturnReason.choices)
    comment = models.TextField(blank=True)
    value = MoneyField(
        default=Decimal("0.00"), help_text="What these units were paid, order discounts prorated."
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_returnitem_quantity_gt_0"),
            models.CheckConstraint(
                condition=Q(resolution__in=ReturnResolution.values), name="orders_returnitem_resolution_valid"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=ReturnReason.values), name="orders_returnitem_reason_valid"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="orders_returnitem_value_gte_0"),
            models.UniqueConstraint(fields=["return_request", "order_item"], name="orders_returnitem_unique"),
        ]
        indexes = [models.Index(fields=["order_item", "return_request"], name="orders_returnitem_item")]

    def __str__(self):
        return f"{self.quantity} × {self.order_item_id}"


class ReturnEvent(models.Model):
    """One step of a return's history: the status it reached, by whom, when, with an optional note."""

    class Actor(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        STAFF = "staff", "Staff"
        INTEGRATION = "integration", "Integration"

    return_request = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=16, choices=ReturnStatus.choices)
    note = models.TextField(blank=True)
    actor = models.CharField(max_length=16, choices=Actor.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["return_request", "created_at"], name="orders_returnevent_return")]

    def __str__(self):
        return f"{self.return_request_id}: {self.status}"
