"""The returns demo: Jane has one requested and one refunded return, idempotently."""

import pytest

from orders import demo
from orders.models import Order, OrderStatus
from orders.models_returns import Return, ReturnStatus
from tests.orders.test_demo import Report

pytestmark = pytest.mark.django_db


def test_seed_gives_jane_a_requested_and_a_refunded_return_once():
    demo.seed(Report())
    demo.seed(Report())
    returns = Return.objects.filter(customer__email=demo.JANE_EMAIL)
    assert sorted(returns.values_list("status", flat=True)) == [ReturnStatus.REFUNDED, ReturnStatus.REQUESTED]
    refunded = returns.get(status=ReturnStatus.REFUNDED)
    assert refunded.refund is not None and refunded.history.count() == 4
    order = Order.objects.get(number="MNKY-0901")
    assert order.status == OrderStatus.PARTIALLY_REFUNDED
    assert order.is_return_allowed
