"""Helpers for return tests: a delivered order and returns made through the real services."""

from decimal import Decimal

from customers.models import Address
from orders.services import order_create, order_ship, shipment_deliver
from orders.services_returns import return_create
from tests.orders.factories import ADDRESS, ProductFactory


def delivered_order(customer, *, quantities=(2, 1), prices=("20.00", "10.00"), **kwargs):
    """A card-paid, delivered order with one line per quantity (default 2 × 20.00 and 1 × 10.00)."""
    products = [ProductFactory(price=Decimal(price)) for price in prices[: len(quantities)]]
    data = {
        "customer": customer,
        "items": [{"sku": p.sku, "quantity": q} for p, q in zip(products, quantities, strict=True)],
        "shipping_address": dict(ADDRESS),
        "shipping_total": Decimal("5.00"),
        "payment": {"method": "card", "status": "succeeded"},
        **kwargs,
    }
    order = order_create(**data)
    shipment_deliver(shipment=order_ship(order=order, courier="DHL", tracking_number="TRK-RET"))
    order.refresh_from_db()
    return order


def line(order, index=0, *, quantity=1, resolution="refund", reason="damaged", comment=""):
    item = list(order.items.all())[index]
    return {
        "item_id": item.public_id,
        "quantity": quantity,
        "resolution": resolution,
        "return_reason": reason,
        "comment": comment,
    }


def request_return(order, *lines, by=None, **kwargs):
    return return_create(order=order, items=list(lines) or [line(order)], by=by, **kwargs)


def make_address(customer, **kwargs):
    data = {
        "line1": "1 Pickup Lane",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62701",
        "country": "US",
    }
    return Address.objects.create(customer=customer, **{**data, **kwargs})
