"""The business demo seeds Customer XYZ through the services, and a second run changes nothing."""

from decimal import Decimal

import pytest

from customers.demo_business import XYZ_EMAIL, seed_business
from customers.management.commands.seed_demo import DemoReport
from customers.models import CreditCheck, Customer

pytestmark = pytest.mark.django_db


def test_seed_business_creates_customer_xyz_with_a_year_of_orders_and_is_idempotent():
    seed_business(DemoReport())
    customer = Customer.objects.get(email=XYZ_EMAIL)
    assert (customer.kind, customer.payment_terms, customer.credit_limit) == (
        "business",
        "net_30",
        Decimal("10000.00"),
    )
    assert customer.contacts.filter(is_primary=True).count() == 1 and customer.contacts.count() == 2
    assert customer.orders.count() == 24
    open_credit = sum(o.credit_used for o in customer.orders.all())
    assert customer.current_balance == open_credit > 0
    assert customer.orders.filter(payment_status="paid").count() >= 20
    assert CreditCheck.objects.filter(customer=customer).count() == 1
    # when seeded again, nothing is added
    seed_business(DemoReport())
    assert customer.orders.count() == 24 and CreditCheck.objects.count() == 1
