"""The cart routes: lines, stock, codes, points, addresses and shipping methods."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import Cart
from tests.checkout.factories import ADDRESS, DiscountCodeFactory, VariantFactory, give_points, ready_cart
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

CART = "/api/customers/cart"


def _add(client, variant, quantity=1):
    return client.post(
        f"{CART}/items", {"variant_id": variant.public_id, "quantity": quantity}, format="json"
    )


def test_cart_get_creates_an_empty_cart_once(customer_client, customer):
    first = customer_client.get(CART)
    second = customer_client.get(CART)
    assert first.status_code == 200
    assert first.json()["id"].startswith("cart_") and first.json()["id"] == second.json()["id"]
    assert first.json()["items"] == [] and first.json()["total"] == "0.00"
    assert Cart.objects.filter(customer=customer).count() == 1


def test_cart_add_item_answers_201_with_line_and_totals(customer_client, variant):
    response = _add(customer_client, variant, 2)
    assert response.status_code == 201
    body = response.json()
    line = body["items"][0]
    assert line["id"].startswith("line_")
    assert line["variant_id"] == variant.public_id and line["product_id"] == variant.product.public_id
    assert (line["sku"], line["quantity"], line["unit_price"], line["total"]) == (
        "DIFF-CED-100",
        2,
        "38.00",
        "76.00",
    )
    assert line["available_quantity"] == 5
    assert body["subtotal"] == "76.00" and body["total"] == "76.00"


def test_cart_add_same_variant_again_adds_to_its_line(customer_client, variant):
    _add(customer_client, variant, 1)
    body = customer_client.post(f"{CART}/items", {"sku": variant.sku, "quantity": 2}, format="json").json()
    assert len(body["items"]) == 1 and body["items"][0]["quantity"] == 3


def test_cart_add_more_than_stock_is_409(customer_client, variant):
    _add(customer_client, variant, 4)
    response = _add(customer_client, variant, 2)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_cart_add_inactive_variant_is_400(customer_client):
    inactive = VariantFactory(is_active=False)
    assert _add(customer_client, inactive).status_code == 400
    archived = VariantFactory(product__is_active=False)
    assert _add(customer_client, archived).status_code == 400


@pytest.mark.parametrize("quantity", [0, 100, "two"])
def test_cart_add_quantity_outside_1_to_99_is_400(customer_client, variant, quantity):
    response = customer_client.post(
        f"{CART}/items", {"variant_id": variant.public_id, "quantity": quantity}, format="json"
    )
    assert response.status_code == 400
    assert "quantity" in response.json()["error"]["details"]


def test_cart_line_keeps_the_price_it_was_added_at(customer_client, variant):
    _add(customer_client, variant)
    variant.price = Decimal("42.00")
    variant.save()
    assert customer_client.get(CART).json()["items"][0]["unit_price"] == "38.00"


def test_cart_patch_changes_quantity_and_zero_removes(customer_client, variant):
    line_id = _add(customer_client, variant).json()["items"][0]["id"]
    assert (
        customer_client.patch(f"{CART}/items/{line_id}", {"quantity": 3}, format="json").json()["items"][0][
            "quantity"
        ]
        == 3
    )
    assert customer_client.patch(f"{CART}/items/{line_id}", {"quantity": 6}, format="json").status_code == 409
    assert (
        customer_client.patch(f"{CART}/items/{line_id}", {"quantity": 0}, format="json").json()["items"] == []
    )


def test_cart_delete_line_is_204_and_another_customers_line_is_404(customer_client, other_client, variant):
    line_id = _add(customer_client, variant).json()["items"][0]["id"]
    assert other_client.delete(f"{CART}/items/{line_id}").status_code == 404
    assert other_client.patch(f"{CART}/items/{line_id}", {"quantity": 2}, format="json").status_code == 404
    assert customer_client.delete(f"{CART}/items/{line_id}").status_code == 204
    assert customer_client.get(CART).json()["items"] == []


def test_cart_routes_refuse_anonymous_and_staff(api_client, staff_client):
    assert api_client.get(CART).status_code == 401
    assert staff_client.get(CART).status_code == 403


def test_cart_discount_code_applies_and_removes(customer_client, variant):
    DiscountCodeFactory(code="WELCOME10", description="10% off", value=Decimal("10"))
    _add(customer_client, variant, 2)
    body = customer_client.post(f"{CART}/discounts", {"code": "welcome10"}, format="json").json()
    assert body["discount_codes"] == [{"code": "WELCOME10", "description": "10% off", "amount": "7.60"}]
    assert body["discount_total"] == "7.60" and body["total"] == "68.40"
    assert customer_client.delete(f"{CART}/discounts/WELCOME10").status_code == 204
    assert customer_client.get(CART).json()["discount_total"] == "0.00"
    assert customer_client.delete(f"{CART}/discounts/WELCOME10").status_code == 404


def test_cart_unknown_or_expired_code_is_400(customer_client, variant):
    now = timezone.now()
    DiscountCodeFactory(code="OLD", ends_at=now - timedelta(days=1), starts_at=now - timedelta(days=9))
    DiscountCodeFactory(code="OFF", is_active=False)
    _add(customer_client, variant)
    for code in ("NOPE", "OLD", "OFF"):
        response = customer_client.post(f"{CART}/discounts", {"code": code}, format="json")
        assert response.status_code == 400, code


def test_cart_code_conditions_not_met_are_409_with_the_reason(customer_client, customer, variant):
    DiscountCodeFactory(code="BIG", min_subtotal=Decimal("100.00"))
    DiscountCodeFactory(code="GONE", usage_limit=1, times_used=1)
    DiscountCodeFactory(code="SOLO", combinable=False)
    DiscountCodeFactory(code="FIVE", kind="fixed", value=Decimal("5"))
    _add(customer_client, variant)
    big = customer_client.post(f"{CART}/discounts", {"code": "BIG"}, format="json")
    assert big.status_code == 409 and "100.00" in big.json()["error"]["message"]
    assert customer_client.post(f"{CART}/discounts", {"code": "GONE"}, format="json").status_code == 409
    assert customer_client.post(f"{CART}/discounts", {"code": "FIVE"}, format="json").status_code == 200
    solo = customer_client.post(f"{CART}/discounts", {"code": "SOLO"}, format="json")
    assert solo.status_code == 409 and "combined" in solo.json()["error"]["message"]


def test_cart_points_are_held_and_capped_by_the_balance(customer_client, customer, variant):
    give_points(customer, 1500)
    _add(customer_client, variant)
    body = customer_client.put(f"{CART}/points", {"points": 1000}, format="json").json()
    assert body["points_applied"] == 1000 and body["points_discount"] == "10.00" and body["total"] == "28.00"
    assert customer_client.put(f"{CART}/points", {"points": 1501}, format="json").status_code == 409
    assert (
        customer_client.put(f"{CART}/points", {"points": 0}, format="json").json()["points_discount"]
        == "0.00"
    )
    customer.loyalty_account.refresh_from_db()
    assert customer.loyalty_account.points_balance == 1500  # held, not spent


def test_cart_addresses_accept_inline_objects_and_book_ids(customer_client, customer):
    bad = customer_client.put(
        f"{CART}/addresses", {"shipping_address": {**ADDRESS, "postal_code": "X"}}, format="json"
    )
    assert bad.status_code == 400
    body = customer_client.put(f"{CART}/addresses", {"shipping_address": ADDRESS}, format="json").json()
    assert body["shipping_address"]["city"] == "Springfield" and body["shipping_address"]["country"] == "US"
    other = CustomerFactory()
    address = other.addresses.create(
        line1="2 Elm St", city="Springfield", state="IL", postal_code="62701", country="US"
    )
    foreign = customer_client.put(
        f"{CART}/addresses", {"shipping_address_id": address.public_id}, format="json"
    )
    assert foreign.status_code == 400 and "shipping_address_id" in foreign.json()["error"]["details"]
    own = customer.addresses.create(
        line1="3 Oak St", city="Springfield", state="IL", postal_code="62702", country="US"
    )
    body = customer_client.put(
        f"{CART}/addresses", {"billing_address_id": own.public_id}, format="json"
    ).json()
    assert body["billing_address"]["line1"] == "3 Oak St"


def test_cart_shipping_methods_list_and_choice(customer_client, variant, settings):
    settings.SHIPPING_FREE_STANDARD_OVER = Decimal("75.00")
    _add(customer_client, variant, 2)  # 76.00: standard is free
    customer_client.put(f"{CART}/addresses", {"shipping_address": ADDRESS}, format="json")
    body = customer_client.get(f"{CART}/shipping-methods").json()
    assert body["pagination"]["total"] == 2
    assert {m["code"]: m["price"] for m in body["data"]} == {"standard": "0.00", "express": "12.95"}
    assert (
        customer_client.put(f"{CART}/shipping-method", {"code": "teleport"}, format="json").status_code == 400
    )
    cart = customer_client.put(f"{CART}/shipping-method", {"code": "express"}, format="json").json()
    assert (
        cart["shipping_method"] == "express"
        and cart["shipping_total"] == "12.95"
        and cart["total"] == "88.95"
    )


def test_cart_get_query_count_does_not_grow_with_lines(
    customer, customer_client, django_assert_max_num_queries
):
    ready_cart(customer, [(VariantFactory(), 1)])
    DiscountCodeFactory(code="TEN")
    customer_client.post(f"{CART}/discounts", {"code": "TEN"}, format="json")
    with django_assert_max_num_queries(12) as one:
        customer_client.get(CART)
    for _ in range(6):
        ready_cart(customer, [(VariantFactory(), 2)])
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = customer_client.get(CART)
    assert len(response.json()["items"]) == 7
