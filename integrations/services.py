"""Recording events. Every domain service that causes a contract event calls `record_event`
inside its own transaction, so the event exists if and only if the change committed."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from integrations.events import EVENT_TYPES
from integrations.models import Event


def record_event(event_type: str, data: dict[str, Any]) -> Event:
    """Write one outbox row for `event_type` with `data` (the resource as its API route shows it).

    Must run inside the caller's transaction (an `atomic` block); outside one it would commit on
    its own and could describe a change that then fails, so that is refused.
    """
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must be called inside the transaction of the change it describes")
    # Round-trip through JSON so Decimals, dates and UUIDs are stored as the API shows them.
    payload = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return Event.objects.create(type=event_type, data=payload)
