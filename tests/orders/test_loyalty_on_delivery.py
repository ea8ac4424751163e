"""Delivery sets off loyalty: points earned once per order, a pending referral completed."""

from decimal import Decimal

import pytest

from config.errors import DomainError
from loyalty.models import LedgerEntry
from loyalty.services import loyalty_account_ensure
from orders.services import order_ship, shipment_deliver
from tests.factories import CustomerFactory
from tests.orders.factories import ProductFactory, make_delivered_order, make_order

pytestmark = pytest.mark.django_db


def test_delivery_earns_points_on_the_paid_total_locked_until_the_return_window_ends(customer):
    order = make_delivered_order(customer, products=[ProductFactory(price=Decimal("40.00"))])

    entry = LedgerEntry.objects.get(customer=customer, type=LedgerEntry.Type.EARN)
    account = loyalty_account_ensure(customer=customer)
    assert entry.order_number == order.number
    assert entry.points == int(order.amount_paid)  # 1 point per 1.00 at the member tier
    assert account.points_balance == entry.points
    assert account.redeemable_points == 0


def test_recording_delivery_again_earns_nothing_more(customer):
    order = make_order(customer)
    shipment = order_ship(order=order, courier="DHL", tracking_number="T1")
    shipment_deliver(shipment=shipment)
    with pytest.raises(DomainError):  # delivering a delivered shipment is refused
        shipment_deliver(shipment=shipment)

    assert LedgerEntry.objects.filter(customer=customer, type=LedgerEntry.Type.EARN).count() == 1


def test_first_delivered_order_of_a_referred_customer_credits_the_referrer_once(settings):
    referrer = CustomerFactory()
    code = loyalty_account_ensure(customer=referrer).referral_code
    from customers.services.registration import customer_register

    referee = customer_register(
        email="new.friend@example.com",
        password="Amber-Oud-Night-9",
        first_name="New",
        last_name="Friend",
        accepted_terms=True,
        referral_code=code,
    )

    make_delivered_order(referee)
    make_delivered_order(referee)

    rewards = LedgerEntry.objects.filter(customer=referrer, type=LedgerEntry.Type.REFERRAL)
    assert rewards.count() == 1
    assert rewards.get().points == settings.LOYALTY_REFERRAL_REWARD
