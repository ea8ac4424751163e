"""Admin wiring: inlines, the analytics summary, running checks and the permission-gated queue."""

from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from customers.models import Contact, CreditCheck, Customer
from customers.services.business import credit_check_run
from tests.business.factories import finance_user
from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:customers_creditcheck_changelist")


def _post_action(client, url, action, objects, **extra):
    return client.post(
        url, {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], **extra}, follow=True
    )


def test_customer_page_shows_contacts_checks_and_analytics(client, history):
    customer = history["customer"]
    Contact.objects.create(customer=customer, name="Ann Buyer", is_primary=True)
    credit_check_run(customer=customer, by=None)
    client.force_login(StaffUserFactory(is_superuser=True))
    response = client.get(reverse("admin:customers_customer_change", args=[customer.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ann Buyer" in page
    assert "652" in page  # the credit check's score in its inline
    assert "Lifetime value" in page and "800.00 USD" in page and "16 / 100" in page


def test_run_credit_check_action_creates_a_pending_check(client, history):
    client.force_login(finance_user())
    response = _post_action(client, reverse("admin:customers_customer_changelist"), "run_credit_check",
                            [history["customer"]])  # fmt: skip
    assert response.status_code == 200
    check = CreditCheck.objects.get()
    assert check.status == "pending_approval"
    assert check.public_id in response.content.decode()


def test_staff_without_the_credit_check_permission_cannot_run_one_from_the_admin(client, history):
    # Given Customer support (may change customers, may not run credit checks)
    from django.contrib.auth.models import Group

    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name="Customer support"))
    client.force_login(user)
    url = reverse("admin:customers_customer_changelist")
    # Then the action is not offered, and posting it anyway runs nothing
    assert "run_credit_check" not in client.get(url).content.decode()
    _post_action(client, url, "run_credit_check", [history["customer"]])
    assert not CreditCheck.objects.exists()


def test_queue_lists_pending_checks_by_default(client, history, business):
    pending = credit_check_run(customer=history["customer"], by=None)
    done = credit_check_run(customer=business, by=None)  # no orders: not_required
    client.force_login(finance_user())
    page = client.get(QUEUE).content.decode()
    assert pending.public_id in page and done.public_id not in page
    assert done.public_id in client.get(QUEUE + "?status=all").content.decode()


def test_finance_approves_in_the_admin_and_the_limit_changes(client, history):
    check = credit_check_run(customer=history["customer"], by=None)
    client.force_login(finance_user())
    response = _post_action(client, QUEUE, "approve_checks", [check])
    assert "1 credit check(s) approved." in response.content.decode()
    check.refresh_from_db()
    assert check.status == "approved"
    assert Customer.objects.get(pk=history["customer"].pk).credit_limit == check.recommended_credit_limit


def test_finance_rejects_with_a_note_form(client, history):
    check = credit_check_run(customer=history["customer"], by=None)
    client.force_login(finance_user())
    form = _post_action(client, QUEUE, "reject_checks", [check])
    assert 'name="note"' in form.content.decode()
    _post_action(client, QUEUE, "reject_checks", [check], apply="1", note="Too early")
    check.refresh_from_db()
    assert (check.status, check.note) == ("rejected", "Too early")


def test_support_user_cannot_approve_in_the_admin(client, history):
    # given a support user who may view credit checks but lacks customers.approve_credit
    from django.contrib.auth.models import Permission

    check = credit_check_run(customer=history["customer"], by=None)
    support = StaffUserFactory()
    support.user_permissions.add(Permission.objects.get(codename="view_creditcheck"))
    client.force_login(support)
    # then the actions are not offered, and posting one changes nothing
    page = client.get(QUEUE).content.decode()
    assert "approve_checks" not in page and "reject_checks" not in page
    _post_action(client, QUEUE, "approve_checks", [check])
    check.refresh_from_db()
    assert check.status == "pending_approval"
    assert Customer.objects.get(pk=history["customer"].pk).credit_limit == Decimal("10000.00")


def test_credit_check_change_page_is_read_only(client, history):
    check = credit_check_run(customer=history["customer"], by=None)
    client.force_login(StaffUserFactory(is_superuser=True))
    page = client.get(reverse("admin:customers_creditcheck_change", args=[check.pk])).content.decode()
    assert 'name="status"' not in page
