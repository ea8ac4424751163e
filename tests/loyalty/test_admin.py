"""The loyalty admin: the ledger is read-only and adjustments go through the service."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from loyalty import services
from loyalty.models import LedgerEntry, LoyaltyAccount
from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, staff_user):
    client.force_login(staff_user)
    return client


def test_ledger_admin_cannot_add_change_or_delete(admin_client_, customer, earn):
    entry = earn(customer, Decimal("10"))
    assert admin_client_.get(reverse("admin:loyalty_ledgerentry_changelist")).status_code == 200
    assert admin_client_.get(reverse("admin:loyalty_ledgerentry_add")).status_code == 403
    assert admin_client_.get(reverse("admin:loyalty_ledgerentry_delete", args=[entry.pk])).status_code == 403
    response = admin_client_.post(
        reverse("admin:loyalty_ledgerentry_change", args=[entry.pk]), {"points": 999}
    )
    assert response.status_code == 403
    assert LedgerEntry.objects.get(pk=entry.pk).points == 10


def test_adjust_form_posts_an_adjustment_through_the_service(admin_client_, customer, staff_user):
    account = services.loyalty_account_ensure(customer=customer)
    url = reverse("admin:loyalty_loyaltyaccount_adjust", args=[account.pk])
    assert admin_client_.get(url).status_code == 200
    response = admin_client_.post(url, {"points": "25", "tokens": "", "reason": "Late delivery"})
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(customer=customer)
    assert (entry.type, entry.points, entry.description, entry.created_by) == (
        "adjust",
        25,
        "Late delivery",
        staff_user,
    )


def test_adjust_form_requires_a_reason(admin_client_, customer):
    account = services.loyalty_account_ensure(customer=customer)
    response = admin_client_.post(
        reverse("admin:loyalty_loyaltyaccount_adjust", args=[account.pk]), {"points": "5", "reason": ""}
    )
    assert response.status_code == 200
    assert not LedgerEntry.objects.exists()


def test_adjust_form_shows_a_domain_error(admin_client_, customer):
    account = services.loyalty_account_ensure(customer=customer)
    response = admin_client_.post(
        reverse("admin:loyalty_loyaltyaccount_adjust", args=[account.pk]),
        {"points": "-5", "reason": "Take"},
        follow=True,
    )
    assert "cannot go below zero" in response.content.decode()
    assert LoyaltyAccount.objects.get(pk=account.pk).points_balance == 0


def test_adjust_form_needs_the_adjust_permission(client, customer):
    account = services.loyalty_account_ensure(customer=customer)
    url = reverse("admin:loyalty_loyaltyaccount_adjust", args=[account.pk])
    clerk = StaffUserFactory()
    client.force_login(clerk)
    assert client.post(url, {"points": "5", "reason": "x"}).status_code == 403
    clerk.groups.add(Group.objects.get(name="Customer support"))
    clerk = type(clerk).objects.get(pk=clerk.pk)
    client.force_login(clerk)
    assert client.post(url, {"points": "5", "reason": "x"}).status_code == 302
    assert LedgerEntry.objects.filter(customer=customer).count() == 1


def test_ledger_inline_is_read_only(rf, staff_user):
    from django.contrib.admin.sites import site

    from customers.models import Customer
    from loyalty.admin import LedgerEntryInline

    inline = LedgerEntryInline(Customer, site)
    request = rf.get("/")
    request.user = staff_user
    assert not inline.has_add_permission(request, None)
    assert not inline.has_change_permission(request, None)
    assert not inline.has_delete_permission(request, None)


def test_reward_admin_lists_and_adds_rewards(admin_client_):
    response = admin_client_.post(
        reverse("admin:loyalty_reward_add"),
        {"name": "Candle", "description": "", "cost": "20", "cost_unit": "tokens", "is_active": "on"},
    )
    assert response.status_code == 302
    assert admin_client_.get(reverse("admin:loyalty_reward_changelist")).status_code == 200


def test_account_admin_pages_render_and_the_action_opens_the_form(admin_client_, customer, earn):
    earn(customer, Decimal("10"))
    account = LoyaltyAccount.objects.get(customer=customer)
    assert admin_client_.get(reverse("admin:loyalty_loyaltyaccount_changelist")).status_code == 200
    change = admin_client_.get(reverse("admin:loyalty_loyaltyaccount_change", args=[account.pk]))
    assert reverse("admin:loyalty_loyaltyaccount_adjust", args=[account.pk]) in change.content.decode()
    response = admin_client_.post(
        reverse("admin:loyalty_loyaltyaccount_changelist"),
        {"action": "adjust_balance", "_selected_action": [account.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:loyalty_loyaltyaccount_adjust", args=[account.pk])


def test_account_admin_hides_the_adjust_action_without_the_permission(client, customer):
    from django.contrib.auth.models import Permission

    services.loyalty_account_ensure(customer=customer)
    clerk = StaffUserFactory()
    clerk.user_permissions.add(Permission.objects.get(codename="view_loyaltyaccount"))
    client.force_login(clerk)
    response = client.get(reverse("admin:loyalty_loyaltyaccount_changelist"))
    assert response.status_code == 200
    assert "adjust_balance" not in response.content.decode()
