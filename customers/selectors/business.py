"""Reads for the staff customer API: the filtered list, order totals and analytics.

Order-derived figures come from `customers.registry` (filled by `orders`), so customers never
imports orders; each registered selector answers for a whole page at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from config.errors import ValidationFailed
from customers import registry
from customers.models import Address, Contact, CreditCheck, Customer

CUSTOMER_SORTS = {
    "created_at": ("created_at", "id"),
    "-created_at": ("-created_at", "-id"),
    "email": (Lower("email"), "id"),
    "-email": (Lower("email").desc(), "-id"),
    "company_name": (Lower("company_name"), "id"),
    "-company_name": (Lower("company_name").desc(), "-id"),
    "last_name": (Lower("last_name"), "id"),
    "-last_name": (Lower("last_name").desc(), "-id"),
}


@dataclass
class CustomerFilters:
    is_active: bool | None = None
    kind: str | None = None
    search: str = ""
    created_from: date | None = None
    created_to: date | None = None
    sort: str = "-created_at"
    extra: dict[str, Any] | None = None  # registered filters, e.g. loyalty's membership_tier


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def customer_search_q(term: str) -> Q:
    """Name, company, email or phone. Uses the trigram indexes on PostgreSQL (migration
    `0005_business_search`); an exact email hits the unique `Lower(email)` index everywhere."""
    term = term.strip()
    query = (
        Q(email__icontains=term)
        | Q(company_name__icontains=term)
        | Q(first_name__icontains=term)
        | Q(last_name__icontains=term)
    )
    digits = "".join(ch for ch in term if ch.isdigit() or ch == "+")
    if len(digits) >= 4:
        query |= Q(phone_number__contains=digits)
    parts = term.split()
    if len(parts) >= 2:
        query |= Q(first_name__icontains=parts[0], last_name__icontains=" ".join(parts[1:]))
    return query


def customer_list(*, filters: CustomerFilters) -> QuerySet[Customer]:
    """Customers for staff, filtered and sorted, with contacts and default addresses prefetched."""
    queryset = Customer.objects.filter(erased_at__isnull=True)
    if filters.is_active is not None:
        queryset = queryset.filter(is_active=filters.is_active)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.search.strip():
        queryset = queryset.filter(customer_search_q(filters.search))
    if filters.created_from:
        queryset = queryset.filter(created_at__gte=_day_start(filters.created_from))
    if filters.created_to:
        queryset = queryset.filter(created_at__lt=_day_start(filters.created_to + timedelta(days=1)))
    registered = registry.customer_filters()
    for name, value in (filters.extra or {}).items():
        if value not in (None, "") and name in registered:
            queryset = registered[name](queryset, value)
    annotate = registry.customer_order_totals_annotate()
    if annotate is not None:
        queryset = annotate(queryset)
    return with_related(queryset).order_by(*CUSTOMER_SORTS.get(filters.sort, CUSTOMER_SORTS["-created_at"]))


def with_related(queryset: QuerySet[Customer]) -> QuerySet[Customer]:
    return queryset.prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.order_by("-is_primary", "name", "id")),
        Prefetch(
            "addresses",
            queryset=Address.objects.filter(Q(is_default_billing=True) | Q(is_default_shipping=True)),
            to_attr="default_addresses",
        ),
    )


def customer_order_totals(customers: list[Customer]) -> dict[int, dict[str, Any]]:
    """`lifetime_value` and `total_orders` per customer from the registered selector (one query,
    none when the list's query carried them: `customer_list` applies the registered annotation)."""
    selector = registry.customer_order_totals()
    if selector is None or not customers:
        return {c.pk: {"lifetime_value": Decimal("0.00"), "total_orders": 0} for c in customers}
    return selector(customers)


def customer_analytics(*, customer: Customer, period: str = "all") -> dict[str, Any]:
    """The analytics document; 400 when no app provides analytics or the period is unknown."""
    selector = registry.customer_analytics()
    if selector is None:
        raise ValidationFailed("Analytics need the orders app.")
    return selector(customer=customer, period=period)


def credit_check_list_for_customer(*, customer: Customer) -> QuerySet[CreditCheck]:
    return CreditCheck.objects.filter(customer=customer).select_related("requested_by", "decided_by")
