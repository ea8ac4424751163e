"""The transactional outbox: one row per event, written in the transaction of its change."""

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
