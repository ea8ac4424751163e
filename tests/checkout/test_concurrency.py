"""PostgreSQL: stock and code limits hold when customers check out at the same moment."""

from decimal import Decimal

import pytest

from config.errors import Conflict
from orders.models import DiscountCode, DiscountRedemption, Order
from orders.services_checkout import checkout
from tests.checkout.factories import DiscountCodeFactory, VariantFactory, ready_cart

# serialized_rollback, as in the loyalty tests: a plain transactional flush re-creates content types
# that the next serialized test would insert again.
from tests.concurrency import run_concurrently
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_customers_checking_out_the_last_unit_get_one_order_and_one_409():
    last = VariantFactory(stock=1)
    other = VariantFactory(stock=10)
    customers = [CustomerFactory(), CustomerFactory()]
    # opposite line orders in the two carts: the pk lock order prevents a deadlock
    ready_cart(customers[0], [(last, 1), (other, 1)])
    ready_cart(customers[1], [(other, 1), (last, 1)])
    results = run_concurrently(
        2, lambda i: checkout(customer=customers[i], payment_method="card", payment_token="t")
    )
    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(orders) == 1 and len(refused) == 1, results
    assert any(key.startswith("items.") for key in refused[0].details)
    last.refresh_from_db()
    other.refresh_from_db()
    assert (last.stock, other.stock) == (0, 9)


def test_a_usage_limited_code_gives_exactly_its_limit_of_orders_under_concurrency():
    code = DiscountCodeFactory(code="FIRST3", usage_limit=3, kind="fixed", value=Decimal("5"))
    variant = VariantFactory(stock=100)
    customers = [CustomerFactory() for _ in range(8)]
    from orders.services_cart import cart_discount_apply

    for customer in customers:
        ready_cart(customer, [(variant, 1)])
        cart_discount_apply(customer=customer, code="FIRST3")
    results = run_concurrently(
        8, lambda i: checkout(customer=customers[i], payment_method="card", payment_token="t")
    )
    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(orders) == 3 and len(refused) == 5, results
    assert all("discount_codes.FIRST3" in r.details for r in refused)
    assert DiscountCode.objects.get(pk=code.pk).times_used == 3
    assert DiscountRedemption.objects.filter(discount_code=code).count() == 3
    assert all(o.discount_total == Decimal("5.00") for o in orders)


def test_concurrent_replays_of_one_checkout_make_one_order(django_db_blocker):
    from tests.conftest import bearer_client

    customer = CustomerFactory()
    variant = VariantFactory(stock=5)
    ready_cart(customer, [(variant, 1)])
    body = {"payment": {"method": "card"}, "payment_token": "tok_visa"}

    def work(_):
        client = bearer_client(customer.user)
        return client.post(
            "/api/customers/checkout", body, format="json", HTTP_IDEMPOTENCY_KEY="same"
        ).status_code

    statuses = run_concurrently(3, work)
    assert statuses.count(201) >= 1 and set(statuses) <= {201, 409}, statuses
    assert Order.objects.filter(customer=customer).count() == 1
    variant.refresh_from_db()
    assert variant.stock == 4
