"""PostgreSQL: credit limits and order numbers hold under concurrent order creation."""

from decimal import Decimal

import pytest

from config.errors import Conflict
from orders.models import Order
from tests.concurrency import run_concurrently
from tests.factories import BusinessCustomerFactory, CustomerFactory
from tests.orders.factories import ProductFactory, make_order

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_on_account_orders_never_exceed_the_credit_limit():
    # given a limit of 100.00 and ten orders of 25.00 each (20.00 + 5.00 shipping) at once
    business = BusinessCustomerFactory(credit_limit=Decimal("100.00"))
    product = ProductFactory(price=Decimal("20.00"))
    results = run_concurrently(10, lambda i: make_order(business, products=[product], on_account=True))
    # then exactly four fit, the other six are refused, and the balance is their sum
    created = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(created) == 4, results
    assert len(refused) == 6
    business.refresh_from_db()
    assert business.current_balance == sum((o.total for o in created), Decimal("0")) == Decimal("100.00")
    assert Order.objects.filter(customer=business).count() == 4


def test_concurrent_order_creation_never_duplicates_a_number():
    customer = CustomerFactory()
    product = ProductFactory()
    results = run_concurrently(12, lambda i: make_order(customer, products=[product]).number)
    assert all(isinstance(r, str) for r in results), results
    assert len(set(results)) == 12
