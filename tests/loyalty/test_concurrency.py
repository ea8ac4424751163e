"""Concurrent writers on PostgreSQL: row locks keep balances exact."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from config.errors import Conflict
from loyalty import services
from loyalty.models import LedgerEntry, LoyaltyAccount, Redemption
from tests.factories import CustomerFactory
from tests.loyalty.factories import RewardFactory

# tests/conftest.py restores the seeded tiers and groups that a transactional test's flush removes.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_in_threads(count: int, target) -> list:
    results: list = []
    barrier = threading.Barrier(count)

    def worker():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # collected and asserted by the test
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_redemptions_beyond_the_balance_leave_it_non_negative():
    # Given 250 redeemable points and a reward of 30 (8 are affordable)
    customer = CustomerFactory()
    services.loyalty_balance_adjust(customer=customer, points=250, reason="Grant")
    reward = RewardFactory(cost=30)
    # When 20 redemptions run at once
    results = run_in_threads(20, lambda: services.loyalty_reward_redeem(customer=customer, reward=reward))
    # Then exactly 8 succeed and the others are conflicts
    successes = [r for r in results if not isinstance(r, Exception)]
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(successes) == 8
    assert all(isinstance(f, Conflict) for f in failures) and len(failures) == 12
    account = LoyaltyAccount.objects.get(customer=customer)
    assert account.points_balance == 10
    assert Redemption.objects.count() == 8
    assert len({r.code for r in Redemption.objects.all()}) == 8


def test_concurrent_deliveries_of_the_same_order_earn_once():
    customer = CustomerFactory()
    services.loyalty_account_ensure(customer=customer)

    def deliver():
        return services.loyalty_points_earn_for_order(
            customer=customer,
            order_number="MNKY-7777",
            paid_total=Decimal("80.00"),
            delivered_at=timezone.now() - timedelta(days=1),
            return_window_days=14,
        )

    results = run_in_threads(8, deliver)
    assert not [r for r in results if isinstance(r, Exception)]
    assert len([r for r in results if r is not None]) == 1
    assert LedgerEntry.objects.filter(order_number="MNKY-7777").count() == 1
    account = LoyaltyAccount.objects.get(customer=customer)
    assert account.points_balance == 80 and account.locked_points == 80


def test_concurrent_first_deliveries_of_a_referee_credit_the_referrer_once():
    referrer = CustomerFactory()
    code = services.loyalty_account_ensure(customer=referrer).referral_code
    referee = CustomerFactory(referred_by_code=code)
    services.loyalty_referral_create_for_signup(customer=referee)
    results = run_in_threads(
        6, lambda: services.loyalty_referral_complete(referee=referee, order_number="MNKY-1")
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert LedgerEntry.objects.filter(customer=referrer, type="referral").count() == 1
