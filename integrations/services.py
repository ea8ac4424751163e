"""Recording events. Every domain service that causes a contract event calls `record_event`
inside its own transaction, so the event exists if and only if the change committed."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q

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


def events_data_rewrite(
    *, customer_id: str, types: Iterable[str], rewrite: Callable[[dict[str, Any]], dict[str, Any]]
) -> int:
    """Rewrite the stored `data` of the events of `types` about one customer; returns how many.

    An event is about the customer when its `data["id"]` or `data["customer_id"]` is the customer's
    public id. GDPR erasure uses it: each app scrubs the personal values of its own payloads, in the
    erasure's transaction, so the outbox keeps no copy of what the erasure removed elsewhere.
    """
    events = list(
        Event.objects.select_for_update()
        .filter(type__in=list(types))
        .filter(Q(data__id=customer_id) | Q(data__customer_id=customer_id))
        .order_by("pk")
    )
    for event in events:
        event.data = json.loads(json.dumps(rewrite(event.data), cls=DjangoJSONEncoder))
    Event.objects.bulk_update(events, ["data"], batch_size=500)
    return len(events)
