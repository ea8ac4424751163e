"""The returns API: contract shapes, owner scoping, staff permissions, transitions and query counts."""

from decimal import Decimal

import pytest

from orders.models_returns import Return, ReturnStatus
from orders.services_returns import return_approve, return_reject
from tests.returns.factories import delivered_order, line, make_address, request_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(customer):
    return delivered_order(customer)


def _body(order, *lines, **extra):
    return {"return_items": list(lines) or [line(order)], **extra}


def _error(response, status, code):
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    return response.json()["error"]


# --- customer routes -------------------------------------------------------------------------


def test_post_returns_creates_a_requested_return_with_the_contract_fields(customer_client, order):
    response = customer_client.post(
        f"/api/orders/{order.number}/returns", _body(order, line(order, 0, quantity=2)), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"].startswith("ret_") and body["order_number"] == order.number
    assert body["status"] == "requested" and body["refund_amount"] == "40.00"
    assert body["items"] == [
        {
            "item_id": order.items.first().public_id,
            "sku": order.items.first().sku,
            "name": order.items.first().name,
            "quantity": 2,
            "resolution": "refund",
            "return_reason": "damaged",
            "comment": "",
            "value": "40.00",
        }
    ]
    assert body["created_at"].endswith("Z")
    assert [h["status"] for h in body["history"]] == ["requested"]


def test_post_returns_ignores_read_only_fields(customer_client, order):
    body = _body(order, status="refunded", refund_amount="999.00")
    response = customer_client.post(f"/api/orders/{order.number}/returns", body, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "requested" and response.json()["refund_amount"] == "20.00"


def test_post_returns_on_another_customers_order_is_404(other_client, order):
    response = other_client.post(f"/api/orders/{order.number}/returns", _body(order), format="json")
    _error(response, 404, "not_found")
    assert not Return.objects.exists()


def test_post_returns_over_the_remaining_quantity_is_400_naming_the_line(customer_client, order):
    response = customer_client.post(
        f"/api/orders/{order.number}/returns", _body(order, line(order, 0, quantity=3)), format="json"
    )
    error = _error(response, 400, "validation_error")
    assert "return_items[0].quantity" in error["details"]


def test_post_returns_with_a_bad_reason_is_400(customer_client, order):
    response = customer_client.post(
        f"/api/orders/{order.number}/returns",
        _body(order, {**line(order), "return_reason": "meh"}),
        format="json",
    )
    _error(response, 400, "validation_error")


def test_post_returns_on_an_undelivered_order_is_409(customer_client, customer):
    from tests.orders.factories import make_order

    order = make_order(customer)
    _error(
        customer_client.post(f"/api/orders/{order.number}/returns", _body(order), format="json"),
        409,
        "conflict",
    )


def test_post_returns_with_another_customers_pickup_address_is_400_naming_it(
    customer_client, order, other_customer, customer
):
    theirs = make_address(other_customer)
    response = customer_client.post(
        f"/api/orders/{order.number}/returns", _body(order, pickup_address_id=theirs.public_id), format="json"
    )
    error = _error(response, 400, "validation_error")
    assert list(error["details"]) == ["pickup_address_id"]
    mine = make_address(customer)
    response = customer_client.post(
        f"/api/orders/{order.number}/returns", _body(order, pickup_address_id=mine.public_id), format="json"
    )
    assert response.status_code == 201 and response.json()["pickup_address"]["line1"] == "1 Pickup Lane"


def test_post_returns_honours_the_idempotency_key(customer_client, order):
    url, body = f"/api/orders/{order.number}/returns", _body(order)
    first = customer_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="ret-1")
    again = customer_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="ret-1")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Return.objects.count() == 1
    changed = customer_client.post(
        url, _body(order, line(order, 1)), format="json", HTTP_IDEMPOTENCY_KEY="ret-1"
    )
    _error(changed, 409, "conflict")


def test_post_returns_is_for_the_owner_only(staff_client, make_key_client, order):
    url = f"/api/orders/{order.number}/returns"
    _error(staff_client.post(url, _body(order), format="json"), 403, "permission_denied")
    _error(make_key_client("orders:write").post(url, _body(order), format="json"), 403, "permission_denied")


def test_get_return_detail_has_history_and_is_404_for_another_customer(customer_client, other_client, order):
    ret = request_return(order)
    return_approve(return_request=ret, note="Label attached")
    url = f"/api/orders/{order.number}/returns/{ret.public_id}"
    body = customer_client.get(url).json()
    assert body["status"] == "approved"
    assert [(h["status"], h["note"]) for h in body["history"]] == [
        ("requested", ""),
        ("approved", "Label attached"),
    ]
    _error(other_client.get(url), 404, "not_found")
    other_order = delivered_order(other_client.user.customer)
    _error(customer_client.get(f"/api/orders/{other_order.number}/returns/{ret.public_id}"), 404, "not_found")


def test_get_return_detail_for_staff_and_keys(make_staff_client, make_key_client, order):
    ret = request_return(order)
    url = f"/api/orders/{order.number}/returns/{ret.public_id}"
    assert make_staff_client("orders.view_return").get(url).status_code == 200
    _error(make_staff_client().get(url), 403, "permission_denied")
    assert make_key_client("orders:read").get(url).status_code == 200
    _error(make_key_client("customers:read").get(url), 403, "permission_denied")


def test_cancel_return_while_requested_then_409(customer_client, other_client, order):
    ret = request_return(order)
    url = f"/api/orders/{order.number}/returns/{ret.public_id}/cancel"
    _error(other_client.post(url), 404, "not_found")
    response = customer_client.post(url)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    _error(customer_client.post(url), 409, "conflict")


def test_customer_returns_list_is_own_newest_first_without_history(customer_client, order, other_customer):
    first = request_return(order, line(order, 0))
    second = request_return(order, line(order, 1))
    request_return(delivered_order(other_customer))
    body = customer_client.get("/api/customers/returns").json()
    assert [r["id"] for r in body["data"]] == [second.public_id, first.public_id]
    assert "history" not in body["data"][0]
    assert body["pagination"]["total"] == 2


def test_customer_returns_list_query_count_is_constant(
    customer_client, customer, django_assert_max_num_queries
):
    order = delivered_order(customer, quantities=(1,), prices=("20.00",))
    request_return(order)
    with django_assert_max_num_queries(8) as one:
        customer_client.get("/api/customers/returns", {"limit": 50})
    for _ in range(10):
        more = delivered_order(customer, quantities=(2, 1))
        request_return(more, line(more, 0), line(more, 1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = customer_client.get("/api/customers/returns", {"limit": 50})
    assert len(response.json()["data"]) == 11


# --- staff routes ----------------------------------------------------------------------------


def test_staff_returns_list_puts_requested_oldest_first_and_filters(staff_client, order, other_customer):
    decided = request_return(order, line(order, 0))
    return_reject(return_request=decided, note="No")
    older = request_return(order, line(order, 1))
    other_order = delivered_order(other_customer)
    newer = request_return(other_order)
    ids = [r["id"] for r in staff_client.get("/api/returns").json()["data"]]
    assert ids == [older.public_id, newer.public_id, decided.public_id]
    assert [r["id"] for r in staff_client.get("/api/returns", {"status": "rejected"}).json()["data"]] == [
        decided.public_id
    ]
    by_order = staff_client.get("/api/returns", {"order_number": other_order.number}).json()["data"]
    assert [r["id"] for r in by_order] == [newer.public_id]
    by_customer = staff_client.get("/api/returns", {"customer_id": other_customer.public_id}).json()["data"]
    assert [r["id"] for r in by_customer] == [newer.public_id]
    _error(staff_client.get("/api/returns", {"status": "lost"}), 400, "validation_error")


def test_staff_returns_list_permissions(make_staff_client, make_key_client, customer_client):
    assert make_staff_client("orders.view_return").get("/api/returns").status_code == 200
    assert make_key_client("orders:read").get("/api/returns").status_code == 200
    _error(make_staff_client().get("/api/returns"), 403, "permission_denied")
    _error(customer_client.get("/api/returns"), 403, "permission_denied")


def test_staff_returns_list_query_count_is_constant(staff_client, customer, django_assert_max_num_queries):
    order = delivered_order(customer, quantities=(1,), prices=("20.00",))
    request_return(order)
    with django_assert_max_num_queries(10) as one:
        staff_client.get("/api/returns", {"limit": 50})
    for _ in range(10):
        more = delivered_order(customer, quantities=(2, 1))
        request_return(more, line(more, 0), line(more, 1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = staff_client.get("/api/returns", {"limit": 50})
    assert len(response.json()["data"]) == 11


def test_approve_reject_receive_through_the_api(make_staff_client, order):
    client = make_staff_client("orders.approve_return")
    ret = request_return(order, line(order, 1))
    response = client.post(f"/api/returns/{ret.public_id}/approve", {"note": "OK"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = client.post(f"/api/returns/{ret.public_id}/receive")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "refunded" and body["refund_id"].startswith("refund_")
    assert [h["status"] for h in body["history"]] == ["requested", "approved", "received", "refunded"]
    order.refresh_from_db()
    assert order.status == "partially_refunded" and order.amount_refunded == Decimal("10.00")
    _error(client.post(f"/api/returns/{ret.public_id}/approve"), 409, "conflict")
    _error(client.post(f"/api/returns/{ret.public_id}/receive"), 409, "conflict")


def test_reject_needs_a_note_and_invalid_transitions_are_409(make_staff_client, order):
    client = make_staff_client("orders.approve_return")
    ret = request_return(order)
    _error(client.post(f"/api/returns/{ret.public_id}/reject", {}, format="json"), 400, "validation_error")
    _error(client.post(f"/api/returns/{ret.public_id}/receive"), 409, "conflict")
    response = client.post(f"/api/returns/{ret.public_id}/reject", {"note": "Used"}, format="json")
    assert response.status_code == 200 and response.json()["decision_note"] == "Used"
    _error(
        client.post(f"/api/returns/{ret.public_id}/reject", {"note": "Again"}, format="json"), 409, "conflict"
    )
    _error(client.post("/api/returns/ret_missing/approve"), 404, "not_found")


def test_deciding_needs_the_approve_permission_or_an_orders_write_key(
    make_staff_client, make_key_client, customer_client, order
):
    ret = request_return(order)
    url = f"/api/returns/{ret.public_id}/approve"
    _error(make_staff_client("orders.view_return", "orders.change_order").post(url), 403, "permission_denied")
    _error(make_key_client("orders:read").post(url), 403, "permission_denied")
    _error(customer_client.post(url), 403, "permission_denied")
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.REQUESTED
    response = make_key_client("orders:write").post(url)
    assert response.status_code == 200
    assert response.json()["history"][-1]["actor"] == "integration"


def test_order_detail_is_return_allowed_follows_the_claims(customer_client, order):
    url = f"/api/orders/{order.number}"
    assert customer_client.get(url).json()["is_return_allowed"] is True
    request_return(order, line(order, 0, quantity=2), line(order, 1))
    assert customer_client.get(url).json()["is_return_allowed"] is False


def test_schema_documents_the_return_routes(staff_client):
    schema = staff_client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for operation in ("orders_returns_create", "returns_list", "returns_receive", "customers_returns_list"):
        assert operation in schema
