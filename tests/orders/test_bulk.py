"""`POST /api/orders/bulk` and `POST /api/shipments/bulk`: per-item results, atomic mode, replays."""

import time
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from integrations.models import Event
from orders.models import Order, Shipment
from tests.checkout.factories import VariantFactory
from tests.concurrency import run_concurrently
from tests.factories import BusinessCustomerFactory, CustomerFactory
from tests.orders.factories import ADDRESS, ProductFactory, make_order

ORDERS, SHIPMENTS = "/api/orders/bulk", "/api/shipments/bulk"


def _order(customer, sku, external_id, **extra):
    return {
        "external_id": external_id,
        "customer_id": customer.public_id,
        "items": [{"sku": sku, "quantity": 1}],
        "shipping_address": dict(ADDRESS),
        "payment": {"method": "card", "status": "succeeded"},
        **extra,
    }


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- orders ----------------------------------------------------------------------------------


def test_mixed_items_create_the_valid_ones_and_report_each_error(staff_client, customer, product):
    items = [
        _order(customer, product.sku, "ext-1"),
        _order(customer, "NO-SUCH-SKU", "ext-2"),
        _order(customer, product.sku, "ext-3", customer_id="cust_nope"),
        {k: v for k, v in _order(customer, product.sku, "x").items() if k != "external_id"},
        _order(customer, product.sku, "ext-5"),
    ]
    results = _results(staff_client.post(ORDERS, {"items": items}, format="json"))

    assert [r["index"] for r in results] == [0, 1, 2, 3, 4]
    assert [r["status"] for r in results] == ["created", "error", "error", "error", "created"]
    assert results[1]["error"]["code"] == "validation_error"
    assert "items[0].sku" in results[1]["error"]["details"]
    assert results[2]["error"]["details"] == {"customer_id": ["No such customer."]}
    assert "external_id" in results[3]["error"]["details"]
    assert results[3]["external_id"] is None
    created = Order.objects.filter(external_id__in=["ext-1", "ext-5"])
    assert sorted(created.values_list("number", flat=True)) == sorted(
        [results[0]["number"], results[4]["number"]]
    )
    assert Order.objects.count() == 2


def test_external_id_is_shown_and_optional_on_the_single_route(staff_client, customer, product):
    body = _order(customer, product.sku, "ext-single")
    response = staff_client.post("/api/orders", body, format="json")
    assert response.status_code == 201
    assert response.json()["external_id"] == "ext-single"
    # the same external id again is a 409 naming the order it belongs to
    again = staff_client.post("/api/orders", body, format="json")
    assert again.status_code == 409
    assert response.json()["number"] in again.json()["error"]["message"]
    del body["external_id"]
    response = staff_client.post("/api/orders", body, format="json")
    assert response.status_code == 201
    assert response.json()["external_id"] is None


def test_a_replayed_bulk_request_creates_nothing_twice(staff_client, customer, product):
    body = {"items": [_order(customer, product.sku, f"ext-{i}") for i in range(3)]}
    first = _results(staff_client.post(ORDERS, body, format="json"))
    events = Event.objects.count()
    second = _results(staff_client.post(ORDERS, body, format="json"))

    assert [r["status"] for r in first] == ["created"] * 3
    assert [r["status"] for r in second] == ["existing"] * 3
    assert [r["number"] for r in second] == [r["number"] for r in first]
    assert Order.objects.count() == 3
    assert Event.objects.count() == events


def test_the_same_external_id_twice_in_one_request_is_created_once(staff_client, customer, product):
    body = {"items": [_order(customer, product.sku, "dup"), _order(customer, product.sku, "dup")]}
    results = _results(staff_client.post(ORDERS, body, format="json"))
    assert [r["status"] for r in results] == ["created", "existing"]
    assert results[0]["number"] == results[1]["number"]
    assert Order.objects.count() == 1


def test_atomic_writes_nothing_when_one_item_fails(staff_client, customer, product):
    existing = make_order(customer, products=[product], external_id="ext-old")
    items = [
        _order(customer, product.sku, "ext-a"),
        _order(customer, product.sku, "ext-old"),
        _order(customer, "NO-SUCH-SKU", "ext-b"),
    ]
    response = staff_client.post(ORDERS, {"items": items, "atomic": True}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    results = error["details"]["results"]
    assert [r["status"] for r in results] == ["valid", "existing", "error"]
    assert results[0]["number"] is None
    assert results[1]["number"] == existing.number
    assert "items[0].sku" in results[2]["error"]["details"]
    assert list(Order.objects.values_list("external_id", flat=True)) == ["ext-old"]


def test_atomic_creates_everything_when_every_item_is_valid(staff_client, customer, product):
    items = [_order(customer, product.sku, f"ext-{i}") for i in range(3)]
    results = _results(staff_client.post(ORDERS, {"items": items, "atomic": True}, format="json"))
    assert [r["status"] for r in results] == ["created"] * 3
    assert Order.objects.count() == 3


def test_more_than_500_items_is_413(staff_client, customer, product):
    items = [_order(customer, product.sku, f"ext-{i}") for i in range(501)]
    response = staff_client.post(ORDERS, {"items": items}, format="json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert not Order.objects.exists()


def test_a_body_that_is_not_an_envelope_is_400(staff_client):
    assert staff_client.post(ORDERS, {"items": "nope"}, format="json").status_code == 400
    assert staff_client.post(ORDERS, {"items": []}, format="json").status_code == 400
    assert staff_client.post(ORDERS, {"items": [{}], "atomic": "yes"}, format="json").status_code == 400


def test_on_account_items_share_one_credit_limit(staff_client):
    # a limit of 50.00 and three on-account orders of 20.00: the third goes over
    business = BusinessCustomerFactory(credit_limit=Decimal("50.00"))
    product = ProductFactory(price=Decimal("20.00"))
    items = []
    for i in range(3):
        item = _order(business, product.sku, f"acct-{i}", on_account=True)
        del item["payment"]
        items.append(item)
    results = _results(staff_client.post(ORDERS, {"items": items}, format="json"))

    assert [r["status"] for r in results] == ["created", "created", "error"]
    assert results[2]["error"]["code"] == "conflict"
    assert "on_account" in results[2]["error"]["details"]
    business.refresh_from_db()
    assert business.current_balance == Decimal("40.00")


def test_short_stock_is_that_items_conflict_and_leaves_no_event(staff_client, customer):
    variant = VariantFactory(stock=3)
    items = [
        _order(customer, variant.sku, "stock-1", items=[{"sku": variant.sku, "quantity": 2}]),
        _order(customer, variant.sku, "stock-2", items=[{"sku": variant.sku, "quantity": 2}]),
    ]
    results = _results(staff_client.post(ORDERS, {"items": items}, format="json"))

    assert [r["status"] for r in results] == ["created", "error"]
    assert results[1]["error"]["code"] == "conflict"
    variant.refresh_from_db()
    assert variant.stock == 1
    # the failing item's order row and its events were written in its savepoint, then rolled back
    assert list(Order.objects.values_list("external_id", flat=True)) == ["stock-1"]
    numbers = [e.data["number"] for e in Event.objects.filter(type="order.created")]
    assert numbers == [results[0]["number"]]


def test_customers_cannot_call_bulk_routes(customer_client, customer, product):
    body = {"items": [_order(customer, product.sku, "ext-c")]}
    assert customer_client.post(ORDERS, body, format="json").status_code == 403
    assert customer_client.post(SHIPMENTS, {"items": []}, format="json").status_code == 403
    assert not Order.objects.exists()


@pytest.mark.parametrize("scopes", [(), ("orders:read",), ("customers:write",)])
def test_a_key_without_orders_write_is_403(make_key_client, customer, product, scopes):
    body = {"items": [_order(customer, product.sku, "ext-k")]}
    assert make_key_client(*scopes).post(ORDERS, body, format="json").status_code == 403
    assert not Order.objects.exists()


def test_a_key_with_orders_write_may_ingest_in_bulk(make_key_client, customer, product):
    body = {"items": [_order(customer, product.sku, "ext-k")]}
    results = _results(make_key_client("orders:write").post(ORDERS, body, format="json"))
    assert results[0]["status"] == "created"


def test_idempotency_key_replays_the_first_answer(staff_client, customer, product):
    body = {"items": [_order(customer, product.sku, "ext-i")]}
    first = staff_client.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="bulk-1")
    second = staff_client.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="bulk-1")
    assert second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()


def test_500_orders_in_one_request_stay_within_a_query_budget_per_item(staff_client, customer, product):
    # counted with an execute wrapper: the test runner's query log keeps only the last 9000
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    items = [_order(customer, product.sku, f"ext-{i}") for i in range(500)]
    started = time.monotonic()
    with connection.execute_wrapper(count):
        results = _results(staff_client.post(ORDERS, {"items": items}, format="json"))
    elapsed = time.monotonic() - started
    assert [r["status"] for r in results] == ["created"] * 500
    assert Order.objects.count() == 500
    # about 20 per order on SQLite: savepoints, a number from the counter row (3), the order, its
    # item and payment, two events and the webhook subscriptions they fan out to
    assert len(queries) <= 500 * 21, len(queries)
    print(f"\n500 bulk orders in {elapsed:.2f} s ({500 / elapsed:.0f} orders/s), {len(queries)} queries")


# --- shipments -------------------------------------------------------------------------------


def _shipment(order, tracking, **extra):
    return {"order_number": order.number, "courier": "DHL", "tracking_number": tracking, **extra}


def test_shipments_in_bulk_report_each_item(staff_client, customer):
    paid, other_paid = make_order(customer), make_order(customer)
    unpaid = make_order(customer, payment="pending")
    items = [
        _shipment(paid, "TRK-1"),
        _shipment(unpaid, "TRK-2"),
        {"order_number": "MNKY-0", "courier": "DHL", "tracking_number": "TRK-3"},
        _shipment(other_paid, "TRK-4", courier=""),
    ]
    results = _results(staff_client.post(SHIPMENTS, {"items": items}, format="json"))

    assert [r["status"] for r in results] == ["created", "error", "error", "error"]
    assert results[0]["order_number"] == paid.number
    assert Shipment.objects.get(order=paid).public_id == results[0]["shipment_id"]
    assert results[1]["error"]["code"] == "conflict"
    assert results[2]["error"]["code"] == "not_found"
    assert "courier" in results[3]["error"]["details"]
    paid.refresh_from_db()
    assert paid.status == "shipped"
    assert Shipment.objects.count() == 1


def test_a_replayed_shipment_is_existing(staff_client, customer):
    order = make_order(customer)
    body = {"items": [_shipment(order, "TRK-9")]}
    first = _results(staff_client.post(SHIPMENTS, body, format="json"))
    second = _results(staff_client.post(SHIPMENTS, body, format="json"))
    assert first[0]["status"] == "created"
    assert second[0] == {**first[0], "status": "existing"}
    assert Shipment.objects.filter(order=order).count() == 1


def test_shipments_atomic_writes_nothing_when_one_fails(staff_client, customer):
    order, unpaid = make_order(customer), make_order(customer, payment="pending")
    items = [_shipment(order, "TRK-1"), _shipment(unpaid, "TRK-2")]
    response = staff_client.post(SHIPMENTS, {"items": items, "atomic": True}, format="json")
    assert response.status_code == 400
    results = response.json()["error"]["details"]["results"]
    assert [r["status"] for r in results] == ["valid", "error"]
    assert results[0]["shipment_id"] is None
    assert not Shipment.objects.exists()
    order.refresh_from_db()
    assert order.status == "paid"


def test_shipments_bulk_needs_change_order(make_staff_client, make_key_client, customer):
    order = make_order(customer)
    body = {"items": [_shipment(order, "TRK-1")]}
    assert make_staff_client("orders.add_order").post(SHIPMENTS, body, format="json").status_code == 403
    assert make_key_client("orders:read").post(SHIPMENTS, body, format="json").status_code == 403
    assert make_staff_client("orders.change_order").post(SHIPMENTS, body, format="json").status_code == 200


# --- PostgreSQL: concurrent identical requests ---------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("atomic", [False, True])
def test_two_identical_concurrent_bulk_requests_create_each_external_id_once(staff_user, atomic):
    from rest_framework_simplejwt.tokens import RefreshToken

    customer = CustomerFactory()
    product = ProductFactory()
    body = {"items": [_order(customer, product.sku, f"race-{i}") for i in range(20)], "atomic": atomic}
    token = str(RefreshToken.for_user(staff_user).access_token)

    def post(index):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        response = client.post(ORDERS, body, format="json")
        return response.status_code, response.json()["results"]

    answers = run_concurrently(2, post)
    assert all(isinstance(a, tuple) and a[0] == 200 for a in answers), answers
    assert Order.objects.count() == 20
    statuses = [r["status"] for _, results in answers for r in results]
    assert statuses.count("created") == 20
    assert statuses.count("existing") == 20
    # both answers name the same order for each external id
    assert [r["number"] for r in answers[0][1]] == [r["number"] for r in answers[1][1]]
    assert Event.objects.filter(type="order.created").count() == 20


def test_nul_characters_in_lookup_keys_are_item_errors_never_a_500(staff_client, customer, product):
    # Found by the fuzz stage on PostgreSQL, which refuses NUL in a text parameter: the bulk routes
    # look keys up before the items are validated, so those lookups must leave such keys out.
    order = make_order(customer)
    orders = [
        _order(customer, product.sku, "ext-\x00", customer_id="cust_\x00"),
        _order(customer, "SKU-\x00", "ext-ok"),
    ]
    ships = [_shipment(order, "TRK-\x00"), {"order_number": "MNKY-\x00", "courier": "DHL"}]
    people = [{"name": "Nul Co", "email": "nul\x00@example.com"}]

    for url, items in (
        (ORDERS, orders),
        (SHIPMENTS, ships),
        ("/api/customers/bulk", people),
    ):
        results = _results(staff_client.post(url, {"items": items}, format="json"))
        assert {r["status"] for r in results} == {"error"}, results
    assert not Order.objects.filter(external_id__startswith="ext-").exists()
    assert not Shipment.objects.exists()
