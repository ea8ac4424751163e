"""Random sequences of loyalty operations keep every balance equal to its ledger and never negative."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from config.errors import Conflict
from loyalty import services
from loyalty.models import LedgerEntry, LoyaltyAccount, OrderEarning
from tests.factories import CustomerFactory
from tests.loyalty.factories import RewardFactory

operations = st.lists(
    st.one_of(
        st.tuples(st.just("earn"), st.integers(0, 400), st.booleans()),
        st.tuples(st.just("redeem"), st.sampled_from([30, 120]), st.booleans()),
        st.tuples(st.just("reverse"), st.integers(1, 400), st.integers(0, 5)),
        st.tuples(st.just("adjust"), st.integers(-200, 200), st.integers(-20, 20)),
        st.tuples(st.just("expire"), st.sampled_from([0, 30, 366, 400, 800]), st.booleans()),
        st.tuples(st.just("release"), st.sampled_from([0, 10, 31, 400]), st.booleans()),
    ),
    min_size=1,
    max_size=25,
)


@pytest.mark.django_db
class TestLedgerProperty(TestCase):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ops=operations)
    def test_balance_equals_ledger_sum_and_never_goes_negative(self, ops):
        customer = CustomerFactory()
        services.loyalty_account_ensure(customer=customer)
        points_reward = RewardFactory(cost=1)
        token_reward = RewardFactory(cost=1, cost_unit="tokens")
        orders: list[str] = []
        for step, (kind, a, b) in enumerate(ops):
            try:
                if kind == "earn":
                    number = f"P-{customer.pk}-{step}"
                    services.loyalty_points_earn_for_order(
                        customer=customer,
                        order_number=number,
                        paid_total=Decimal(a),
                        delivered_at=timezone.now() - timedelta(days=0 if b else 40),
                        return_window_days=30,
                    )
                    orders.append(number)
                elif kind == "redeem":
                    reward = points_reward if b else token_reward
                    reward.cost = a
                    reward.save(update_fields=["cost"])
                    services.loyalty_reward_redeem(customer=customer, reward=reward)
                elif kind == "reverse" and orders:
                    services.loyalty_points_reverse_for_order(
                        customer=customer,
                        order_number=orders[b % len(orders)],
                        amount=Decimal(a),
                        reason="",
                        key_suffix=f"r{step}",
                    )
                elif kind == "adjust" and (a or b):
                    services.loyalty_balance_adjust(customer=customer, points=a, tokens=b, reason="property")
                elif kind == "expire":
                    services.loyalty_points_expire_for_customer(
                        customer=customer, now=timezone.now() + timedelta(days=a)
                    )
                elif kind == "release":
                    services.loyalty_points_release(now=timezone.now() + timedelta(days=a))
            except Conflict:
                pass
            account = LoyaltyAccount.objects.get(customer=customer)
            sums = LedgerEntry.objects.filter(customer=customer).aggregate(p=Sum("points"), t=Sum("tokens"))
            locked = OrderEarning.objects.filter(customer=customer, released_at__isnull=True).aggregate(
                s=Sum("locked_points")
            )["s"]
            assert account.points_balance == (sums["p"] or 0)
            assert account.tokens_balance == (sums["t"] or 0)
            assert account.locked_points == (locked or 0)
            assert account.points_balance >= 0 and account.tokens_balance >= 0
            assert 0 <= account.locked_points <= account.points_balance
