"""Every write on the cart. The cart row is locked for each change (one writer at a time per
customer); prices come from `orders.pricing` through `orders.selectors_cart`."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.errors import Conflict, NotFound, ValidationFailed
from loyalty.services import loyalty_account_ensure
from orders.models import Cart, CartDiscount, CartLine, DiscountCode, ProductVariant
from orders.pricing import shipping_methods
from orders.selectors_cart import cart_codes, cart_country, cart_get_or_create, cart_lines, cart_price
from orders.services import _address_snapshot
from orders.services_catalog import discount_code_check

MAX_QUANTITY = 99


def _locked_cart(customer) -> Cart:
    cart = cart_get_or_create(customer=customer)
    return Cart.objects.select_for_update().get(pk=cart.pk)


def _touch(cart: Cart) -> None:
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())


def _quantity(value, *, allow_zero: bool = False) -> int:
    low = 0 if allow_zero else 1
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= MAX_QUANTITY:
        raise ValidationFailed.on("quantity", f"A whole number from {low} to {MAX_QUANTITY}.")
    return value


def _available(variant: ProductVariant) -> int:
    return variant.stock if variant.is_sellable else 0


@transaction.atomic
def cart_item_add(
    *, customer, quantity: int, variant_id: str | None = None, sku: str | None = None
) -> CartLine:
    """Add a variant (by id or SKU); the same variant again adds to its line. Over stock 409."""
    quantity = _quantity(quantity)
    lookup = {"public_id": variant_id} if variant_id else {"sku": (sku or "").strip()} if sku else None
    if lookup is None:
        raise ValidationFailed.on("variant_id", "A variant_id or a sku is required.")
    variant = ProductVariant.objects.select_related("product").filter(**lookup).first()
    field = "variant_id" if variant_id else "sku"
    if variant is None:
        raise ValidationFailed.on(field, "No such variant.")
    if not variant.is_sellable:
        raise ValidationFailed.on(field, f"{variant.sku} is not sold any more.")
    cart = _locked_cart(customer)
    if variant.currency != cart.currency:
        raise ValidationFailed.on(
            field, f"{variant.sku} is priced in {variant.currency}, the cart in {cart.currency}."
        )
    line = CartLine.objects.filter(cart=cart, variant=variant).first()
    total = quantity + (line.quantity if line else 0)
    if total > MAX_QUANTITY:
        raise ValidationFailed.on("quantity", f"At most {MAX_QUANTITY} of one variant.")
    if total > variant.stock:
        raise Conflict(
            f"Only {variant.stock} of {variant.sku} available.",
            details={"quantity": [f"Only {variant.stock} available."]},
        )
    if line is None:
        line = CartLine.objects.create(cart=cart, variant=variant, quantity=total, unit_price=variant.price)
    else:
        line.quantity = total
        line.save(update_fields=["quantity"])
    _touch(cart)
    return line


def _line(cart: Cart, line_id: str) -> CartLine:
    line = CartLine.objects.select_related("variant__product").filter(cart=cart, public_id=line_id).first()
    if line is None:
        raise NotFound("No such line in your cart.")
    return line


@transaction.atomic
def cart_item_update(*, customer, line_id: str, quantity: int) -> CartLine | None:
    """Change a line's quantity; 0 removes it (None). More than the stock is 409."""
    quantity = _quantity(quantity, allow_zero=True)
    cart = _locked_cart(customer)
    line = _line(cart, line_id)
    if quantity == 0:
        line.delete()
        _touch(cart)
        return None
    if quantity > _available(line.variant):
        raise Conflict(
            f"Only {_available(line.variant)} of {line.variant.sku} available.",
            details={"quantity": [f"Only {_available(line.variant)} available."]},
        )
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    _touch(cart)
    return line


@transaction.atomic
def cart_item_remove(*, customer, line_id: str) -> None:
    cart = _locked_cart(customer)
    _line(cart, line_id).delete()
    _touch(cart)


@transaction.atomic
def cart_discount_apply(*, customer, code: str, now: datetime | None = None) -> DiscountCode:
    """Apply a code: unknown or expired 400; conditions the cart does not meet 409 (with the reason)."""
    code = (code or "").strip().upper()
    if not code:
        raise ValidationFailed.on("code", "A code is required.")
    cart = _locked_cart(customer)
    discount = DiscountCode.objects.filter(code=code).first()
    applied = cart_codes(cart)
    if discount is not None and any(c.pk == discount.pk for c in applied):
        return discount  # already applied
    others = applied
    subtotal = cart_price(cart, cart_lines(cart), []).subtotal
    problem = discount_code_check(
        discount=discount, customer=customer, subtotal=subtotal, others=others, now=now or timezone.now()
    )
    if problem is not None:
        raise problem
    CartDiscount.objects.create(cart=cart, discount_code=discount)
    _touch(cart)
    return discount


@transaction.atomic
def cart_discount_remove(*, customer, code: str) -> None:
    cart = _locked_cart(customer)
    deleted, _ = CartDiscount.objects.filter(
        cart=cart, discount_code__code=(code or "").strip().upper()
    ).delete()
    if not deleted:
        raise NotFound("This code is not applied to your cart.")
    _touch(cart)


@transaction.atomic
def cart_points_set(*, customer, points: int) -> Cart:
    """Hold loyalty points for the cart (0 removes them); more than the redeemable balance is 409."""
    if not isinstance(points, int) or isinstance(points, bool) or points < 0:
        raise ValidationFailed.on("points", "Zero or a positive whole number.")
    cart = _locked_cart(customer)
    if points:
        redeemable = loyalty_account_ensure(customer=customer).redeemable_points
        if points > redeemable:
            raise Conflict(
                f"You have {redeemable} redeemable points.",
                details={"points": [f"At most {redeemable}."]},
            )
    cart.points_applied = points
    cart.save(update_fields=["points_applied", "updated_at"])
    return cart


@transaction.atomic
def cart_addresses_set(
    *,
    customer,
    shipping_address_id: str | None = None,
    billing_address_id: str | None = None,
    shipping_address: dict | None = None,
    billing_address: dict | None = None,
) -> Cart:
    """Addresses from the customer's book (ids) or inline, validated like the address book."""
    cart = _locked_cart(customer)
    if shipping_address_id or shipping_address:
        cart.shipping_address = _address_snapshot(
            customer=customer, field="shipping_address", data=shipping_address, address_id=shipping_address_id
        )
    if billing_address_id or billing_address:
        cart.billing_address = _address_snapshot(
            customer=customer, field="billing_address", data=billing_address, address_id=billing_address_id
        )
    if not (shipping_address_id or shipping_address or billing_address_id or billing_address):
        raise ValidationFailed.on("shipping_address", "A shipping or billing address is required.")
    if cart.shipping_method and cart.shipping_method not in {
        m.code for m in shipping_methods(country=cart_country(cart), goods_total=0)
    }:
        cart.shipping_method = ""
    cart.save(update_fields=["shipping_address", "billing_address", "shipping_method", "updated_at"])
    return cart


@transaction.atomic
def cart_shipping_method_set(*, customer, code: str) -> Cart:
    cart = _locked_cart(customer)
    codes = {m.code for m in shipping_methods(country=cart_country(cart), goods_total=0)}
    if code not in codes:
        raise ValidationFailed.on("code", f"One of {', '.join(sorted(codes))}.")
    cart.shipping_method = code
    cart.save(update_fields=["shipping_method", "updated_at"])
    return cart


def carts_clear_abandoned(*, now: datetime | None = None) -> int:
    """Delete carts untouched for `CART_ABANDONED_AFTER_DAYS`; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.CART_ABANDONED_AFTER_DAYS)
    stale = Cart.objects.filter(updated_at__lt=cutoff)
    count = 0
    for pk in stale.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            count += Cart.objects.filter(pk=pk, updated_at__lt=cutoff).delete()[1].get("orders.Cart", 0)
    return count
