"""Reads on returns, already filtered to what the caller may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Prefetch, QuerySet, Sum

from config.errors import NotFound
from customers.models import Customer
from orders.models import Order, ShipmentItem, ShipmentStatus
from orders.models_returns import RELEASED_STATUSES, WAITING_FIRST, Return, ReturnEvent, ReturnItem


def order_delivered_quantities(*, order: Order) -> dict[int, int]:
    """Delivered units per order item (by primary key), in one query."""
    rows = (
        ShipmentItem.objects.filter(shipment__order=order, shipment__status=ShipmentStatus.DELIVERED)
        .values("order_item_id")
        .annotate(quantity=Sum("quantity"))
    )
    return {row["order_item_id"]: row["quantity"] for row in rows}


def order_claimed_quantities(*, order: Order) -> dict[int, int]:
    """Units per order item that returns still claim (every return not rejected or cancelled)."""
    rows = (
        ReturnItem.objects.filter(return_request__order=order)
        .exclude(return_request__status__in=RELEASED_STATUSES)
        .values("order_item_id")
        .annotate(quantity=Sum("quantity"))
    )
    return {row["order_item_id"]: row["quantity"] for row in rows}


def order_returnable_quantities(*, order: Order) -> dict[int, int]:
    """Units per order item a new return may still claim: delivered minus claimed."""
    delivered = order_delivered_quantities(order=order)
    claimed = order_claimed_quantities(order=order)
    return {pk: max(quantity - claimed.get(pk, 0), 0) for pk, quantity in delivered.items()}


def _list_queryset() -> QuerySet[Return]:
    return Return.objects.select_related("order", "customer", "refund", "replacement_order").prefetch_related(
        Prefetch("items", queryset=ReturnItem.objects.select_related("order_item"))
    )


def _detail_queryset() -> QuerySet[Return]:
    return _list_queryset().prefetch_related(
        Prefetch("history", queryset=ReturnEvent.objects.order_by("created_at", "id"))
    )


@dataclass
class ReturnFilters:
    status: str | None = None
    order_number: str | None = None
    customer_id: str | None = None
    from_date: date | None = None
    to_date: date | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _apply_filters(queryset: QuerySet[Return], filters: ReturnFilters) -> QuerySet[Return]:
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.order_number:
        queryset = queryset.filter(order__number=filters.order_number)
    if filters.customer_id:
        queryset = queryset.filter(customer__public_id=filters.customer_id)
    if filters.from_date:
        queryset = queryset.filter(created_at__gte=_day_start(filters.from_date))
    if filters.to_date:
        queryset = queryset.filter(created_at__lt=_day_start(filters.to_date + timedelta(days=1)))
    return queryset


def return_list_for_customer(*, customer: Customer, filters: ReturnFilters | None = None) -> QuerySet[Return]:
    """A customer's own returns across orders, newest first."""
    queryset = _apply_filters(_list_queryset().filter(customer=customer), filters or ReturnFilters())
    return queryset.order_by("-created_at", "-id")


def return_list(*, filters: ReturnFilters | None = None) -> QuerySet[Return]:
    """All returns, the work queue first: requested ones oldest first, then the rest oldest first."""
    queryset = _apply_filters(_list_queryset(), filters or ReturnFilters())
    return queryset.annotate(_waiting=WAITING_FIRST).order_by("_waiting", "created_at", "id")


def return_get_for_order(*, number: str, return_id: str, customer: Customer | None = None) -> Return:
    """One return of an order; for a customer only their own (another's is 404)."""
    queryset = _detail_queryset().filter(order__number=number, public_id=return_id)
    if customer is not None:
        queryset = queryset.filter(customer=customer)
    found = queryset.first()
    if found is None:
        raise NotFound("No such return on this order.")
    return found


def return_get(*, public_id: str) -> Return:
    """One return by its id (staff)."""
    found = _detail_queryset().filter(public_id=public_id).first()
    if found is None:
        raise NotFound("No such return.")
    return found


def return_export_for_customer(customer: Customer) -> list[dict]:
    """The customer's returns as plain data, for the GDPR export."""
    returns = (
        _detail_queryset().filter(customer=customer).order_by("created_at", "id").select_related("order")
    )
    return [
        {
            "id": found.public_id,
            "order_number": found.order.number,
            "status": found.status,
            "refund_amount": str(found.refund_amount),
            "currency": found.currency,
            "pickup_address": found.pickup_address,
            "created_at": found.created_at.isoformat(),
            "items": [
                {
                    "sku": line.order_item.sku,
                    "quantity": line.quantity,
                    "resolution": line.resolution,
                    "return_reason": line.reason,
                    "comment": line.comment,
                }
                for line in found.items.all()
            ],
            "history": [
                {"status": event.status, "note": event.note, "created_at": event.created_at.isoformat()}
                for event in found.history.all()
            ],
        }
        for found in returns
    ]
