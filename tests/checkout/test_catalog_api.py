"""Staff catalog routes: products with variants, variant stock adjustments, discount codes."""

from decimal import Decimal

import pytest

from orders.models import DiscountCode, ProductVariant, StockMovement
from orders.services import order_create
from tests.checkout.factories import ADDRESS, DiscountCodeFactory, VariantFactory
from tests.orders.factories import ProductFactory

pytestmark = pytest.mark.django_db

NEW_PRODUCT = {
    "name": "Fig Leaf Candle",
    "description": "Green fig.",
    "is_active": True,
    "variants": [
        {"sku": "FIG-200", "name": "200 g", "price": "28.00", "currency": "USD", "stock": 12},
        {"sku": "FIG-400", "name": "400 g", "price": "44.00", "currency": "USD", "stock": 0},
    ],
}


def test_products_post_creates_product_with_variants_and_audited_stock(staff_client, staff_user):
    response = staff_client.post("/api/products", NEW_PRODUCT, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id"].startswith("prod_") and body["sku"] == "FIG-200" and body["price"] == "28.00"
    assert [(v["sku"], v["available_quantity"]) for v in body["variants"]] == [
        ("FIG-200", 12),
        ("FIG-400", 0),
    ]
    assert body["in_stock"] is True and body["images"] == []
    movement = StockMovement.objects.get(variant__sku="FIG-200")
    assert (movement.kind, movement.quantity, movement.created_by) == ("initial", 12, staff_user)


def test_products_post_with_a_used_sku_is_409(staff_client):
    VariantFactory(sku="FIG-400")
    assert staff_client.post("/api/products", NEW_PRODUCT, format="json").status_code == 409


def test_products_post_needs_staff_or_a_catalog_key(customer_client, make_key_client):
    assert customer_client.post("/api/products", NEW_PRODUCT, format="json").status_code == 403
    assert (
        make_key_client("orders:write").post("/api/products", NEW_PRODUCT, format="json").status_code == 403
    )
    assert (
        make_key_client("catalog:write").post("/api/products", NEW_PRODUCT, format="json").status_code == 201
    )


def test_products_patch_updates_fields_and_hides_an_inactive_product(staff_client, api_client):
    product_id = staff_client.post("/api/products", NEW_PRODUCT, format="json").json()["id"]
    response = staff_client.patch(
        f"/api/products/{product_id}", {"name": "Fig Candle", "is_active": False}, format="json"
    )
    assert response.status_code == 200 and response.json()["name"] == "Fig Candle"
    assert api_client.get(f"/api/products/{product_id}").status_code == 404


def test_products_list_shows_variants_without_extra_queries_per_product(
    api_client, django_assert_max_num_queries
):
    VariantFactory()
    with django_assert_max_num_queries(6) as one:
        api_client.get("/api/products")
    for _ in range(5):
        VariantFactory()
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = api_client.get("/api/products").json()
    assert len(body["data"]) == 6 and all(len(p["variants"]) == 1 for p in body["data"])


def test_variants_patch_adjusts_stock_with_a_reason_and_never_below_zero(staff_client, staff_user):
    variant = VariantFactory(stock=3)
    url = f"/api/variants/{variant.public_id}"
    ok = staff_client.patch(
        url, {"price": "25.00", "stock_adjustment": {"quantity": -2, "reason": "Damaged"}}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["stock"] == 1 and ok.json()["price"] == "25.00"
    movement = StockMovement.objects.get(variant=variant)
    assert (movement.quantity, movement.stock_after, movement.reason, movement.created_by) == (
        -2,
        1,
        "Damaged",
        staff_user,
    )
    below = staff_client.patch(url, {"stock_adjustment": {"quantity": -2, "reason": "Lost"}}, format="json")
    assert below.status_code == 409
    assert ProductVariant.objects.get(pk=variant.pk).stock == 1
    assert staff_client.patch("/api/variants/var_nope", {"name": "x"}, format="json").status_code == 404


def test_variant_stock_constraint_holds_in_the_database():
    from django.db import IntegrityError, transaction

    variant = VariantFactory(stock=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductVariant.objects.filter(pk=variant.pk).update(stock=-1)


def test_discount_codes_crud_and_a_used_code_cannot_be_deleted(staff_client):
    body = {
        "code": "spring15",
        "kind": "percentage",
        "value": "15.00",
        "usage_limit": 100,
        "combinable": False,
    }
    created = staff_client.post("/api/discount-codes", body, format="json")
    assert (
        created.status_code == 201
        and created.json()["code"] == "SPRING15"
        and created.json()["times_used"] == 0
    )
    assert staff_client.post("/api/discount-codes", body, format="json").status_code == 409
    assert (
        staff_client.post(
            "/api/discount-codes", {**body, "code": "X", "value": "150"}, format="json"
        ).status_code
        == 400
    )
    listing = staff_client.get("/api/discount-codes").json()
    assert listing["pagination"]["total"] == 1
    patched = staff_client.patch(
        "/api/discount-codes/SPRING15", {"is_active": False, "times_used": 99}, format="json"
    )
    assert patched.json()["is_active"] is False and patched.json()["times_used"] == 0
    DiscountCode.objects.filter(code="SPRING15").update(times_used=1)
    assert staff_client.delete("/api/discount-codes/SPRING15").status_code == 409
    DiscountCodeFactory(code="UNUSED")
    assert staff_client.delete("/api/discount-codes/UNUSED").status_code == 204
    assert staff_client.get("/api/discount-codes/UNUSED").status_code == 404


def test_discount_codes_routes_are_staff_only(customer_client, make_key_client):
    assert customer_client.get("/api/discount-codes").status_code == 403
    # `catalog:write` is the catalog's only scope (no key can hold `catalog:read`): it reads the codes
    assert make_key_client("catalog:write").get("/api/discount-codes").status_code == 200
    assert make_key_client("orders:read", "orders:write").get("/api/discount-codes").status_code == 403


def test_order_ingest_takes_stock_from_variants_and_refuses_when_short(customer):
    variant = VariantFactory(sku="ING-1", stock=2)
    order = order_create(
        customer=customer, items=[{"sku": "ING-1", "quantity": 2}], shipping_address=dict(ADDRESS)
    )
    assert order.items.get().variant == variant
    variant.refresh_from_db()
    assert variant.stock == 0
    from config.errors import Conflict

    with pytest.raises(Conflict) as short:
        order_create(
            customer=customer, items=[{"sku": "ING-1", "quantity": 1}], shipping_address=dict(ADDRESS)
        )
    assert "ING-1" in short.value.details


def test_order_ingest_api_answers_409_when_a_variant_is_short(staff_client, customer):
    VariantFactory(sku="ING-2", stock=0)
    response = staff_client.post(
        "/api/orders",
        {
            "customer_id": customer.public_id,
            "items": [{"sku": "ING-2", "quantity": 1}],
            "shipping_address": ADDRESS,
        },
        format="json",
    )
    assert response.status_code == 409 and "ING-2" in response.json()["error"]["details"]


def test_a_product_without_variants_is_still_sold_by_its_own_sku(customer):
    product = ProductFactory(sku="LEGACY-1", price=Decimal("9.00"))
    order = order_create(
        customer=customer, items=[{"sku": "LEGACY-1", "quantity": 3}], shipping_address=dict(ADDRESS)
    )
    assert order.items.get().product == product and order.items.get().variant is None


def test_data_migration_turns_a_product_into_one_variant_and_links_its_order_lines(customer):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("orders.migrations.0007_product_variants_data")
    product = ProductFactory(sku="OLD-1", price=Decimal("12.00"))
    order = order_create(
        customer=customer, items=[{"sku": "OLD-1", "quantity": 1}], shipping_address=dict(ADDRESS)
    )
    migration.forwards(apps, None)
    variant = ProductVariant.objects.get(product=product)
    assert (variant.sku, variant.price, variant.stock) == ("OLD-1", Decimal("12.00"), 0)
    item = order.items.get()
    assert item.variant == variant and (item.sku, item.unit_price) == ("OLD-1", Decimal("12.00"))


def test_product_create_refuses_stock_and_price_beyond_what_the_columns_hold(staff_client):
    too_much_stock = {"sku": "BIG-1", "price": "10.00", "stock": 21282437575}
    too_dear = {"sku": "BIG-2", "price": "99999999999.00", "stock": 1}
    for variant in (too_much_stock, too_dear):
        response = staff_client.post("/api/products", {"name": "Big", "variants": [variant]}, format="json")
        assert response.status_code == 400, response.content
        assert set(response.json()["error"]["details"]) & {"variants", "variants[0].stock"}
