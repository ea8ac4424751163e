"""The loyalty rules: earning, locking, reversal, redemption, adjustment, referrals and expiry."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone
from freezegun import freeze_time

from config.errors import Conflict, ValidationFailed
from loyalty import services
from loyalty.models import LedgerEntry, LoyaltyAccount, OrderEarning, Redemption, Referral
from loyalty.selectors import tier_status_for_customer
from tests.factories import CustomerFactory
from tests.loyalty.factories import RewardFactory

pytestmark = pytest.mark.django_db


def account_of(customer) -> LoyaltyAccount:
    return LoyaltyAccount.objects.get(customer=customer)


def assert_balanced(customer):
    account = account_of(customer)
    sums = LedgerEntry.objects.filter(customer=customer).aggregate(p=Sum("points"), t=Sum("tokens"))
    assert account.points_balance == (sums["p"] or 0)
    assert account.tokens_balance == (sums["t"] or 0)


# Earning


def test_earn_for_order_posts_paid_total_times_rate_rounded_down(customer, settings):
    settings.LOYALTY_EARN_RATE = Decimal("1")
    entry = services.loyalty_points_earn_for_order(
        customer=customer,
        order_number="MNKY-1001",
        paid_total=Decimal("84.97"),
        delivered_at=timezone.now(),
        return_window_days=30,
    )
    assert entry.type == "earn" and entry.points == 84 and entry.order_number == "MNKY-1001"
    assert entry.idempotency_key == "order:MNKY-1001:earn"
    account = account_of(customer)
    assert account.points_balance == 84 and account.lifetime_earned == 84
    assert_balanced(customer)


def test_earn_for_order_uses_the_configured_rate(customer, settings, earn):
    settings.LOYALTY_EARN_RATE = Decimal("2.5")
    assert earn(customer, Decimal("10.00")).points == 25


def test_earn_for_order_applies_the_tier_multiplier(customer, earn):
    # Given 150 points earned this year (premium, ×1.25)
    earn(customer, Decimal("150.00"))
    assert tier_status_for_customer(customer=customer).tier.name == "premium"
    # When another order of 100.00 is delivered, then it earns 125 points
    assert earn(customer, Decimal("100.00")).points == 125


def test_earn_for_order_posts_once_however_often_delivery_is_recorded(customer):
    kwargs = {
        "customer": customer,
        "order_number": "MNKY-1001",
        "paid_total": Decimal("50.00"),
        "delivered_at": timezone.now(),
        "return_window_days": 14,
    }
    first = services.loyalty_points_earn_for_order(**kwargs)
    again = services.loyalty_points_earn_for_order(**kwargs)
    assert first is not None and again is None
    assert LedgerEntry.objects.filter(customer=customer).count() == 1
    assert account_of(customer).points_balance == 50


def test_earn_for_order_locks_points_until_the_return_window_ends(customer):
    services.loyalty_points_earn_for_order(
        customer=customer,
        order_number="MNKY-1001",
        paid_total=Decimal("50.00"),
        delivered_at=timezone.now(),
        return_window_days=14,
    )
    account = account_of(customer)
    assert account.points_balance == 50 and account.redeemable_points == 0
    # Before the window ends nothing is released
    assert services.loyalty_points_release(now=timezone.now() + timedelta(days=13)) == 0
    # After it, the points become redeemable
    assert services.loyalty_points_release(now=timezone.now() + timedelta(days=15)) == 50
    account.refresh_from_db()
    assert account.points_balance == 50 and account.redeemable_points == 50
    assert OrderEarning.objects.get(order_number="MNKY-1001").released_at is not None
    assert services.loyalty_points_release(now=timezone.now() + timedelta(days=16)) == 0


def test_earn_for_order_delivered_before_the_window_ends_is_redeemable_at_once(customer, earn):
    earn(customer, Decimal("40.00"))
    assert account_of(customer).redeemable_points == 40


def test_earn_for_order_of_nothing_posts_nothing(customer, earn):
    assert earn(customer, Decimal("0.50")) is None
    assert not LedgerEntry.objects.filter(customer=customer).exists()


def test_earn_for_order_refuses_a_missing_order_number(customer):
    with pytest.raises(ValidationFailed):
        services.loyalty_points_earn_for_order(
            customer=customer,
            order_number=" ",
            paid_total=Decimal("1"),
            delivered_at=timezone.now(),
            return_window_days=1,
        )


# Reversal


def test_reverse_for_order_inside_the_window_takes_locked_points_back(customer):
    services.loyalty_points_earn_for_order(
        customer=customer,
        order_number="MNKY-1001",
        paid_total=Decimal("100.00"),
        delivered_at=timezone.now(),
        return_window_days=30,
    )
    entry = services.loyalty_points_reverse_for_order(
        customer=customer,
        order_number="MNKY-1001",
        amount=Decimal("25.00"),
        reason="Returned",
        key_suffix="return:ret_1",
    )
    assert entry.type == "reverse" and entry.points == -25 and entry.shortfall_points == 0
    account = account_of(customer)
    assert account.points_balance == 75 and account.locked_points == 75 and account.lifetime_earned == 75
    assert_balanced(customer)


def test_reverse_for_order_is_idempotent_per_key_suffix(customer, earn):
    earn(customer, Decimal("100.00"), number="MNKY-1001")
    kwargs = {
        "customer": customer,
        "order_number": "MNKY-1001",
        "amount": Decimal("10"),
        "reason": "",
        "key_suffix": "cancel",
    }
    assert services.loyalty_points_reverse_for_order(**kwargs) is not None
    assert services.loyalty_points_reverse_for_order(**kwargs) is None
    assert account_of(customer).points_balance == 90


def test_reverse_for_order_never_takes_more_than_the_order_earned(customer, earn):
    earn(customer, Decimal("30.00"), number="MNKY-1001")
    earn(customer, Decimal("50.00"), number="MNKY-1002")
    services.loyalty_points_reverse_for_order(
        customer=customer, order_number="MNKY-1001", amount=Decimal("20"), reason="", key_suffix="return:a"
    )
    entry = services.loyalty_points_reverse_for_order(
        customer=customer, order_number="MNKY-1001", amount=Decimal("30"), reason="", key_suffix="return:b"
    )
    assert entry.points == -10
    assert account_of(customer).points_balance == 50


def test_reverse_for_order_after_spending_takes_what_is_there_and_records_the_shortfall(customer, earn):
    # Given 100 redeemable points of which 80 were spent
    earn(customer, Decimal("100.00"), number="MNKY-1001")
    services.loyalty_balance_adjust(customer=customer, points=-80, reason="Spent elsewhere")
    # When the whole order is cancelled
    entry = services.loyalty_points_reverse_for_order(
        customer=customer,
        order_number="MNKY-1001",
        amount=Decimal("100.00"),
        reason="Cancelled",
        key_suffix="cancel",
    )
    # Then the 20 left are taken and the 80 recorded as a shortfall
    assert entry.points == -20 and entry.shortfall_points == 80
    assert "80 points could not be taken back" in entry.description
    assert account_of(customer).points_balance == 0
    assert_balanced(customer)


def test_reverse_for_order_without_earnings_posts_nothing(customer):
    assert (
        services.loyalty_points_reverse_for_order(
            customer=customer, order_number="MNKY-9", amount=Decimal("10"), reason="", key_suffix="cancel"
        )
        is None
    )


def test_spend_and_refund_for_order_post_a_redeem_and_its_reversal_once(customer, earn):
    earn(customer, Decimal("100.00"))
    spent = services.loyalty_points_spend_for_order(customer=customer, order_number="MNKY-2001", points=60)
    assert spent.type == "redeem" and spent.points == -60
    assert (
        services.loyalty_points_spend_for_order(customer=customer, order_number="MNKY-2001", points=60)
        == spent
    )
    refund = services.loyalty_points_refund_for_order(customer=customer, order_number="MNKY-2001")
    assert refund.type == "reverse" and refund.points == 60
    assert services.loyalty_points_refund_for_order(customer=customer, order_number="MNKY-2001") is None
    account = account_of(customer)
    assert account.points_balance == 100 and account.lifetime_redeemed == 0


def test_spend_for_order_more_than_redeemable_is_a_conflict(customer, earn):
    earn(customer, Decimal("10.00"))
    with pytest.raises(Conflict):
        services.loyalty_points_spend_for_order(customer=customer, order_number="MNKY-2001", points=11)


# Redemption


def test_redeem_spends_points_and_issues_a_unique_coupon(customer, earn):
    earn(customer, Decimal("250.00"))
    reward = RewardFactory(cost=100)
    first = services.loyalty_reward_redeem(customer=customer, reward=reward)
    second = services.loyalty_reward_redeem(customer=customer, reward=reward)
    assert first.code != second.code and first.code.startswith("MNKY-")
    assert first.points_spent == 100 and first.entry.points == -100 and first.entry.type == "redeem"
    account = account_of(customer)
    assert account.points_balance == 50 and account.lifetime_redeemed == 200
    assert_balanced(customer)


def test_redeem_with_too_few_redeemable_points_is_a_conflict(customer):
    # Given 150 points, all still locked in a return window
    services.loyalty_points_earn_for_order(
        customer=customer,
        order_number="MNKY-1",
        paid_total=Decimal("150"),
        delivered_at=timezone.now(),
        return_window_days=30,
    )
    with pytest.raises(Conflict, match="Not enough points"):
        services.loyalty_reward_redeem(customer=customer, reward=RewardFactory(cost=100))
    assert account_of(customer).points_balance == 150
    assert not Redemption.objects.exists()


def test_redeem_a_token_reward_spends_tokens(customer):
    services.loyalty_balance_adjust(customer=customer, tokens=30, reason="Grant")
    redemption = services.loyalty_reward_redeem(
        customer=customer, reward=RewardFactory(cost=20, cost_unit="tokens")
    )
    assert redemption.tokens_spent == 20 and redemption.points_spent == 0
    assert account_of(customer).tokens_balance == 10
    with pytest.raises(Conflict, match="Not enough tokens"):
        services.loyalty_reward_redeem(customer=customer, reward=RewardFactory(cost=20, cost_unit="tokens"))


def test_redeem_an_expired_reward_is_a_conflict(customer, earn):
    earn(customer, Decimal("500"))
    reward = RewardFactory(valid_until=timezone.now() - timedelta(minutes=1))
    with pytest.raises(Conflict, match="expired"):
        services.loyalty_reward_redeem(customer=customer, reward=reward)


def test_redeem_a_reward_not_yet_valid_or_inactive_is_a_conflict(customer, earn):
    earn(customer, Decimal("500"))
    with pytest.raises(Conflict):
        services.loyalty_reward_redeem(
            customer=customer, reward=RewardFactory(valid_from=timezone.now() + timedelta(days=1))
        )
    with pytest.raises(Conflict):
        services.loyalty_reward_redeem(customer=customer, reward=RewardFactory(is_active=False))


def test_redeem_takes_stock_and_refuses_when_out_of_stock(customer, earn):
    earn(customer, Decimal("500"))
    reward = RewardFactory(cost=100, stock=1)
    services.loyalty_reward_redeem(customer=customer, reward=reward)
    reward.refresh_from_db()
    assert reward.stock == 0
    with pytest.raises(Conflict, match="out of stock"):
        services.loyalty_reward_redeem(customer=customer, reward=reward)
    assert account_of(customer).points_balance == 400


# Adjustment


def test_adjust_posts_signed_points_and_tokens_with_the_staff_user(customer, staff_user):
    entry = services.loyalty_balance_adjust(
        customer=customer, points=50, tokens=5, reason="Goodwill", by=staff_user
    )
    assert (entry.type, entry.points, entry.tokens, entry.description, entry.created_by) == (
        "adjust",
        50,
        5,
        "Goodwill",
        staff_user,
    )
    services.loyalty_balance_adjust(customer=customer, points=-20, tokens=-5, reason="Correction")
    account = account_of(customer)
    assert (account.points_balance, account.tokens_balance) == (30, 0)
    assert_balanced(customer)


def test_adjust_requires_a_reason_and_an_amount(customer):
    with pytest.raises(ValidationFailed) as exc:
        services.loyalty_balance_adjust(customer=customer, points=5, reason="  ")
    assert "reason" in exc.value.details
    with pytest.raises(ValidationFailed):
        services.loyalty_balance_adjust(customer=customer, reason="Nothing")


def test_adjust_below_zero_is_a_conflict(customer):
    services.loyalty_balance_adjust(customer=customer, points=10, tokens=1, reason="Grant")
    with pytest.raises(Conflict):
        services.loyalty_balance_adjust(customer=customer, points=-11, reason="Too much")
    with pytest.raises(Conflict):
        services.loyalty_balance_adjust(customer=customer, tokens=-2, reason="Too much")
    assert account_of(customer).points_balance == 10


def test_adjust_cannot_take_locked_points(customer):
    services.loyalty_points_earn_for_order(
        customer=customer,
        order_number="MNKY-1",
        paid_total=Decimal("50"),
        delivered_at=timezone.now(),
        return_window_days=30,
    )
    with pytest.raises(Conflict, match="locked"):
        services.loyalty_balance_adjust(customer=customer, points=-1, reason="Correction")


# Referrals


def test_signup_with_a_referral_code_creates_a_pending_referral(customer, settings):
    settings.LOYALTY_REFERRAL_REWARD = 150
    code = services.loyalty_account_ensure(customer=customer).referral_code
    referee = CustomerFactory(referred_by_code=code.lower())
    referral = services.loyalty_referral_create_for_signup(customer=referee)
    assert referral.status == "pending" and referral.referrer == customer and referral.reward_points == 150
    assert account_of(referee).referral_code != code


def test_signup_without_a_code_only_opens_the_account(customer):
    assert services.loyalty_referral_create_for_signup(customer=customer) is None
    assert account_of(customer).points_balance == 0


def test_signup_with_an_unknown_code_is_refused(db):
    with pytest.raises(ValidationFailed) as exc:
        services.loyalty_referral_create_for_signup(customer=CustomerFactory(referred_by_code="NOPE1234"))
    assert "referral_code" in exc.value.details


def test_signup_with_ones_own_mailbox_plus_tag_is_refused_as_self_referral(db):
    referrer = CustomerFactory(email="Jane.Doe@example.com")
    code = services.loyalty_account_ensure(customer=referrer).referral_code
    with pytest.raises(ValidationFailed, match="own referral code"):
        services.loyalty_referral_create_for_signup(
            customer=CustomerFactory(email="jane.doe+offers@example.com", referred_by_code=code)
        )


def test_signup_with_an_already_referred_mailbox_is_refused(customer):
    code = services.loyalty_account_ensure(customer=customer).referral_code
    services.loyalty_referral_create_for_signup(
        customer=CustomerFactory(email="sam@example.com", referred_by_code=code)
    )
    with pytest.raises(Conflict, match="already referred"):
        services.loyalty_referral_create_for_signup(
            customer=CustomerFactory(email="sam+again@example.com", referred_by_code=code)
        )
    assert Referral.objects.count() == 1


def test_referral_complete_credits_the_referrer_once(customer, settings):
    settings.LOYALTY_REFERRAL_REWARD = 100
    code = services.loyalty_account_ensure(customer=customer).referral_code
    referee = CustomerFactory(referred_by_code=code)
    services.loyalty_referral_create_for_signup(customer=referee)
    entry = services.loyalty_referral_complete(referee=referee, order_number="MNKY-1001")
    assert entry.type == "referral" and entry.points == 100 and entry.customer == customer
    assert services.loyalty_referral_complete(referee=referee, order_number="MNKY-1002") is None
    referral = Referral.objects.get()
    assert referral.status == "completed" and referral.order_number == "MNKY-1001"
    assert account_of(customer).points_balance == 100
    assert account_of(referee).points_balance == 0


def test_referral_complete_for_a_customer_not_referred_does_nothing(customer):
    assert services.loyalty_referral_complete(referee=customer, order_number="MNKY-1") is None


def test_registration_with_a_referral_code_runs_the_signup_hook(customer):
    from customers.services.registration import customer_register

    code = services.loyalty_account_ensure(customer=customer).referral_code
    new = customer_register(
        email="friend@example.com",
        password="Sandalwood-Ember-42",
        first_name="F",
        last_name="R",
        accepted_terms=True,
        referral_code=code,
    )
    assert Referral.objects.get().referee == new


# Expiry


def test_expire_posts_the_unspent_points_older_than_the_period(customer, settings, earn):
    settings.LOYALTY_POINTS_EXPIRE_DAYS = 365
    earn(customer, Decimal("100"), number="MNKY-1")
    services.loyalty_balance_adjust(customer=customer, points=-30, reason="Spent")
    later = timezone.now() + timedelta(days=366)
    with freeze_time(later - timedelta(days=10)):
        recent = earn(customer, Decimal("40"), number="MNKY-2")  # recent points do not expire
    assert services.loyalty_points_expire(now=later) == 70
    entry = LedgerEntry.objects.get(type="expire")
    assert entry.points == -70
    assert account_of(customer).points_balance == recent.points
    assert_balanced(customer)


def test_expire_is_idempotent(customer, settings, earn):
    earn(customer, Decimal("100"))
    later = timezone.now() + timedelta(days=settings.LOYALTY_POINTS_EXPIRE_DAYS + 1)
    assert services.loyalty_points_expire(now=later) == 100
    assert services.loyalty_points_expire(now=later) == 0
    assert services.loyalty_points_expire(now=later + timedelta(days=1)) == 0
    assert LedgerEntry.objects.filter(type="expire").count() == 1


def test_expire_does_not_count_reversals_of_recent_orders_against_old_points(customer, settings, earn):
    earn(customer, Decimal("100"), number="MNKY-1")
    later = timezone.now() + timedelta(days=settings.LOYALTY_POINTS_EXPIRE_DAYS + 1)
    # A recent order (still locked) is returned just before the old points expire
    with freeze_time(later - timedelta(days=1)):
        services.loyalty_points_earn_for_order(
            customer=customer,
            order_number="MNKY-2",
            paid_total=Decimal("50"),
            delivered_at=later - timedelta(days=1),
            return_window_days=30,
        )
        services.loyalty_points_reverse_for_order(
            customer=customer, order_number="MNKY-2", amount=Decimal("50"), reason="", key_suffix="cancel"
        )
    assert services.loyalty_points_expire(now=later) == 100
    assert_balanced(customer)


# Tiers


def test_tier_follows_points_earned_in_the_last_twelve_months(customer, earn):
    status = tier_status_for_customer(customer=customer)
    assert (status.tier.name, status.next_tier.name, status.points_needed) == ("member", "premium", 100)
    earn(customer, Decimal("99"))
    assert tier_status_for_customer(customer=customer).points_needed == 1
    earn(customer, Decimal("1"))
    status = tier_status_for_customer(customer=customer)
    assert (status.tier.name, status.next_tier.name, status.points_needed) == ("premium", "vip", 400)
    # A year later those points no longer count
    assert (
        tier_status_for_customer(customer=customer, now=timezone.now() + timedelta(days=366)).tier.name
        == "member"
    )


def test_tier_at_the_top_has_no_next_tier(customer, earn):
    earn(customer, Decimal("500"))
    status = tier_status_for_customer(customer=customer)
    assert status.tier.name == "vip" and status.next_tier is None and status.points_needed is None


def test_tier_does_not_count_reversed_points(customer, earn):
    earn(customer, Decimal("120"), number="MNKY-1")
    services.loyalty_points_reverse_for_order(
        customer=customer, order_number="MNKY-1", amount=Decimal("30"), reason="", key_suffix="return:1"
    )
    assert tier_status_for_customer(customer=customer).tier.name == "member"
