"""Demo data of the shop: variants with stock, product images with alt text (drawn by Pillow)
and two discount codes. Idempotent: stock is set only when a variant is first made."""

from decimal import Decimal

from django.db import transaction

from orders.models import DiscountCode, Product, ProductImage, ProductVariant, StockMovement

# The base variant keeps the product's SKU; some products come in a second size.
SIZES = {
    "candle": ("200 g", [("400", "400 g", Decimal("18.00"))]),
    "diffuser": ("100 ml", [("250", "250 ml", Decimal("24.00"))]),
    "room spray": ("100 ml", []),
    "perfume oil": ("10 ml", [("30", "30 ml", Decimal("40.00"))]),
}
STOCK = {"base": 40, "extra": 15}
CODES = [
    {
        "code": "WELCOME10",
        "description": "10% off your first order",
        "kind": DiscountCode.Kind.PERCENTAGE,
        "value": Decimal("10.00"),
        "once_per_customer": True,
        "combinable": True,
    },
    {
        "code": "SPRING5",
        "description": "5.00 off orders of 30.00 or more",
        "kind": DiscountCode.Kind.FIXED,
        "value": Decimal("5.00"),
        "min_subtotal": Decimal("30.00"),
        "usage_limit": 100,
        "combinable": True,
    },
]


def _variant(product, *, sku, name, price, stock, position):
    variant, created = ProductVariant.objects.get_or_create(
        sku=sku,
        defaults={
            "product": product,
            "name": name,
            "price": price,
            "currency": product.currency,
            "position": position,
        },
    )
    if created and stock:
        ProductVariant.objects.filter(pk=variant.pk).update(stock=stock)
        StockMovement.objects.create(
            variant=variant,
            kind=StockMovement.Kind.INITIAL,
            quantity=stock,
            stock_after=stock,
            reason="Demo stock",
        )
    return variant


@transaction.atomic
def seed_shop(report) -> None:
    from orders.demo import CATALOG, _image

    variants = 0
    for sku, name, kind, price, colour in CATALOG:
        product = Product.objects.get(sku=sku)
        base_name, extras = SIZES[kind]
        _variant(product, sku=sku, name=base_name, price=Decimal(price), stock=STOCK["base"], position=0)
        variants += 1
        for position, (suffix, size, surcharge) in enumerate(extras, start=1):
            extra_sku = sku.rsplit("-", 1)[0] + f"-{suffix}"
            _variant(
                product,
                sku=extra_sku,
                name=size,
                price=Decimal(price) + surcharge,
                stock=STOCK["extra"],
                position=position,
            )
            variants += 1
        if not product.images.exists():
            picture = ProductImage(product=product, alt=f"{name}: a {kind} in its {base_name} size")
            picture.image.save(f"{sku.lower()}-1.png", _image(colour, f"{name} {base_name}"), save=True)
    for values in CODES:
        DiscountCode.objects.update_or_create(code=values["code"], defaults=values)
    report.note(
        f"Shop: {variants} variants in stock, product images; discount codes "
        "WELCOME10 (10% off, once per customer) and SPRING5 (5.00 off from 30.00, 100 uses). "
        "Shop at /shop/, pay with any card token but tok_decline."
    )
