"""PostgreSQL: concurrent return requests never claim more than was delivered."""

import pytest
from django.db.models import Sum

from config.errors import ValidationFailed
from orders.models import Order
from orders.models_returns import Return, ReturnItem
from orders.services_returns import return_approve, return_receive
from tests.concurrency import run_concurrently
from tests.factories import CustomerFactory
from tests.returns.factories import delivered_order, line, request_return

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_return_requests_never_claim_more_than_was_delivered():
    # given 3 delivered units of one item, and eight requests for one unit each at the same time
    customer = CustomerFactory()
    order = delivered_order(customer, quantities=(3,), prices=("20.00",))
    results = run_concurrently(8, lambda i: request_return(Order.objects.get(pk=order.pk), line(order, 0)))
    # then exactly three are accepted and the other five are refused for the quantity
    created = [r for r in results if isinstance(r, Return)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(created) == 3, results
    assert len(refused) == 5
    claimed = ReturnItem.objects.filter(return_request__order=order).aggregate(total=Sum("quantity"))["total"]
    assert claimed == 3


def test_concurrent_receives_of_one_return_refund_once():
    customer = CustomerFactory()
    order = delivered_order(customer, quantities=(1,), prices=("20.00",))
    ret = request_return(order, line(order, 0))
    return_approve(return_request=ret)
    results = run_concurrently(4, lambda i: return_receive(return_request=Return.objects.get(pk=ret.pk)))
    assert sum(isinstance(r, Return) for r in results) == 1, results
    order.refresh_from_db()
    assert order.refunds.count() == 1 and order.amount_refunded == order.items.get().total
