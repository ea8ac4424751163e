"""A customer redeems a reward from the loyalty page."""

import pytest
from playwright.sync_api import expect

from loyalty import services
from loyalty.models import Redemption
from tests.loyalty.factories import RewardFactory

# The loyalty URLconf of the tests adds the account routes the base template links to until
# the auth pages are merged; it is the project's URLconf otherwise.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.loyalty.urls"),
]


def test_redeem_a_reward_from_the_loyalty_page(login_page, live_server, customer):
    services.loyalty_balance_adjust(customer=customer, points=150, reason="Welcome gift")
    reward = RewardFactory(name="Travel spray", cost=100)
    page = login_page(customer.user)

    page.goto(f"{live_server.url}/account/loyalty/")
    expect(page.get_by_test_id("points-balance")).to_have_text("150")
    page.locator(f'[data-reward="{reward.public_id}"]').get_by_role("button", name="Redeem").click()

    expect(page.get_by_role("status")).to_contain_text("Your coupon code is MNKY-")
    expect(page.get_by_test_id("points-balance")).to_have_text("50")
    code = Redemption.objects.get(customer=customer).code
    expect(page.get_by_test_id("coupons")).to_contain_text(code)
