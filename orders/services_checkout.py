"""Checkout: the cart becomes an order in one transaction, then the payment provider is charged.

Lock order (the same as order ingest): the cart, the variants by primary key, the discount codes by
primary key, then the customer (on-account credit, inside `order_create`) and the loyalty account.
Anything that changed since the cart was priced (price, stock, a code, points) is written back to
the cart, that change is committed, and the checkout answers 409 naming each line.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from config.errors import Conflict, ValidationFailed
from loyalty.services import loyalty_account_ensure, loyalty_points_spend_for_order
from orders.models import (
    Cart,
    CartDiscount,
    DiscountCode,
    DiscountRedemption,
    Order,
    OrderStatus,
    PaymentMethod,
    ProductVariant,
)
from orders.selectors_cart import cart_codes, cart_lines, cart_price
from orders.services import order_charge, order_create
from orders.services_catalog import discount_code_check

CHECKOUT_METHODS = (PaymentMethod.CARD, PaymentMethod.BANK_TRANSFER, PaymentMethod.ON_ACCOUNT)


def checkout(*, customer, payment_method: str, payment_token: str = "") -> Order:
    """Place the cart's order and charge it: `paid`, `payment_failed`, `pending_payment` (bank
    transfer) or `processing` (on account)."""
    if payment_method not in CHECKOUT_METHODS:
        raise ValidationFailed.on("payment.method", "One of card, bank_transfer, on_account.")
    result = _place(customer=customer, payment_method=payment_method)
    if isinstance(result, Conflict):
        raise result  # the cart now holds the current prices (committed)
    order = result
    if payment_method != PaymentMethod.ON_ACCOUNT:
        order = order_charge(order=order, method=payment_method, payment_token=payment_token)
    if order.status != OrderStatus.PAYMENT_FAILED:
        from orders.tasks import send_order_email

        order_id = order.pk
        transaction.on_commit(lambda: send_order_email.delay(order_id=order_id, kind="confirmation"))
    return order


@transaction.atomic
def _place(*, customer, payment_method: str) -> Order | Conflict:
    cart = Cart.objects.select_for_update().filter(customer=customer).first()
    lines = cart_lines(cart) if cart else []
    if not lines:
        raise ValidationFailed.on("items", "Your cart is empty.")
    if not cart.shipping_address:
        raise ValidationFailed.on("shipping_address", "Choose a shipping address.")
    if not cart.shipping_method:
        raise ValidationFailed.on("shipping_method", "Choose a shipping method.")

    variants = {
        v.pk: v
        for v in ProductVariant.objects.select_for_update()
        .select_related("product")
        .filter(pk__in=[line.variant_id for line in lines])
        .order_by("pk")
    }
    problems: dict[str, list[str]] = {}
    for line in list(lines):
        variant = variants[line.variant_id]
        line.variant = variant
        key = f"items.{line.public_id}"
        if not variant.is_sellable:
            problems[key] = [f"{variant.sku} is not sold any more; it was removed from your cart."]
            line.delete()
            lines.remove(line)
            continue
        if line.unit_price != variant.price:
            problems.setdefault(key, []).append(
                f"The price of {variant.sku} changed from {line.unit_price} to {variant.price}."
            )
            line.unit_price = variant.price
            line.save(update_fields=["unit_price"])
        if variant.stock < line.quantity:
            problems.setdefault(key, []).append(f"Only {variant.stock} of {variant.sku} available.")

    applied = cart_codes(cart)
    locked = {
        c.pk: c
        for c in DiscountCode.objects.select_for_update()
        .filter(pk__in=[c.pk for c in applied])
        .order_by("pk")
    }
    codes = [locked[c.pk] for c in applied]
    subtotal = cart_price(cart, lines, []).subtotal
    now = timezone.now()
    for code in list(codes):
        others = [c for c in codes if c.pk != code.pk]
        problem = discount_code_check(
            discount=code, customer=customer, subtotal=subtotal, others=others, now=now
        )
        if problem is not None:
            problems[f"discount_codes.{code.code}"] = [f"{problem.message} It was removed from your cart."]
            CartDiscount.objects.filter(cart=cart, discount_code=code).delete()
            codes.remove(code)

    if cart.points_applied:
        redeemable = loyalty_account_ensure(customer=customer).redeemable_points
        if cart.points_applied > redeemable:
            problems["points"] = [
                f"You have {redeemable} redeemable points; the cart now holds {redeemable}."
            ]
            cart.points_applied = redeemable
            cart.save(update_fields=["points_applied"])

    if problems:
        Cart.objects.filter(pk=cart.pk).update(updated_at=now)
        return Conflict("Your cart changed since it was priced; please review it.", details=problems)

    priced = cart_price(cart, lines, codes)
    order = order_create(
        customer=customer,
        currency=cart.currency,
        items=[
            {"sku": line.variant.sku, "quantity": line.quantity, "unit_price": line.unit_price}
            for line in lines
        ],
        shipping_address=dict(cart.shipping_address),
        billing_address=dict(cart.billing_address) or None,
        shipping_total=priced.shipping_total,
        tax_total=priced.tax_total,
        discount_total=priced.discount_total,
        points_discount=priced.points_discount,
        subtotal=priced.subtotal,
        total=priced.total,
        on_account=payment_method == PaymentMethod.ON_ACCOUNT,
    )
    for applied_code in priced.codes:
        code = applied_code.code
        DiscountCode.objects.filter(pk=code.pk).update(times_used=F("times_used") + 1, updated_at=now)
        DiscountRedemption.objects.create(
            discount_code=code,
            customer=customer,
            order=order,
            amount=applied_code.amount,
            once_per_customer=code.once_per_customer,
        )
    if priced.points_applied:
        loyalty_points_spend_for_order(
            customer=customer, order_number=order.number, points=priced.points_applied
        )

    cart.lines.all().delete()
    CartDiscount.objects.filter(cart=cart).delete()
    cart.points_applied = 0
    cart.save(update_fields=["points_applied", "updated_at"])
    return order
