from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.services import order_cancel, order_create
from tests.business.factories import account_order, business_customer, pay
from tests.conftest import bearer_client
from tests.orders.factories import ADDRESS, ProductFactory


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def business(db):
    return business_customer(company_name="Customer XYZ")


@pytest.fixture
def finance_client(db):
    from tests.business.factories import finance_user

    return bearer_client(finance_user())


@pytest.fixture
def history(db, now):
    """The hand-computed fixture of the analytics tests (see test_analytics.py for the figures)."""
    customer = business_customer(
        company_name="Fixture Ltd", customer_since=(now - timedelta(days=400)).date()
    )
    a = ProductFactory(sku="A", name="Amber Candle", price=Decimal("100.00"))
    b = ProductFactory(sku="B", name="Birch Diffuser", price=Decimal("50.00"))
    o1 = account_order(customer, [(a, 2)], placed_at=now - timedelta(days=200))
    pay(o1, at=now - timedelta(days=190))
    o2 = account_order(customer, [(b, 4), (a, 1)], placed_at=now - timedelta(days=100))
    pay(o2, at=now - timedelta(days=50))
    o3 = account_order(customer, [(a, 1)], placed_at=now - timedelta(days=60))
    o4 = account_order(customer, [(b, 2)], placed_at=now - timedelta(days=10))
    o5 = order_create(
        customer=customer,
        items=[{"sku": "A", "quantity": 1}],
        shipping_address=dict(ADDRESS),
        payment={"method": "card", "status": "succeeded"},
        placed_at=now - timedelta(days=5),
    )
    o6 = account_order(customer, [(b, 1)], placed_at=now - timedelta(days=20))
    order_cancel(order=o6, reason="Ordered twice")
    customer.refresh_from_db()
    return {"customer": customer, "orders": [o1, o2, o3, o4, o5, o6], "products": (a, b)}
