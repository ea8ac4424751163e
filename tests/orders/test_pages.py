"""The account's order pages: list with filters and pagination, detail with cancel and retry."""

from datetime import UTC, datetime

import pytest

from customers.models import BankAccount
from orders.models import OrderStatus
from orders.services import order_ship
from tests.orders.factories import ProductFactory, make_order

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.orders.urls")]


@pytest.fixture
def logged_in(client, customer):
    client.force_login(customer.user)
    return client


def test_order_list_page_requires_login(client):
    response = client.get("/account/orders/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_order_list_page_shows_own_orders_only(logged_in, customer, other_customer):
    mine = make_order(customer)
    theirs = make_order(other_customer)
    response = logged_in.get("/account/orders/")
    assert response.status_code == 200
    content = response.content.decode()
    assert mine.number in content
    assert theirs.number not in content


def test_order_list_page_filters_by_status_and_date(logged_in, customer):
    paid = make_order(customer, placed_at=datetime(2026, 3, 1, tzinfo=UTC))
    failed = make_order(customer, payment="failed", placed_at=datetime(2026, 3, 5, tzinfo=UTC))
    content = logged_in.get("/account/orders/", {"status": "payment_failed"}).content.decode()
    assert failed.number in content and paid.number not in content
    content = logged_in.get("/account/orders/", {"to_date": "2026-03-02"}).content.decode()
    assert paid.number in content and failed.number not in content


def test_order_list_page_paginates_by_ten(logged_in, customer):
    product = ProductFactory()
    orders = [make_order(customer, products=[product]) for _ in range(12)]
    first = logged_in.get("/account/orders/").content.decode()
    second = logged_in.get("/account/orders/", {"page": 2}).content.decode()
    assert orders[-1].number in first and orders[0].number not in first
    assert orders[0].number in second
    assert "Page 2 of 2" in second


def test_order_list_page_query_count_is_constant(logged_in, customer, django_assert_max_num_queries):
    product = ProductFactory()
    make_order(customer, products=[product])
    with django_assert_max_num_queries(12) as one:
        logged_in.get("/account/orders/")
    for _ in range(20):
        make_order(customer, products=[product])
    with django_assert_max_num_queries(len(one.captured_queries)):
        logged_in.get("/account/orders/")


def test_order_detail_page_of_another_customer_is_404(logged_in, other_customer):
    order = make_order(other_customer)
    assert logged_in.get(f"/account/orders/{order.number}/").status_code == 404


def test_order_detail_page_cancels_the_order(logged_in, customer):
    order = make_order(customer)
    page = logged_in.get(f"/account/orders/{order.number}/")
    assert b"Cancel order" in page.content
    response = logged_in.post(
        f"/account/orders/{order.number}/",
        {
            "action": "cancel",
            "cancellation_reason": "Changed my mind",
            "refund_mode": "original_payment_mode",
        },
        follow=True,
    )
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert b"is cancelled" in response.content
    assert b"Cancel order" not in response.content


def test_order_detail_page_bank_transfer_without_account_shows_error(logged_in, customer):
    order = make_order(customer)
    response = logged_in.post(
        f"/account/orders/{order.number}/",
        {"action": "cancel", "cancellation_reason": "x", "refund_mode": "bank_transfer"},
    )
    assert response.status_code == 400
    assert b"bank account is required" in response.content
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_order_detail_page_bank_transfer_to_own_account(logged_in, customer):
    account = BankAccount.objects.create(customer=customer, holder_name="Me", iban="DE89370400440532013000")
    order = make_order(customer)
    logged_in.post(
        f"/account/orders/{order.number}/",
        {
            "action": "cancel",
            "cancellation_reason": "x",
            "refund_mode": "bank_transfer",
            "bank_account": account.public_id,
        },
    )
    assert order.refunds.get().bank_account == account


def test_order_detail_page_cancel_after_shipment_shows_conflict(logged_in, customer):
    order = make_order(customer)
    order_ship(order=order, courier="DHL", tracking_number="T")
    response = logged_in.post(
        f"/account/orders/{order.number}/", {"action": "cancel", "cancellation_reason": "late"}
    )
    assert response.status_code == 409
    assert b"only orders that have not shipped" in response.content


def test_order_detail_page_retries_payment(logged_in, customer):
    order = make_order(customer, payment="failed")
    page = logged_in.get(f"/account/orders/{order.number}/")
    assert b"Retry payment" in page.content
    declined = logged_in.post(
        f"/account/orders/{order.number}/", {"action": "retry", "payment_token": "tok_decline"}, follow=True
    )
    assert b"did not go through" in declined.content
    logged_in.post(f"/account/orders/{order.number}/", {"action": "retry", "payment_token": "tok_visa"})
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
