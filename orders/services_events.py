"""What orders records in the event outbox (`integrations`), and how its payloads are scrubbed.

Each payload is the resource as its own API route answers it, plus `customer_id` where that shape
does not name the customer (receivers link the event to a customer with it, and GDPR erasure finds
the events to scrub by it). Building one costs a small, fixed number of queries (the order's items
with their products), never one per line, so a loop of orders stays linear in orders.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from integrations import events
from integrations.services import events_data_rewrite, record_event
from orders.models import Order, OrderItem, Refund

ORDER_EVENTS = (
    events.ORDER_CREATED,
    events.ORDER_PAID,
    events.ORDER_CANCELLED,
    events.ORDER_SHIPPED,
    events.ORDER_DELIVERED,
)
RETURN_EVENTS = (events.RETURN_REQUESTED, events.RETURN_APPROVED, events.RETURN_REJECTED)


@functools.cache
def _detail_serializer(serializer_class):
    """One instance, built once: a serializer's fields are deep-copied per instance, which was
    most of an event's cost in a bulk ingest. `to_representation` keeps no state on it."""
    return serializer_class()


def order_event_data(order: Order) -> dict[str, Any]:
    """The order as `GET /api/orders/{number}` answers it, with `customer_id`."""
    from orders.serializers import OrderDetailOutputSerializer

    # A copy, so the caller's instance keeps no prefetched items that later code could read stale.
    snapshot = copy.copy(order)
    snapshot._prefetched_objects_cache = {}
    prefetch_related_objects(
        [snapshot], Prefetch("items", queryset=OrderItem.objects.select_related("product"))
    )
    data = dict(_detail_serializer(OrderDetailOutputSerializer).to_representation(snapshot))
    data["customer_id"] = order.customer.public_id
    return data


def order_event_record(*types: str, order: Order) -> None:
    """Record one event per type for the order's current state (one payload, built once)."""
    data = order_event_data(order)
    for event_type in types:
        record_event(event_type, data)


def refund_event_record(*, refund: Refund, order: Order) -> None:
    """`refund.created`: the refund as `GET /api/orders/{number}/refunds` lists it."""
    from orders.serializers import RefundOutputSerializer

    data = dict(RefundOutputSerializer(refund).data)
    data["order_number"] = order.number
    data["customer_id"] = order.customer.public_id
    record_event(events.REFUND_CREATED, data)


def return_event_record(event_type: str, *, return_request) -> None:
    """The return as `GET /api/orders/{number}/returns/{id}` answers it (with its history)."""
    from orders.selectors_returns import return_get
    from orders.serializers_returns import ReturnDetailOutputSerializer

    fresh = return_get(public_id=return_request.public_id)
    record_event(event_type, dict(ReturnDetailOutputSerializer(fresh).data))


# --- GDPR ------------------------------------------------------------------------------------


def _scrub_order(data: dict) -> dict:
    # What the order detail shows once `orders_erase_personal_data` has run.
    return {**data, "billing_address": None, "shipping_address": None}


def _scrub_return(data: dict) -> dict:
    items = [{**item, "comment": ""} for item in data.get("items") or []]
    return {**data, "pickup_address": None, "items": items}


def order_events_erase(*, customer_public_id: str) -> None:
    """Scrub the address snapshots from the customer's order events, as from the orders."""
    events_data_rewrite(customer_id=customer_public_id, types=ORDER_EVENTS, rewrite=_scrub_order)


def return_events_erase(*, customer_public_id: str) -> None:
    """Scrub pickup addresses and comments from the customer's return events, as from the returns."""
    events_data_rewrite(customer_id=customer_public_id, types=RETURN_EVENTS, rewrite=_scrub_return)
