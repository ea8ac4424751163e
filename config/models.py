"""Idempotency records: the first answer to a POST with an `Idempotency-Key`, per caller, for 24 h."""

from django.db import models


class IdempotencyRecord(models.Model):
    """One `Idempotency-Key` of one caller: in progress, or completed with its stored answer."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    caller = models.CharField(max_length=64, help_text="`user:<pk>` or `key:<prefix>`.")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["caller", "key"], name="config_idempotencyrecord_caller_key_unique"
            ),
        ]

    def __str__(self):
        return f"{self.caller} {self.key} ({self.status})"
