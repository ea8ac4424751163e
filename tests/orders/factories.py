"""Factories for the catalog and orders; orders are made through the real ingest service."""

from decimal import Decimal

import factory

from orders.models import Product
from orders.services import order_create, order_ship, shipment_deliver

ADDRESS = {
    "first_name": "Jane",
    "last_name": "Smith",
    "line1": "1 Main St",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
    "country": "US",
}


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Candle {n}")
    description = "A hand-poured soy candle."
    price = Decimal("20.00")
    currency = "USD"


def make_order(customer, *, products=None, quantity=1, payment="succeeded", on_account=False, **kwargs):
    """An order through `order_create`: paid by card unless told otherwise."""
    products = products or [ProductFactory()]
    data = {
        "customer": customer,
        "items": [{"sku": p.sku, "quantity": quantity} for p in products],
        "shipping_address": dict(ADDRESS),
        "shipping_total": Decimal("5.00"),
        **kwargs,
    }
    if on_account:
        data["on_account"] = True
    elif payment:
        data["payment"] = {"method": "card", "status": payment}
    return order_create(**data)


def make_delivered_order(customer, **kwargs):
    order = make_order(customer, **kwargs)
    shipment = order_ship(order=order, courier="DHL", tracking_number="TRK1")
    shipment_deliver(shipment=shipment)
    order.refresh_from_db()
    return order
