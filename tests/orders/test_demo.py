"""The demo seed: catalog and Jane's orders, idempotent."""

import pytest

from orders import demo
from orders.models import Order, OrderStatus, Product

pytestmark = pytest.mark.django_db


class Report:
    def __init__(self):
        self.logins, self.notes = [], []

    def login(self, role, email, password):
        self.logins.append((role, email, password))

    def note(self, text):
        self.notes.append(text)


def test_seed_creates_catalog_and_janes_orders_in_several_states_idempotently():
    demo.seed(Report())
    demo.seed(Report())
    skus = [row[0] for row in demo.CATALOG]
    assert Product.objects.filter(sku__in=skus).count() == len(skus)
    assert all(p.image for p in Product.objects.filter(sku__in=skus))
    statuses = set(Order.objects.filter(customer__email=demo.JANE_EMAIL).values_list("status", flat=True))
    assert statuses == {
        OrderStatus.PARTIALLY_REFUNDED,  # delivered, then one item returned (orders.demo_returns)
        OrderStatus.SHIPPED,
        OrderStatus.PAYMENT_FAILED,
        OrderStatus.CANCELLED,
        OrderStatus.PAID,
    }
    assert Order.objects.filter(customer__email=demo.JANE_EMAIL).count() == 5
