"""Analytics equal figures computed by hand on the `history` fixture.

The fixture (net 30, limit 10,000.00, customer for 400 days), products A = 100.00, B = 50.00:
  O1 -200d on account A×2 = 200.00, paid at -190d (10 days, on time)
  O2 -100d on account B×4 + A×1 = 300.00, paid at -50d (50 days, late)
  O3  -60d on account A×1 = 100.00, open and overdue (60 > 30 days)
  O4  -10d on account B×2 = 100.00, open, not yet due
  O5   -5d card A×1 = 100.00, paid
  O6  -20d on account B×1 = 50.00, cancelled (counts nowhere)
"""

from datetime import timedelta
from decimal import Decimal

import pytest

from config.errors import ValidationFailed
from orders.analytics import customer_analytics, customer_order_totals

pytestmark = pytest.mark.django_db


def test_analytics_all_time_equal_hand_computed_figures(history, now):
    # given the fixture, when the analytics for all time are read
    customer = history["customer"]
    result = customer_analytics(customer=customer, period="all", now=now)
    # then every figure is the hand-computed one
    assert result["customer"] == {"id": customer.public_id, "name": "Fixture Ltd"}
    assert result["overview"] == {
        "lifetime_value": Decimal("800.00"),
        "total_orders": 5,
        "avg_order_value": Decimal("160.00"),
        "last_order_date": now - timedelta(days=5),
        "customer_since": (now - timedelta(days=400)).date(),
        "days_since_last_order": 5,
    }
    assert result["financial_summary"] == {
        "total_revenue": Decimal("800.00"),
        "current_balance": Decimal("200.00"),
        "credit_limit": Decimal("10000.00"),
        "credit_utilization": Decimal("2.00"),
        "avg_payment_days": Decimal("30.0"),
        "overdue_balance": Decimal("100.00"),
    }
    a, b = history["products"]
    assert result["top_products"] == [
        {"product_id": a.public_id, "product_name": "Amber Candle", "quantity_ordered": 5, "revenue": Decimal("500.00")},
        {"product_id": b.public_id, "product_name": "Birch Diffuser", "quantity_ordered": 6, "revenue": Decimal("300.00")},
    ]  # fmt: skip
    # occasional: not new (400 days), ordered 5 days ago, lifetime 800 < 10,000, 5 orders < 6 a year
    assert result["customer_segment"] == "occasional"
    # risk: utilization 2 % × 0.4 = 0.8, overdue 100 / 200 × 30 = 15, late 30.0 − 30 = 0 → 15.8
    assert result["risk_score"] == 16


def test_analytics_monthly_history_groups_orders_by_calendar_month(history, now):
    # given the fixture's spending orders at -200, -100, -60, -10 and -5 days
    expected: dict[str, list[Decimal]] = {}
    for days, total in ((200, "200.00"), (100, "300.00"), (60, "100.00"), (10, "100.00"), (5, "100.00")):
        expected.setdefault((now - timedelta(days=days)).strftime("%Y-%m"), []).append(Decimal(total))
    # when the analytics are read
    history_rows = customer_analytics(customer=history["customer"], period="all", now=now)["order_history"]
    # then there is one row per month, oldest first, with its count, revenue and average
    assert history_rows == [
        {
            "month": month,
            "orders": len(totals),
            "revenue": sum(totals),
            "avg_order_value": (sum(totals) / len(totals)).quantize(Decimal("0.01")),
        }
        for month, totals in sorted(expected.items())
    ]


def test_analytics_period_90d_counts_only_orders_of_the_period(history, now):
    # when the analytics cover the last 90 days (O3, O4, O5)
    result = customer_analytics(customer=history["customer"], period="90d", now=now)
    # then the period figures shrink, the lifetime figures stay
    assert result["overview"]["total_orders"] == 3
    assert result["overview"]["avg_order_value"] == Decimal("100.00")
    assert result["overview"]["lifetime_value"] == Decimal("800.00")
    assert result["financial_summary"]["total_revenue"] == Decimal("300.00")
    # no on-account order placed in the period has been paid yet
    assert result["financial_summary"]["avg_payment_days"] is None
    assert [p["quantity_ordered"] for p in result["top_products"]] == [2, 2]


def test_analytics_unknown_period_is_a_validation_error(history):
    with pytest.raises(ValidationFailed):
        customer_analytics(customer=history["customer"], period="2w")


def test_customer_order_totals_answers_for_many_customers_in_one_query(history, django_assert_num_queries):
    # given the fixture's customer and one without orders
    from tests.business.factories import business_customer

    empty = business_customer()
    # when the totals are read for both, then it takes one query
    with django_assert_num_queries(1):
        totals = customer_order_totals([history["customer"], empty])
    assert totals[history["customer"].pk] == {"lifetime_value": Decimal("800.00"), "total_orders": 5}
    assert totals[empty.pk] == {"lifetime_value": Decimal("0.00"), "total_orders": 0}


def test_segment_rules_new_dormant_vip_and_inactive(db, now, settings):
    from orders.analytics import AccountFigures, customer_segment
    from tests.business.factories import business_customer

    def figures(**kwargs):
        base = {
            "lifetime_value": Decimal("0"), "last_order_at": now, "period_orders": 0, "period_revenue": Decimal("0"),
            "period_avg_order_value": Decimal("0"), "orders_last_year": 0, "revenue_last_year": Decimal("0"),
            "settled_orders": 0, "on_time_orders": 0, "avg_payment_days": None, "overdue_balance": Decimal("0"),
            "terms_days": 30,
        }  # fmt: skip
        return AccountFigures(**{**base, **kwargs})

    old = business_customer(customer_since=(now - timedelta(days=365)).date())
    young = business_customer(customer_since=(now - timedelta(days=30)).date())
    off = business_customer(is_active=False)
    assert customer_segment(customer=young, figures=figures(), now=now) == "new"
    assert customer_segment(customer=off, figures=figures(), now=now) == "inactive"
    stale = figures(last_order_at=now - timedelta(days=181))
    assert customer_segment(customer=old, figures=stale, now=now) == "dormant"
    settings.ANALYTICS_VIP_LIFETIME_VALUE = 5000
    assert customer_segment(customer=old, figures=figures(lifetime_value=Decimal("5000")), now=now) == "vip"
    assert customer_segment(customer=old, figures=figures(orders_last_year=6), now=now) == "loyal"
