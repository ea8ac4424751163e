"""What loyalty registers with customers: profile sections, the GDPR export and the signup hook."""

from decimal import Decimal

import pytest

from customers import registry
from loyalty import services
from loyalty.models import LoyaltyAccount
from tests.factories import CustomerFactory
from tests.loyalty.factories import RewardFactory

pytestmark = pytest.mark.django_db


def sections():
    return {s.name: s for s in registry.profile_sections()}


def test_profile_sections_give_tier_tokens_points_and_referral_code(customer, earn):
    earn(customer, Decimal("120"))
    services.loyalty_balance_adjust(customer=customer, tokens=4, reason="Grant")
    found = sections()
    assert found["membership_tier"].selector([customer]) == {customer.pk: "premium"}
    assert found["tokens"].selector([customer]) == {customer.pk: 4}
    assert found["loyalty_points"].selector([customer]) == {customer.pk: 120}
    code = LoyaltyAccount.objects.get(customer=customer).referral_code
    assert found["referral_code"].selector([customer]) == {customer.pk: code}


def test_profile_sections_cost_the_same_queries_for_many_customers(db, django_assert_max_num_queries):
    customers = [CustomerFactory() for _ in range(10)]
    services.loyalty_accounts_ensure(customers=customers)
    for name in ["membership_tier", "tokens", "loyalty_points", "referral_code"]:
        with django_assert_max_num_queries(2):
            values = sections()[name].selector(customers)
        assert set(values) == {c.pk for c in customers}


def test_profile_sections_open_missing_accounts_with_distinct_codes(db):
    customers = [CustomerFactory() for _ in range(5)]
    codes = sections()["referral_code"].selector(customers)
    assert len(set(codes.values())) == 5
    assert LoyaltyAccount.objects.count() == 5


def test_export_section_lists_ledger_redemptions_and_referrals(customer, earn):
    earn(customer, Decimal("200"), number="MNKY-1001")
    services.loyalty_reward_redeem(customer=customer, reward=RewardFactory(cost=100, name="Candle"))
    referee = CustomerFactory(referred_by_code=LoyaltyAccount.objects.get(customer=customer).referral_code)
    services.loyalty_referral_create_for_signup(customer=referee)
    data = registry.export_sections()["loyalty"](customer)
    assert [e["type"] for e in data["ledger"]] == ["redeem", "earn"]
    assert data["ledger"][1]["order_number"] == "MNKY-1001"
    assert data["redemptions"][0]["reward"] == "Candle"
    assert data["referrals"][0]["status"] == "pending"


def test_signup_hook_is_registered(db):
    assert "loyalty" in registry.signup_hooks()
