"""Shop front, cart and checkout pages: the same services as the API."""

from decimal import Decimal

import pytest
from django.test import Client

from orders.models import Order
from tests.checkout.factories import DiscountCodeFactory, VariantFactory, give_points

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_client(customer):
    client = Client()
    client.force_login(customer.user)
    return client


def test_shop_lists_active_products_and_searches(client):
    VariantFactory(product__name="Cedar Mist")
    VariantFactory(product__name="Sea Salt")
    VariantFactory(product__name="Hidden", product__is_active=False)
    body = client.get("/shop/").content.decode()
    assert "Cedar Mist" in body and "Sea Salt" in body and "Hidden" not in body
    body = client.get("/shop/?q=cedar").content.decode()
    assert "Cedar Mist" in body and "Sea Salt" not in body


def test_shop_catalog_query_count_does_not_grow_with_products(client, django_assert_max_num_queries):
    VariantFactory()
    with django_assert_max_num_queries(8) as one:
        client.get("/shop/")
    for _ in range(6):
        VariantFactory()
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/shop/")


def test_product_page_shows_variants_and_adds_to_cart(page_client, customer):
    variant = VariantFactory(name="200 g", stock=3)
    url = f"/shop/{variant.product.public_id}/"
    body = page_client.get(url).content.decode()
    assert "200 g" in body and "3 in stock" in body
    response = page_client.post(url, {"variant": variant.public_id, "quantity": 2})
    assert response.status_code == 302
    assert customer.cart.lines.get().quantity == 2
    too_many = page_client.post(url, {"variant": variant.public_id, "quantity": 2})
    assert too_many.status_code == 409 and "Only 3" in too_many.content.decode()


def test_product_page_add_to_cart_asks_an_anonymous_visitor_to_log_in(client):
    variant = VariantFactory()
    response = client.post(
        f"/shop/{variant.product.public_id}/", {"variant": variant.public_id, "quantity": 1}
    )
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_cart_and_checkout_pages_place_an_order(page_client, customer):
    variant = VariantFactory(price=Decimal("30.00"), stock=5)
    DiscountCodeFactory(code="TEN", value=Decimal("10"))
    give_points(customer, 200)
    page_client.post(f"/shop/{variant.product.public_id}/", {"variant": variant.public_id, "quantity": 2})
    assert page_client.post("/account/cart/", {"action": "code", "code": "ten"}).status_code == 302
    assert page_client.post("/account/cart/", {"action": "points", "points": 200}).status_code == 302
    bad = page_client.post("/account/cart/", {"action": "address", "line1": "1 Main St", "country": "US"})
    assert bad.status_code == 400
    address = {
        "action": "address",
        "first_name": "Jane",
        "last_name": "Smith",
        "line1": "1 Main St",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62701",
        "country": "US",
    }
    assert page_client.post("/account/cart/", address).status_code == 302
    assert page_client.post("/account/cart/", {"action": "method", "code": "standard"}).status_code == 302
    cart_page = page_client.get("/account/cart/").content.decode()
    assert "-6.00" in cart_page and "-2.00" in cart_page and "56.95" in cart_page
    assert "56.95" in page_client.get("/account/checkout/").content.decode()
    response = page_client.post("/account/checkout/", {"method": "card", "payment_token": "tok_visa"})
    order = Order.objects.get(customer=customer)
    assert response.status_code == 302 and response["Location"] == f"/account/orders/{order.number}/"
    assert (order.status, order.total, order.discount_total, order.points_discount) == (
        "paid",
        Decimal("56.95"),
        Decimal("6.00"),
        Decimal("2.00"),
    )


def test_cart_page_needs_login_and_dashboard_links_to_it(client, page_client):
    assert client.get("/account/cart/").status_code == 302
    assert 'href="/account/cart/"' in page_client.get("/account/").content.decode()
