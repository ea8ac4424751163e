"""Writes on the catalog's depth: products with variants, audited stock, discount codes.

Stock changes only here, under a row lock on the variant, each with a `StockMovement` saying who
and why. Several variants are always locked in primary-key order, so two checkouts (or an ingest)
never wait on each other in a cycle.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from config.errors import Conflict, ValidationFailed
from orders.models import DiscountCode, Product, ProductVariant, StockMovement
from orders.registry import product_writers

ZERO = Decimal("0.00")


# Money columns hold 12 digits with 2 decimals; stock is a 32-bit integer column.
MAX_AMOUNT = Decimal("9999999999.99")
MAX_STOCK = 1_000_000_000


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed.on(field, "Enter an amount such as 12.50.")
    if amount < 0:
        raise ValidationFailed.on(field, "Must be zero or more.")
    if amount > MAX_AMOUNT:
        raise ValidationFailed.on(field, f"At most {MAX_AMOUNT}.")
    return amount


# --- stock -----------------------------------------------------------------------------------


def _move(
    *, variant: ProductVariant, quantity: int, kind: str, reason: str, order=None, by=None, api_key=None
):
    ProductVariant.objects.filter(pk=variant.pk).update(
        stock=F("stock") + quantity, updated_at=timezone.now()
    )
    variant.stock += quantity
    return StockMovement.objects.create(
        variant=variant,
        kind=kind,
        quantity=quantity,
        stock_after=variant.stock,
        reason=reason[:255],
        order=order,
        created_by=by if getattr(by, "pk", None) else None,
        api_key=api_key,
    )


@transaction.atomic
def variant_stock_adjust(
    *, variant: ProductVariant, quantity: int, reason: str, by=None, api_key=None
) -> StockMovement:
    """A signed stock adjustment with a reason; below zero is 409."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.on("stock_adjustment.reason", "A reason is required.")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity == 0:
        raise ValidationFailed.on("stock_adjustment.quantity", "A non-zero whole number.")
    if variant.stock + quantity > MAX_STOCK:
        raise ValidationFailed.on("stock_adjustment.quantity", f"Stock can be at most {MAX_STOCK}.")
    variant.refresh_from_db(from_queryset=ProductVariant.objects.select_for_update())
    if variant.stock + quantity < 0:
        raise Conflict(
            f"{variant.sku} has {variant.stock} in stock; it cannot go below zero.",
            details={"stock_adjustment.quantity": [f"At most {variant.stock} can be taken out."]},
        )
    return _move(
        variant=variant,
        quantity=quantity,
        kind=StockMovement.Kind.ADJUSTMENT,
        reason=reason,
        by=by,
        api_key=api_key,
    )


def stock_take_for_order(*, order, wanted: dict[int, int], by=None) -> None:
    """Take `{variant pk: quantity}` out of stock for an order, in pk order; 409 naming each short SKU.

    Runs inside the order's transaction; the variants stay locked until it commits.
    """
    variants = list(ProductVariant.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
    short = {
        v.sku: [f"Only {v.stock} of {v.sku} available, {wanted[v.pk]} wanted."]
        for v in variants
        if v.stock < wanted[v.pk]
    }
    if short:
        raise Conflict("Not enough stock: " + ", ".join(short) + ".", details=short)
    for variant in variants:
        _move(
            variant=variant,
            quantity=-wanted[variant.pk],
            kind=StockMovement.Kind.ORDER,
            reason=f"Order {order.number}",
            order=order,
            by=by,
        )


def stock_return_for_order(*, order, by=None) -> None:
    """Put a cancelled order's variants back in stock (inside the cancellation's transaction)."""
    wanted: dict[int, int] = defaultdict(int)
    for variant_id, quantity in order.items.filter(variant__isnull=False).values_list(
        "variant_id", "quantity"
    ):
        wanted[variant_id] += quantity
    for variant in ProductVariant.objects.select_for_update().filter(pk__in=wanted).order_by("pk"):
        _move(
            variant=variant,
            quantity=wanted[variant.pk],
            kind=StockMovement.Kind.CANCELLATION,
            reason=f"Order {order.number} cancelled",
            order=order,
            by=by,
        )


# --- products and variants -------------------------------------------------------------------


def _sku_taken(sku: str, *, product: Product | None = None) -> bool:
    variants = ProductVariant.objects.filter(sku__iexact=sku)
    products = Product.objects.filter(sku__iexact=sku)
    if product is not None:
        products = products.exclude(pk=product.pk)
    return variants.exists() or products.exists()


def _write_registered(product: Product, values: dict) -> None:
    writers = product_writers()
    for name, value in values.items():
        if value is None:
            continue
        writer = writers.get(name)
        if writer is None:
            if value:
                raise ValidationFailed.on(name, f"This catalog has no {name} to set.")
            continue
        writer(product, value)


@transaction.atomic
def product_create(
    *,
    name: str,
    variants: list[dict],
    description: str = "",
    notes: list[str] | None = None,
    is_active: bool = True,
    by=None,
    api_key=None,
) -> Product:
    """A product with its variants; the first variant's SKU and price are the product's own."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed.on("name", "A name is required.")
    if not variants:
        raise ValidationFailed.on("variants", "A product needs at least one variant.")
    skus = [str(v.get("sku") or "").strip() for v in variants]
    for index, sku in enumerate(skus):
        if not sku:
            raise ValidationFailed.on(f"variants[{index}].sku", "A SKU is required.")
    if len({s.upper() for s in skus}) != len(skus):
        raise Conflict("The same SKU appears twice.", details={"variants": ["SKUs must be unique."]})
    taken = [s for s in skus if _sku_taken(s)]
    if taken:
        raise Conflict(
            f"SKU {taken[0]} is already used.", details={"sku": [f"{s} is already used." for s in taken]}
        )
    cleaned = []
    for index, v in enumerate(variants):
        stock = v.get("stock", 0)
        if not isinstance(stock, int) or isinstance(stock, bool) or not 0 <= stock <= MAX_STOCK:
            raise ValidationFailed.on(f"variants[{index}].stock", f"A whole number from 0 to {MAX_STOCK}.")
        price = _money(v.get("price"), f"variants[{index}].price")
        currency = str(v.get("currency") or "USD").upper()
        cleaned.append((skus[index], str(v.get("name") or "").strip(), price, currency, stock))
    first = cleaned[0]
    try:
        with transaction.atomic():
            product = Product.objects.create(
                sku=first[0],
                name=name,
                description=description or "",
                price=first[2],
                currency=first[3],
                is_active=is_active,
            )
            for position, (sku, vname, price, currency, stock) in enumerate(cleaned):
                variant = ProductVariant.objects.create(
                    product=product,
                    sku=sku,
                    name=vname,
                    price=price,
                    currency=currency,
                    stock=0,
                    position=position,
                )
                if stock:
                    _move(
                        variant=variant,
                        quantity=stock,
                        kind=StockMovement.Kind.INITIAL,
                        reason="Initial stock",
                        by=by,
                        api_key=api_key,
                    )
    except IntegrityError:
        raise Conflict("A SKU is already used.", details={"sku": ["Already used."]})
    _write_registered(product, {"notes": notes})
    return product


@transaction.atomic
def product_update(
    *,
    product: Product,
    name: str | None = None,
    description: str | None = None,
    notes: list[str] | None = None,
    is_active: bool | None = None,
) -> Product:
    if name is not None:
        if not name.strip():
            raise ValidationFailed.on("name", "A name is required.")
        product.name = name.strip()
    if description is not None:
        product.description = description
    if is_active is not None:
        product.is_active = is_active
    product.save()
    _write_registered(product, {"notes": notes})
    return product


@transaction.atomic
def variant_update(
    *,
    variant: ProductVariant,
    name: str | None = None,
    price=None,
    is_active: bool | None = None,
    stock_adjustment: dict | None = None,
    by=None,
    api_key=None,
) -> ProductVariant:
    """Name, price and active flag; a stock adjustment goes through `variant_stock_adjust`."""
    variant.refresh_from_db(from_queryset=ProductVariant.objects.select_for_update())
    if name is not None:
        variant.name = name.strip()
    if price is not None:
        variant.price = _money(price, "price")
    if is_active is not None:
        variant.is_active = is_active
    variant.save(update_fields=["name", "price", "is_active", "updated_at"])
    product = variant.product
    if product.sku == variant.sku and product.price != variant.price:
        Product.objects.filter(pk=product.pk).update(price=variant.price)
    if stock_adjustment:
        variant_stock_adjust(
            variant=variant,
            quantity=stock_adjustment.get("quantity"),
            reason=stock_adjustment.get("reason", ""),
            by=by,
            api_key=api_key,
        )
    return variant


# --- discount codes --------------------------------------------------------------------------

_CODE_FIELDS = (
    "description",
    "kind",
    "value",
    "currency",
    "starts_at",
    "ends_at",
    "min_subtotal",
    "usage_limit",
    "once_per_customer",
    "combinable",
    "is_active",
)


def _validate_code(code: DiscountCode) -> None:
    if code.kind not in DiscountCode.Kind.values:
        raise ValidationFailed.on("kind", "One of percentage, fixed.")
    if code.value is None or code.value <= 0:
        raise ValidationFailed.on("value", "Must be more than zero.")
    if code.kind == DiscountCode.Kind.PERCENTAGE and code.value > 100:
        raise ValidationFailed.on("value", "A percentage is at most 100.")
    if code.starts_at and code.ends_at and code.ends_at <= code.starts_at:
        raise ValidationFailed.on("ends_at", "Must be after starts_at.")
    if code.usage_limit is not None and code.usage_limit < code.times_used:
        raise ValidationFailed.on("usage_limit", f"The code was already used {code.times_used} times.")


@transaction.atomic
def discount_code_create(*, code: str, kind: str, value: Decimal, **fields) -> DiscountCode:
    code = (code or "").strip().upper()
    if not code:
        raise ValidationFailed.on("code", "A code is required.")
    if DiscountCode.objects.filter(code=code).exists():
        raise Conflict(f"Code {code} already exists.", details={"code": ["Already exists."]})
    discount = DiscountCode(code=code, kind=kind, value=value)
    for key in _CODE_FIELDS:
        if key in fields and fields[key] is not None:
            setattr(discount, key, fields[key])
    discount.currency = discount.currency.upper()
    _validate_code(discount)
    try:
        with transaction.atomic():
            discount.save()
    except IntegrityError:
        raise Conflict(f"Code {code} already exists.", details={"code": ["Already exists."]})
    return discount


@transaction.atomic
def discount_code_update(*, discount: DiscountCode, **fields) -> DiscountCode:
    discount.refresh_from_db(from_queryset=DiscountCode.objects.select_for_update())
    for key in _CODE_FIELDS:
        if key in fields:
            setattr(discount, key, fields[key])
    _validate_code(discount)
    discount.save()
    return discount


@transaction.atomic
def discount_code_delete(*, discount: DiscountCode) -> None:
    """Only a code never used can be deleted (409): deactivate a used one instead."""
    discount.refresh_from_db(from_queryset=DiscountCode.objects.select_for_update())
    if discount.times_used or discount.redemptions.exists():
        raise Conflict(f"Code {discount.code} has been used; set is_active to false instead.")
    discount.delete()


def discount_code_check(
    *, discount: DiscountCode | None, customer, subtotal: Decimal, others: list, now: datetime
):
    """Why `discount` cannot apply to a cart: ValidationFailed (unknown, inactive, expired) or
    Conflict (conditions not met); None when it applies. `others` are the cart's other codes."""
    if discount is None or not discount.is_active:
        return ValidationFailed.on("code", "Unknown discount code.")
    if discount.starts_at and now < discount.starts_at:
        return ValidationFailed.on("code", f"Code {discount.code} is not valid yet.")
    if discount.ends_at and now >= discount.ends_at:
        return ValidationFailed.on("code", f"Code {discount.code} has expired.")
    if subtotal < discount.min_subtotal:
        return Conflict(
            f"Code {discount.code} needs a subtotal of at least {discount.min_subtotal}.",
            details={"code": [f"Minimum subtotal {discount.min_subtotal}."]},
        )
    if discount.usage_limit is not None and discount.times_used >= discount.usage_limit:
        return Conflict(f"Code {discount.code} has been used up.", details={"code": ["Usage limit reached."]})
    if discount.once_per_customer and discount.redemptions.filter(customer=customer).exists():
        return Conflict(
            f"You have already used code {discount.code}.", details={"code": ["Once per customer."]}
        )
    if others and (not discount.combinable or any(not o.combinable for o in others)):
        return Conflict(
            f"Code {discount.code} cannot be combined with other codes.",
            details={"code": ["Not combinable."]},
        )
    return None
