"""The staff customer list's `membership_tier` filter, computed from the last 12 months' points."""

from decimal import Decimal

import pytest
from django.utils import timezone

from loyalty.services import loyalty_points_earn_for_order
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def earn(customer, amount: str, number: str):
    loyalty_points_earn_for_order(
        customer=customer,
        order_number=number,
        paid_total=Decimal(amount),
        delivered_at=timezone.now(),
        return_window_days=30,
    )


def test_membership_tier_filter_keeps_each_customer_in_the_band_of_their_points(staff_client):
    member = CustomerFactory()
    premium = CustomerFactory()
    vip = CustomerFactory()
    earn(premium, "150.00", "MNKY-9001")
    earn(vip, "600.00", "MNKY-9002")

    def ids(tier):
        response = staff_client.get("/api/customers", {"membership_tier": tier, "limit": 100})
        assert response.status_code == 200
        return {row["id"] for row in response.json()["data"]}

    assert member.public_id in ids("member") and premium.public_id not in ids("member")
    assert ids("premium") == {premium.public_id}
    assert ids("vip") == {vip.public_id}
    assert ids("platinum") == set()
