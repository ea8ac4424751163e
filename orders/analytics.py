"""Order-derived figures about one customer, computed by aggregate queries in the database.

`customers` shows these (staff customer API, analytics route, admin) without importing `orders`:
`OrdersConfig.ready()` registers `customer_order_totals` and `customer_analytics` into
`customers.registry`. The credit-check provider (`orders.credit`) reads `account_figures` too.

What counts:
- Revenue is what an order earned: `total - amount_refunded`, over orders in a spending status
  (paid, processing, shipped, delivered, completed, partially refunded), by `placed_at`.
- An on-account order is *settled* when its open credit (`credit_used`) is back to zero after
  payments; its days to pay run from `placed_at` to its last successful payment. It is *on time*
  when those days are within the customer's payment terms.
- The *overdue balance* is the open credit of on-account orders placed longer ago than the
  payment terms allow.

`customer_analytics` answers in three queries however many orders the customer has: one
aggregate row (overview, financial summary, payment behaviour, overdue balance), one row per
month (`TruncMonth`), and the top products.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from config.errors import ValidationFailed
from customers.models import Customer
from orders.models import Order, OrderItem, OrderStatus, Payment, PaymentMethod, TransactionStatus
from orders.selectors import SPENDING_STATUSES

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
PERIODS: dict[str, int | None] = {"30d": 30, "90d": 90, "1y": 365, "all": None}
TERMS_DAYS = {"due_on_receipt": 0, "net_15": 15, "net_30": 30, "net_60": 60, "net_90": 90}
TOP_PRODUCTS = 5
DORMANT_AFTER_DAYS = 180
NEW_ACCOUNT_DAYS = 90
LOYAL_ORDERS_PER_YEAR = 6

_MONEY = DecimalField(max_digits=14, decimal_places=2)
_REVENUE = ExpressionWrapper(F("total") - F("amount_refunded"), output_field=_MONEY)


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def period_start(period: str, *, now: datetime) -> datetime | None:
    """The start of a named period (`30d`, `90d`, `1y`, `all` → None); another name is 400."""
    if period not in PERIODS:
        raise ValidationFailed.on("period", "One of 30d, 90d, 1y, all.")
    days = PERIODS[period]
    return None if days is None else now - timedelta(days=days)


@dataclass(frozen=True)
class AccountFigures:
    """One aggregate row about a customer's orders (see the module docstring for the definitions)."""

    lifetime_value: Decimal
    last_order_at: datetime | None
    period_orders: int
    period_revenue: Decimal
    period_avg_order_value: Decimal
    orders_last_year: int
    revenue_last_year: Decimal
    settled_orders: int
    on_time_orders: int
    avg_payment_days: Decimal | None
    overdue_balance: Decimal
    terms_days: int


def account_figures(*, customer: Customer, since: datetime | None = None, now: datetime | None = None):
    """Everything the overview, the financial summary and the credit check need, in one query."""
    now = now or timezone.now()
    terms_days = TERMS_DAYS.get(customer.payment_terms, 0)
    settled_at = (
        Payment.objects.filter(order=OuterRef("pk"), status=TransactionStatus.SUCCEEDED)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    spending = Q(status__in=SPENDING_STATUSES)
    in_period = spending & Q(placed_at__gte=since) if since else spending
    last_year = spending & Q(placed_at__gte=now - timedelta(days=365))
    on_account = Q(payment_method=PaymentMethod.ON_ACCOUNT) & ~Q(status=OrderStatus.CANCELLED)
    settled = on_account & Q(credit_used=0, amount_paid__gt=0)
    if since:
        settled &= Q(placed_at__gte=since)
    overdue = on_account & Q(credit_used__gt=0, placed_at__lt=now - timedelta(days=terms_days))
    row = (
        Order.objects.filter(customer=customer)
        .annotate(
            settled_at=Subquery(settled_at),
            days_to_pay=ExpressionWrapper(F("settled_at") - F("placed_at"), output_field=DurationField()),
        )
        .aggregate(
            lifetime_value=Coalesce(Sum(_REVENUE, filter=spending), ZERO, output_field=_MONEY),
            last_order_at=Max("placed_at", filter=spending),
            period_orders=Count("id", filter=in_period),
            period_revenue=Coalesce(Sum(_REVENUE, filter=in_period), ZERO, output_field=_MONEY),
            orders_last_year=Count("id", filter=last_year),
            revenue_last_year=Coalesce(Sum(_REVENUE, filter=last_year), ZERO, output_field=_MONEY),
            settled_orders=Count("id", filter=settled),
            on_time_orders=Count("id", filter=settled & Q(days_to_pay__lte=timedelta(days=terms_days))),
            avg_days_to_pay=Avg("days_to_pay", filter=settled),
            overdue_balance=Coalesce(Sum("credit_used", filter=overdue), ZERO, output_field=_MONEY),
        )
    )
    avg = row["avg_days_to_pay"]
    period_orders = row["period_orders"]
    period_revenue = _money(row["period_revenue"])
    return AccountFigures(
        lifetime_value=_money(row["lifetime_value"]),
        last_order_at=row["last_order_at"],
        period_orders=period_orders,
        period_revenue=period_revenue,
        period_avg_order_value=_money(period_revenue / period_orders) if period_orders else ZERO,
        orders_last_year=row["orders_last_year"],
        revenue_last_year=_money(row["revenue_last_year"]),
        settled_orders=row["settled_orders"],
        on_time_orders=row["on_time_orders"],
        avg_payment_days=(
            None
            if avg is None
            else Decimal(avg.total_seconds() / 86400).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        ),
        overdue_balance=_money(row["overdue_balance"]),
        terms_days=terms_days,
    )


def credit_utilization(customer: Customer) -> Decimal:
    """The open balance as a percentage of the credit limit (100 when there is a balance but no limit)."""
    if customer.credit_limit > 0:
        return (customer.current_balance * 100 / customer.credit_limit).quantize(CENT, rounding=ROUND_HALF_UP)
    return Decimal("100.00") if customer.current_balance > 0 else ZERO


def customer_segment(*, customer: Customer, figures: AccountFigures, now: datetime) -> str:
    """The first rule that matches, in this order:

    `inactive` (the account is switched off) · `new` (customer for fewer than 90 days) ·
    `dormant` (no spending order in 180 days, or none ever) · `vip` (lifetime value at least
    `ANALYTICS_VIP_LIFETIME_VALUE`, default 10,000) · `loyal` (6 or more orders in the last 365
    days) · `occasional` (everyone else).
    """
    if not customer.is_active:
        return "inactive"
    if (now.date() - customer.customer_since).days < NEW_ACCOUNT_DAYS:
        return "new"
    if figures.last_order_at is None or now - figures.last_order_at > timedelta(days=DORMANT_AFTER_DAYS):
        return "dormant"
    if figures.lifetime_value >= Decimal(str(settings.ANALYTICS_VIP_LIFETIME_VALUE)):
        return "vip"
    if figures.orders_last_year >= LOYAL_ORDERS_PER_YEAR:
        return "loyal"
    return "occasional"


def risk_score(*, customer: Customer, figures: AccountFigures, now: datetime) -> int:
    """0 (no risk) to 100, the sum of four parts:

    - credit utilization: 0.4 point per percent used, at most 40;
    - overdue share: the overdue part of the open balance × 30, at most 30;
    - late payment: one point per day the average days to pay exceed the payment terms, at most 20;
    - inactivity: 10 when there has been no spending order in 180 days.
    """
    utilization = min(credit_utilization(customer), Decimal(100))
    score = utilization * Decimal("0.4")
    if customer.current_balance > 0:
        score += min(figures.overdue_balance / customer.current_balance, Decimal(1)) * 30
    if figures.avg_payment_days is not None:
        score += min(max(figures.avg_payment_days - figures.terms_days, Decimal(0)), Decimal(20))
    if figures.last_order_at is None or now - figures.last_order_at > timedelta(days=DORMANT_AFTER_DAYS):
        score += 10
    return int(min(score, Decimal(100)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _spending_in_period(customer: Customer, since: datetime | None):
    queryset = Order.objects.filter(customer=customer, status__in=SPENDING_STATUSES)
    return queryset.filter(placed_at__gte=since) if since else queryset


def monthly_history(*, customer: Customer, since: datetime | None) -> list[dict[str, Any]]:
    """Orders, revenue and average order value per calendar month (UTC), oldest first, one query."""
    rows = (
        _spending_in_period(customer, since)
        .annotate(month=TruncMonth("placed_at", tzinfo=UTC))
        .values("month")
        .annotate(orders=Count("id"), revenue=Sum(_REVENUE), avg_order_value=Avg(_REVENUE))
        .order_by("month")
    )
    return [
        {
            "month": row["month"].strftime("%Y-%m"),
            "orders": row["orders"],
            "revenue": _money(row["revenue"]),
            "avg_order_value": _money(row["avg_order_value"]),
        }
        for row in rows
    ]


def top_products(*, customer: Customer, since: datetime | None, limit: int = TOP_PRODUCTS) -> list[dict]:
    """The products with the most revenue (line totals) in the period, one query."""
    items = OrderItem.objects.filter(order__customer=customer, order__status__in=SPENDING_STATUSES)
    if since:
        items = items.filter(order__placed_at__gte=since)
    rows = (
        items.values("product__public_id", "product__name")
        .annotate(quantity_ordered=Sum("quantity"), revenue=Sum("total"))
        .order_by("-revenue", "-quantity_ordered", "product__name")[:limit]
    )
    return [
        {
            "product_id": row["product__public_id"],
            "product_name": row["product__name"],
            "quantity_ordered": row["quantity_ordered"],
            "revenue": _money(row["revenue"]),
        }
        for row in rows
    ]


def customer_analytics(*, customer: Customer, period: str = "all", now: datetime | None = None) -> dict:
    """The analytics document of `GET /api/customers/{id}/analytics` (three queries).

    `overview.lifetime_value`, `last_order_date` and `days_since_last_order` are all-time;
    `total_orders`, `avg_order_value`, `total_revenue`, `avg_payment_days`, the monthly history and
    the top products cover the period.
    """
    now = now or timezone.now()
    since = period_start(period, now=now)
    figures = account_figures(customer=customer, since=since, now=now)
    last = figures.last_order_at
    return {
        "customer": {"id": customer.public_id, "name": customer.display_name},
        "period": period,
        "currency": customer.currency,
        "overview": {
            "lifetime_value": figures.lifetime_value,
            "total_orders": figures.period_orders,
            "avg_order_value": figures.period_avg_order_value,
            "last_order_date": last,
            "customer_since": customer.customer_since,
            "days_since_last_order": None if last is None else (now - last).days,
        },
        "financial_summary": {
            "total_revenue": figures.period_revenue,
            "current_balance": customer.current_balance,
            "credit_limit": customer.credit_limit,
            "credit_utilization": credit_utilization(customer),
            "avg_payment_days": figures.avg_payment_days,
            "overdue_balance": figures.overdue_balance,
        },
        "order_history": monthly_history(customer=customer, since=since),
        "top_products": top_products(customer=customer, since=since),
        "customer_segment": customer_segment(customer=customer, figures=figures, now=now),
        "risk_score": risk_score(customer=customer, figures=figures, now=now),
    }


def customer_order_totals_annotate(queryset):
    """The same figures as `customer_order_totals`, as two correlated subqueries on a customer
    query: evaluated only for the page's rows (PostgreSQL computes them after the LIMIT), each an
    index range scan on `orders_order_customer_status`."""
    spending = Order.objects.filter(customer_id=OuterRef("pk"), status__in=SPENDING_STATUSES).order_by()
    return queryset.annotate(
        _order_count=Coalesce(
            Subquery(spending.values("customer_id").annotate(n=Count("id")).values("n")[:1]), 0
        ),
        _order_revenue=Subquery(
            spending.values("customer_id").annotate(v=Sum(_REVENUE)).values("v")[:1], output_field=_MONEY
        ),
    )


def customer_order_totals(customers: list[Customer]) -> dict[int, dict[str, Any]]:
    """`lifetime_value` and `total_orders` (all time) for many customers in one aggregate query;
    customers loaded with `customer_order_totals_annotate` already carry them (no query)."""
    totals = {}
    for customer in customers:
        if hasattr(customer, "_order_count"):
            totals[customer.pk] = {
                "lifetime_value": _money(customer._order_revenue),
                "total_orders": customer._order_count,
            }
    ids = [c.pk for c in customers if c.pk not in totals]
    totals.update({pk: {"lifetime_value": ZERO, "total_orders": 0} for pk in ids})
    if not ids:
        return totals
    rows = (
        Order.objects.filter(customer_id__in=ids, status__in=SPENDING_STATUSES)
        .values("customer_id")
        .annotate(total_orders=Count("id"), lifetime_value=Sum(_REVENUE))
        .order_by()
    )
    for row in rows:
        totals[row["customer_id"]] = {
            "lifetime_value": _money(row["lifetime_value"]),
            "total_orders": row["total_orders"],
        }
    return totals
