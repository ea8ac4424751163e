"""The ledger management commands."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from loyalty import services
from loyalty.models import LoyaltyAccount
from loyalty.tasks import expire_points, release_points

pytestmark = pytest.mark.django_db


def test_check_ledger_passes_when_balances_match(customer, earn, capsys):
    earn(customer, Decimal("50"))
    call_command("check_ledger")
    assert "matches" in capsys.readouterr().out


def test_check_ledger_exits_1_with_a_report_for_a_corrupted_balance(customer, earn, capsys):
    earn(customer, Decimal("50"))
    LoyaltyAccount.objects.filter(customer=customer).update(points_balance=70)
    with pytest.raises(SystemExit) as exc:
        call_command("check_ledger")
    assert exc.value.code == 1
    out = capsys.readouterr().out
    assert f"customer {customer.pk}: points_balance is 70, the ledger says 50" in out


def test_release_points_command_and_task_unlock_points_after_the_window(customer, capsys):
    from django.utils import timezone

    services.loyalty_points_earn_for_order(
        customer=customer,
        order_number="MNKY-1",
        paid_total=Decimal("20"),
        delivered_at=timezone.now() - timedelta(days=10),
        return_window_days=10,
    )
    # The window ended just as it was posted: the points are redeemable at once or on release.
    call_command("release_points")
    assert "Released" in capsys.readouterr().out
    assert release_points.delay().get() == 0
    assert LoyaltyAccount.objects.get(customer=customer).redeemable_points == 20


def test_expire_points_command_and_task_are_idempotent(customer, earn, settings, capsys):
    settings.LOYALTY_POINTS_EXPIRE_DAYS = 0
    earn(customer, Decimal("30"))
    call_command("expire_points")
    assert "Expired 30 points." in capsys.readouterr().out
    assert expire_points.delay().get() == 0
    assert LoyaltyAccount.objects.get(customer=customer).points_balance == 0
