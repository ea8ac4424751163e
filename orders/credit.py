"""The default credit-check provider: scores a business customer from our own order history.

`CREDIT_CHECK_PROVIDER` (a dotted path) chooses the provider; any class with
`assess(*, customer) -> CreditAssessment` (see `customers.services.business`) will do, e.g. one
that calls a credit bureau. This one lives in `orders` because it reads orders data.

The formula. Six factors, each scaled to 0..1 (1 is best), are weighted and mapped onto 300..850:

    score = 300 + round(550 × Σ weight × factor)

| factor | weight | value |
|---|---|---|
| payment history | 0.35 | share of settled on-account orders paid within the payment terms (0.5 with no history) |
| days to pay | 0.10 | 1 when the average days to pay are within the terms, falling linearly to 0 at terms + 60 days (0.5 with no history) |
| utilization | 0.20 | 1 − balance / limit (0 when there is a balance and no limit, 1 with neither) |
| overdue balance | 0.20 | 1 − overdue / open balance (1 when nothing is open) |
| order frequency | 0.10 | orders in the last 365 days / 12, at most 1 |
| account age | 0.05 | days as a customer / 730, at most 1 |

Rating bands: 800+ `excellent`, 740+ `good`, 670+ `fair`, 580+ `poor`, below `very_poor`; the
risk assessment is `low` for excellent and good, `medium` for fair, `high` below.

Recommended limit: the average monthly revenue of the last 365 days times the months of
purchases the rating allows (excellent 3, good 2, fair 1.5, poor 1, very poor 0.5), rounded down
to a multiple of 500. With no orders in the last year there is nothing to base a new limit on, so
the recommendation is the current limit.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.utils import timezone

from customers.models import CreditCheck, Customer
from customers.services.business import CreditAssessment
from orders.analytics import account_figures

WEIGHTS = {
    "payment_history": Decimal("0.35"),
    "days_to_pay": Decimal("0.10"),
    "utilization": Decimal("0.20"),
    "overdue": Decimal("0.20"),
    "order_frequency": Decimal("0.10"),
    "account_age": Decimal("0.05"),
}
BANDS = [
    (800, CreditCheck.Rating.EXCELLENT),
    (740, CreditCheck.Rating.GOOD),
    (670, CreditCheck.Rating.FAIR),
    (580, CreditCheck.Rating.POOR),
    (300, CreditCheck.Rating.VERY_POOR),
]
RISK = {
    CreditCheck.Rating.EXCELLENT: CreditCheck.Risk.LOW,
    CreditCheck.Rating.GOOD: CreditCheck.Risk.LOW,
    CreditCheck.Rating.FAIR: CreditCheck.Risk.MEDIUM,
    CreditCheck.Rating.POOR: CreditCheck.Risk.HIGH,
    CreditCheck.Rating.VERY_POOR: CreditCheck.Risk.HIGH,
}
MONTHS_OF_PURCHASES = {
    CreditCheck.Rating.EXCELLENT: Decimal("3"),
    CreditCheck.Rating.GOOD: Decimal("2"),
    CreditCheck.Rating.FAIR: Decimal("1.5"),
    CreditCheck.Rating.POOR: Decimal("1"),
    CreditCheck.Rating.VERY_POOR: Decimal("0.5"),
}
LIMIT_STEP = Decimal("500")
LATE_DAYS_TO_ZERO = Decimal("60")
ONE, HALF, ZERO = Decimal(1), Decimal("0.5"), Decimal(0)


def _clamp(value: Decimal) -> Decimal:
    return min(max(value, ZERO), ONE)


def rating_for(score: int) -> str:
    return next(rating for floor, rating in BANDS if score >= floor)


class OrderHistoryCreditProvider:
    """Scores payment history, days to pay, utilization, overdue balance, frequency and age."""

    name = "order_history"

    def assess(self, *, customer: Customer) -> CreditAssessment:
        now = timezone.now()
        figures = account_figures(customer=customer, now=now)
        factors = {
            "payment_history": (
                Decimal(figures.on_time_orders) / figures.settled_orders if figures.settled_orders else HALF
            ),
            "days_to_pay": (
                HALF
                if figures.avg_payment_days is None
                else _clamp(ONE - (figures.avg_payment_days - figures.terms_days) / LATE_DAYS_TO_ZERO)
            ),
            "utilization": (
                _clamp(ONE - customer.current_balance / customer.credit_limit)
                if customer.credit_limit > 0
                else (ZERO if customer.current_balance > 0 else ONE)
            ),
            "overdue": (
                _clamp(ONE - figures.overdue_balance / customer.current_balance)
                if customer.current_balance > 0
                else ONE
            ),
            "order_frequency": _clamp(Decimal(figures.orders_last_year) / 12),
            "account_age": _clamp(Decimal((now.date() - customer.customer_since).days) / 730),
        }
        factors = {k: _clamp(v) for k, v in factors.items()}
        weighted = sum((WEIGHTS[k] * v for k, v in factors.items()), ZERO)
        score = 300 + int((550 * weighted).quantize(ONE, rounding=ROUND_HALF_UP))
        rating = rating_for(score)
        if figures.orders_last_year:
            monthly = figures.revenue_last_year / 12
            raw = monthly * MONTHS_OF_PURCHASES[rating]
            recommended = (raw / LIMIT_STEP).to_integral_value(rounding=ROUND_DOWN) * LIMIT_STEP
        else:
            recommended = customer.credit_limit
        return CreditAssessment(
            credit_score=score,
            credit_rating=rating,
            risk_assessment=RISK[rating],
            recommended_credit_limit=Decimal(recommended).quantize(Decimal("0.01")),
            factors={
                **{k: str(v.quantize(Decimal("0.001"))) for k, v in factors.items()},
                "settled_orders": figures.settled_orders,
                "on_time_orders": figures.on_time_orders,
                "avg_payment_days": None
                if figures.avg_payment_days is None
                else str(figures.avg_payment_days),
                "overdue_balance": str(figures.overdue_balance),
                "orders_last_year": figures.orders_last_year,
                "revenue_last_year": str(figures.revenue_last_year),
            },
        )
