"""A customer shops in a real browser: two variants, a code and points, checkout, the order list."""

from decimal import Decimal

import pytest

from orders.models import Order
from tests.checkout.factories import DiscountCodeFactory, VariantFactory, give_points

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _add(page, product_name, variant_label, quantity):
    page.get_by_role("link", name=product_name).click()
    page.wait_for_selector("form[aria-label='Add to cart']")
    page.get_by_label("Variant").select_option(label=variant_label)
    page.get_by_label("Quantity").fill(str(quantity))
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_selector(".message-success")


def test_customer_buys_two_variants_with_a_code_and_points(login_page, live_server, customer):
    # given two products in stock, a 10% code and 300 points
    VariantFactory(product__name="Cedar Mist Diffuser", name="100 ml", sku="CED-100", price=Decimal("38.00"))
    VariantFactory(product__name="Sea Salt Spray", name="50 ml", sku="SEA-50", price=Decimal("18.00"))
    DiscountCodeFactory(code="WELCOME10", value=Decimal("10"))
    give_points(customer, 300)
    page = login_page(customer.user)
    # when they browse the shop and add two variants
    page.goto(f"{live_server.url}/shop/")
    _add(page, "Cedar Mist Diffuser", "100 ml · 38.00 USD", 1)
    page.goto(f"{live_server.url}/shop/")
    _add(page, "Sea Salt Spray", "50 ml · 18.00 USD", 2)
    # and apply a code, points, an address and a shipping method in the cart
    page.get_by_role("link", name="Go to your cart").click()
    page.wait_for_selector("table.cart-lines")
    page.get_by_role("textbox", name="Discount code").fill("WELCOME10")
    page.get_by_role("button", name="Apply code").click()
    page.wait_for_selector(".message-success")
    page.get_by_role("spinbutton", name="Points to use").fill("300")
    page.get_by_role("button", name="Use points").click()
    page.wait_for_selector("#cart-points")
    form = page.locator("section[aria-label='Shipping address'] form")
    form.get_by_label("First name").fill("Jane")
    form.get_by_label("Last name").fill("Smith")
    form.get_by_label("Street address").fill("1 Main St")
    form.get_by_label("City").fill("Springfield")
    form.get_by_label("State / area").fill("IL")
    form.get_by_label("Postal code").fill("62701")
    form.get_by_label("Country").fill("US")
    page.get_by_role("button", name="Save address").click()
    page.wait_for_selector("#cart-address")
    page.get_by_label("Express").check()
    page.get_by_role("button", name="Save method").click()
    page.wait_for_selector(".message-success")
    # 74.00 - 7.40 - 3.00 + 12.95 express
    assert page.locator("#cart-total").inner_text() == "76.55 USD"
    # then check out by card with the development provider
    page.get_by_role("link", name="Go to checkout").click()
    page.get_by_label("Card token").fill("tok_visa")
    page.get_by_role("button", name="Place order and pay 76.55 USD").click()
    page.wait_for_selector("#order-status")
    assert page.locator("#order-status").inner_text() == "Paid"
    order = Order.objects.get(customer=customer)
    # and the order list shows it with the right total
    page.goto(f"{live_server.url}/account/orders/")
    row = page.locator(f"tr[data-order='{order.number}']")
    assert "76.55 USD" in row.inner_text()
    assert (order.subtotal, order.discount_total, order.points_discount, order.shipping_total) == (
        Decimal("74.00"),
        Decimal("7.40"),
        Decimal("3.00"),
        Decimal("12.95"),
    )
