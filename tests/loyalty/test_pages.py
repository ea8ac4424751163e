"""The /account/loyalty/ page."""

from decimal import Decimal

import pytest

from loyalty.models import LoyaltyAccount, Redemption
from tests.loyalty.factories import RewardFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.loyalty.urls")]

PAGE = "/account/loyalty/"


@pytest.fixture
def logged_in(client, customer):
    client.force_login(customer.user)
    return client


def test_page_shows_balance_tier_progress_rewards_activity_and_referral_code(logged_in, customer, earn):
    earn(customer, Decimal("60"), number="MNKY-1001")
    reward = RewardFactory(name="Travel spray", cost=50)
    response = logged_in.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="points-balance">60<' in html
    assert "40 more points to reach Premium" in html
    assert "Travel spray" in html and f"/account/loyalty/rewards/{reward.public_id}/redeem/" in html
    assert "MNKY-1001" in html
    assert LoyaltyAccount.objects.get(customer=customer).referral_code in html
    assert "csrfmiddlewaretoken" in html


def test_page_needs_a_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_page_is_404_for_a_staff_user_without_customer_account(client, staff_user):
    client.force_login(staff_user)
    assert client.get(PAGE).status_code == 404


def test_redeem_button_spends_points_and_shows_the_code(logged_in, customer, earn):
    earn(customer, Decimal("120"))
    reward = RewardFactory(cost=100)
    response = logged_in.post(f"/account/loyalty/rewards/{reward.public_id}/redeem/", follow=True)
    redemption = Redemption.objects.get(customer=customer)
    assert f"Your coupon code is {redemption.code}" in response.content.decode()
    assert LoyaltyAccount.objects.get(customer=customer).points_balance == 20


def test_redeem_button_short_of_points_shows_the_error(logged_in, customer):
    reward = RewardFactory(cost=100)
    response = logged_in.post(f"/account/loyalty/rewards/{reward.public_id}/redeem/", follow=True)
    assert "Not enough points" in response.content.decode()
    assert not Redemption.objects.exists()


def test_redeem_needs_post(logged_in):
    reward = RewardFactory(cost=100)
    assert logged_in.get(f"/account/loyalty/rewards/{reward.public_id}/redeem/").status_code == 405


def test_redeem_submitted_twice_with_the_same_form_spends_once(logged_in, customer, earn):
    earn(customer, Decimal("500"))
    reward = RewardFactory(cost=100)
    url = f"/account/loyalty/rewards/{reward.public_id}/redeem/"
    logged_in.post(url, {"request_key": "form-1"})
    logged_in.post(url, {"request_key": "form-1"})
    assert Redemption.objects.filter(customer=customer).count() == 1
    assert LoyaltyAccount.objects.get(customer=customer).points_balance == 400
    logged_in.post(url, {"request_key": "form-2"})
    assert Redemption.objects.filter(customer=customer).count() == 2


def test_page_query_count_does_not_grow_with_rows(logged_in, customer, earn, django_assert_max_num_queries):
    earn(customer, Decimal("10"))
    with django_assert_max_num_queries(14):
        logged_in.get(PAGE)
    for _ in range(12):
        earn(customer, Decimal("50"))
        RewardFactory(cost=10)
    for reward in list(RewardFactory._meta.model.objects.all()[:5]):
        logged_in.post(f"/account/loyalty/rewards/{reward.public_id}/redeem/")
    with django_assert_max_num_queries(14):
        assert logged_in.get(PAGE).status_code == 200
