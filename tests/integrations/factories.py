"""Webhook endpoints and events for tests."""

from django.db import transaction

from integrations.events import ORDER_CREATED
from integrations.services import record_event, webhook_endpoint_create


def make_endpoint(url: str = "https://hooks.example.com/mnky", events=(ORDER_CREATED,), **kwargs):
    """An endpoint and its secret (private addresses need settings.WEBHOOK_ALLOW_PRIVATE)."""
    return webhook_endpoint_create(url=url, events=list(events), **kwargs)


def make_event(event_type: str = ORDER_CREATED, data: dict | None = None):
    """An event, committed (its deliveries are created with it)."""
    with transaction.atomic():
        return record_event(event_type, data if data is not None else {"number": "MNKY-1001"})
