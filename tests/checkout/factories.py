"""Factories of the cart and checkout tests: products with variants, codes, ready carts."""

from decimal import Decimal

import factory

from loyalty.services import loyalty_balance_adjust
from orders.models import DiscountCode, Product, ProductVariant
from orders.services_cart import cart_addresses_set, cart_item_add, cart_shipping_method_set

ADDRESS = {
    "first_name": "Jane",
    "last_name": "Smith",
    "line1": "1 Main St",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
    "country": "US",
}


class ProductWithVariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"VP-{n:05d}")
    name = factory.Sequence(lambda n: f"Diffuser {n}")
    description = "Reed diffuser."
    price = Decimal("20.00")
    currency = "USD"


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductVariant

    product = factory.SubFactory(ProductWithVariantFactory)
    sku = factory.Sequence(lambda n: f"VAR-{n:05d}")
    name = "100 ml"
    price = Decimal("20.00")
    currency = "USD"
    stock = 10


class DiscountCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiscountCode

    code = factory.Sequence(lambda n: f"SAVE{n}")
    description = "10% off"
    kind = DiscountCode.Kind.PERCENTAGE
    value = Decimal("10.00")
    currency = "USD"


def give_points(customer, points: int) -> None:
    loyalty_balance_adjust(customer=customer, points=points, reason="Test grant")


def ready_cart(customer, lines, *, method="standard", address=None):
    """A cart with `[(variant, quantity)]`, a shipping address and a method."""
    for variant, quantity in lines:
        cart_item_add(customer=customer, variant_id=variant.public_id, quantity=quantity)
    cart_addresses_set(customer=customer, shipping_address=dict(address or ADDRESS))
    cart_shipping_method_set(customer=customer, code=method)
