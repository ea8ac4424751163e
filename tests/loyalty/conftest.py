from datetime import timedelta

import pytest
from django.utils import timezone

from loyalty import services
from tests.loyalty.factories import RewardFactory


@pytest.fixture
def reward(db):
    return RewardFactory(cost=100)


@pytest.fixture
def earn():
    """Post points for an order delivered long enough ago that they are redeemable at once."""
    counter = {"n": 1000}

    def post(customer, total, *, number=None, locked=False):
        counter["n"] += 1
        return services.loyalty_points_earn_for_order(
            customer=customer,
            order_number=number or f"MNKY-{counter['n']}",
            paid_total=total,
            delivered_at=timezone.now() - timedelta(days=0 if locked else 31),
            return_window_days=30,
        )

    return post
