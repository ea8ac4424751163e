"""The return form on an order's page and the account's returns page."""

import pytest

from orders.models_returns import Return, ReturnStatus
from orders.services_returns import return_approve
from tests.returns.factories import delivered_order, line, make_address, request_return

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.orders.urls")]


@pytest.fixture
def logged_in(client, customer):
    client.force_login(customer.user)
    return client


@pytest.fixture
def order(customer):
    return delivered_order(customer)


def _form(order, **quantities):
    data = {"resolution": "refund", "return_reason": "damaged", "comment": "Leaking"}
    items = list(order.items.all())
    for index, quantity in quantities.items():
        data[f"quantity_{items[int(index[1:])].public_id}"] = quantity
    return data


def test_order_page_shows_the_return_form_for_a_delivered_order(logged_in, order):
    content = logged_in.get(f"/account/orders/{order.number}/").content.decode()
    assert 'id="return-order"' in content
    assert f"quantity_{order.items.first().public_id}" in content
    assert "up to 2" in content


def test_order_page_hides_the_return_form_when_everything_is_claimed(logged_in, order):
    request_return(order, line(order, 0, quantity=2), line(order, 1))
    content = logged_in.get(f"/account/orders/{order.number}/").content.decode()
    assert 'id="return-order"' not in content


def test_return_form_requests_a_return_and_shows_it_on_the_returns_page(logged_in, order, customer):
    address = make_address(customer)
    response = logged_in.post(
        f"/account/returns/request/{order.number}/",
        {**_form(order, i0=1), "pickup_address": address.public_id},
        follow=True,
    )
    ret = Return.objects.get()
    assert ret.status == ReturnStatus.REQUESTED and ret.items.get().quantity == 1
    assert ret.pickup_address["line1"] == address.line1
    assert ret.history.get().by == customer.user
    content = response.content.decode()
    assert ret.public_id in content and "Requested" in content


def test_return_form_without_quantities_is_400_with_a_message(logged_in, order):
    response = logged_in.post(f"/account/returns/request/{order.number}/", _form(order))
    assert response.status_code == 400
    assert "at least one item" in response.content.decode()
    assert not Return.objects.exists()


def test_return_form_over_the_remaining_quantity_is_refused(logged_in, order):
    response = logged_in.post(f"/account/returns/request/{order.number}/", _form(order, i0=3))
    assert response.status_code == 400
    assert not Return.objects.exists()


def test_return_form_on_another_customers_order_is_404(logged_in, other_customer):
    theirs = delivered_order(other_customer)
    response = logged_in.post(f"/account/returns/request/{theirs.number}/", _form(theirs, i0=1))
    assert response.status_code == 404
    assert not Return.objects.exists()


def test_returns_page_shows_status_and_history_of_own_returns_only(logged_in, order, other_customer):
    mine = request_return(order)
    return_approve(return_request=mine, note="Prepaid label sent")
    theirs_order = delivered_order(other_customer)
    theirs = request_return(theirs_order)
    content = logged_in.get("/account/returns/").content.decode()
    assert mine.public_id in content and theirs.public_id not in content
    assert "Approved" in content and "Prepaid label sent" in content


def test_returns_page_withdraws_a_requested_return(logged_in, order, other_client, other_customer):
    ret = request_return(order)
    logged_in.post(f"/account/returns/{ret.public_id}/cancel/")
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.CANCELLED


def test_returns_page_cannot_withdraw_another_customers_return(logged_in, other_customer):
    theirs = delivered_order(other_customer)
    ret = request_return(theirs)
    assert logged_in.post(f"/account/returns/{ret.public_id}/cancel/").status_code == 404
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.REQUESTED


def test_returns_page_query_count_is_constant(logged_in, customer, django_assert_max_num_queries):
    first = delivered_order(customer)
    request_return(first)
    with django_assert_max_num_queries(20) as one:
        logged_in.get("/account/returns/")
    for _ in range(5):
        more = delivered_order(customer)
        request_return(more, line(more, 0), line(more, 1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        logged_in.get("/account/returns/")


def test_order_page_lists_the_orders_returns_with_their_status(logged_in, order):
    ret = request_return(order)
    content = logged_in.get(f"/account/orders/{order.number}/").content.decode()
    assert 'id="order-returns"' in content and ret.public_id in content and "Requested" in content
