"""Invariants held by the models and the database."""

import pytest
from django.db import IntegrityError, transaction

from loyalty import services
from loyalty.models import LedgerEntry, LoyaltyAccount, Tier

pytestmark = pytest.mark.django_db


def test_ledger_entry_refuses_to_be_changed_or_deleted(customer):
    entry = services.loyalty_balance_adjust(customer=customer, points=5, reason="Grant")
    entry.points = 500
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    with pytest.raises(RuntimeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(points=500)
    with pytest.raises(RuntimeError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).points == 5


def test_ledger_idempotency_key_is_unique(customer):
    LedgerEntry.objects.create(
        customer=customer, type="adjust", points=1, description="x", idempotency_key="k"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            customer=customer, type="adjust", points=1, description="x", idempotency_key="k"
        )


@pytest.mark.parametrize(
    "values",
    [
        {"points_balance": -1},
        {"tokens_balance": -1},
        {"points_balance": 5, "locked_points": 6},
        {"locked_points": -1},
    ],
)
def test_account_balances_cannot_go_negative_or_lock_more_than_held(customer, values):
    account = services.loyalty_account_ensure(customer=customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        LoyaltyAccount.objects.filter(pk=account.pk).update(**values)


def test_tiers_are_seeded_member_premium_vip(db):
    assert [(t.name, t.threshold) for t in Tier.objects.all()] == [
        ("member", 0),
        ("premium", 100),
        ("vip", 500),
    ]


def test_customer_support_may_adjust_balances(db):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Customer support")
    assert group.permissions.filter(codename="adjust_loyaltyaccount").exists()


def test_a_customer_with_a_ledger_cannot_be_deleted(customer):
    from django.db.models import ProtectedError

    services.loyalty_balance_adjust(customer=customer, points=5, reason="Grant")
    with pytest.raises(ProtectedError):
        customer.delete()
    assert LedgerEntry.objects.filter(customer=customer).count() == 1
