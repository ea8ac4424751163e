"""What orders registers into customers: the profile's order_stats, GDPR export and erasure."""

from decimal import Decimal

import pytest

from customers import registry
from orders.services import order_cancel
from tests.orders.factories import make_order

pytestmark = pytest.mark.django_db


def _section(name):
    return next(s for s in registry.profile_sections() if s.name == name)


def test_order_stats_counts_spending_orders_in_one_query(customer, other_customer, django_assert_num_queries):
    make_order(customer)
    make_order(customer, quantity=2)
    make_order(customer, payment="failed")
    cancelled = make_order(customer)
    order_cancel(order=cancelled, reason="x")
    with django_assert_num_queries(1):
        stats = _section("order_stats").selector([customer, other_customer])
    assert stats[customer.pk]["total_orders"] == 2
    assert stats[customer.pk]["total_spent"] == Decimal("70.00")
    assert stats[customer.pk]["average_order_value"] == Decimal("35.00")
    assert stats[customer.pk]["last_order_date"] is not None
    assert stats[other_customer.pk]["total_orders"] == 0


def test_export_and_eraser_are_registered(customer):
    order = make_order(customer)
    exported = registry.export_sections()["orders"](customer)
    assert exported[0]["number"] == order.number
    assert exported[0]["shipping_address"]["line1"] == "1 Main St"
    registry.erasers()["orders"](customer)
    order.refresh_from_db()
    assert order.shipping_address == {}
