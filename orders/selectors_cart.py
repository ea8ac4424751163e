"""Reads of the cart: the customer's cart with its lines and codes, priced by `orders.pricing`."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch

from orders.models import Cart, CartDiscount, CartLine, DiscountCode, ProductImage
from orders.pricing import Quote, quote


@dataclass
class CartView:
    cart: Cart
    lines: list[CartLine]
    codes: list[DiscountCode]
    quote: Quote


def cart_currency(customer) -> str:
    return (getattr(customer, "currency", "") or settings.DEFAULT_CURRENCY).upper()


def cart_get_or_create(*, customer) -> Cart:
    """The customer's one cart, created on first use (a concurrent first use finds the other's)."""
    cart, _ = Cart.objects.get_or_create(customer=customer, defaults={"currency": cart_currency(customer)})
    return cart


def cart_lines(cart: Cart) -> list[CartLine]:
    return list(
        cart.lines.select_related("variant__product").prefetch_related(
            Prefetch("variant__product__images", queryset=ProductImage.objects.order_by("position", "id"))
        )
    )


def cart_codes(cart: Cart) -> list[DiscountCode]:
    applied = (
        CartDiscount.objects.filter(cart=cart).select_related("discount_code").order_by("created_at", "id")
    )
    return [row.discount_code for row in applied]


def cart_country(cart: Cart) -> str | None:
    return (cart.shipping_address or {}).get("country") or None


def cart_price(cart: Cart, lines: list[CartLine], codes: list[DiscountCode]) -> Quote:
    return quote(
        lines=[(line, line.variant, line.quantity, line.unit_price) for line in lines],
        codes=codes,
        points=cart.points_applied,
        country=cart_country(cart),
        shipping_method=cart.shipping_method,
        currency=cart.currency,
    )


def cart_view(*, customer) -> CartView:
    cart = cart_get_or_create(customer=customer)
    lines = cart_lines(cart)
    codes = cart_codes(cart)
    return CartView(cart=cart, lines=lines, codes=codes, quote=cart_price(cart, lines, codes))


def line_image_url(line: CartLine) -> str:
    product = line.variant.product
    if product.image:
        return product.image.url
    images = list(product.images.all())
    return images[0].image.url if images else ""
