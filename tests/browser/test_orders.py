"""A customer cancels an order from its page in a real browser."""

import pytest

from orders.models import OrderStatus
from tests.orders.factories import make_order

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.orders.urls")]


def test_customer_cancels_order_from_its_page(login_page, live_server, customer):
    order = make_order(customer)
    page = login_page(customer.user)
    page.goto(f"{live_server.url}/account/orders/")
    page.get_by_role("link", name=order.number).click()
    page.wait_for_selector("#cancel-order")
    page.get_by_label("Why are you cancelling?").fill("Ordered the wrong scent")
    page.get_by_role("button", name="Cancel order").click()
    page.wait_for_selector(".message-success")
    assert "is cancelled" in page.locator(".messages").inner_text()
    assert page.locator("#order-status").inner_text() == "Cancelled"
    assert page.locator("#cancel-order").count() == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.cancellation_reason == "Ordered the wrong scent"
