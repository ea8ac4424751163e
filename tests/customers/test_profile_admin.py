"""The admin's Anonymize action: a confirmation page, a permission, the erasure service."""

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Permission

from customers.models import Customer
from tests.factories import CustomerFactory, StaffUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.customers.profile_admin_urls")]

CHANGELIST = "/test-admin/customers/customer/"


def staff_with(*codenames):
    user = StaffUserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="customers", codename__in=codenames)
    )
    return user


def action_post(customers, **extra):
    return {"action": "anonymize_customers", helpers.ACTION_CHECKBOX_NAME: [c.pk for c in customers], **extra}


def test_anonymize_action_asks_for_confirmation_first(client):
    customer = CustomerFactory()
    client.force_login(staff_with("view_customer", "change_customer", "anonymize_customer"))

    response = client.post(CHANGELIST, action_post([customer]))

    assert response.status_code == 200
    assert "admin/customers/customer/anonymize_confirmation.html" in [t.name for t in response.templates]
    assert customer.public_id in response.content.decode()
    assert Customer.objects.get(pk=customer.pk).erased_at is None


def test_anonymize_action_erases_after_confirmation(client):
    customers = [CustomerFactory(), CustomerFactory()]
    staff = staff_with("view_customer", "change_customer", "anonymize_customer")
    client.force_login(staff)

    response = client.post(CHANGELIST, action_post(customers, post="yes"), follow=True)

    assert response.status_code == 200
    assert "2 customers anonymized." in response.content.decode()
    for customer in customers:
        customer.refresh_from_db()
        assert customer.erased_at is not None
        assert customer.email.endswith("@erased.invalid")
        assert customer.history.order_by("-history_date", "-history_id").first().history_user == staff


def test_anonymize_action_reports_an_already_erased_customer_as_an_error(client):
    customer = CustomerFactory()
    client.force_login(staff_with("view_customer", "change_customer", "anonymize_customer"))
    client.post(CHANGELIST, action_post([customer], post="yes"))

    response = client.post(CHANGELIST, action_post([customer], post="yes"), follow=True)

    assert "already been erased" in response.content.decode()


def test_anonymize_action_needs_the_permission(client):
    customer = CustomerFactory()
    client.force_login(staff_with("view_customer", "change_customer"))

    listing = client.get(CHANGELIST)
    response = client.post(CHANGELIST, action_post([customer], post="yes"))

    assert "anonymize_customers" not in listing.content.decode()
    assert response.status_code in (200, 302)
    assert Customer.objects.get(pk=customer.pk).erased_at is None
