"""Notification preferences per category and channel, and the check senders call."""

import pytest

from customers.models import Customer
from customers.selectors.notifications import notification_allowed

pytestmark = pytest.mark.django_db

URL = "/api/customers/notification-preferences"


def test_notification_preferences_default_to_transactional_email_only(customer_client):
    response = customer_client.get(URL)

    assert response.status_code == 200
    assert response.json() == {
        "transactional": {"email": True, "sms": False, "whatsapp": False},
        "promotional": {"email": False, "sms": False, "whatsapp": False},
        "newsletter": {"email": False, "sms": False, "whatsapp": False},
    }


def test_notification_preferences_put_changes_only_the_keys_sent(customer, customer_client):
    response = customer_client.put(
        URL, {"newsletter": {"email": True}, "transactional": {"sms": True}}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["newsletter"] == {"email": True, "sms": False, "whatsapp": False}
    assert body["transactional"] == {"email": True, "sms": True, "whatsapp": False}
    customer.refresh_from_db()
    assert customer.newsletter_email and customer.transactional_sms


def test_promotional_email_and_sms_are_the_profiles_marketing_flags(customer, customer_client):
    customer_client.put(URL, {"promotional": {"email": True, "sms": True}}, format="json")

    profile = customer_client.get("/api/customers/profile").json()
    assert profile["preferences"]["email_marketing"] is True
    assert profile["preferences"]["sms_marketing"] is True

    customer_client.patch(
        "/api/customers/profile", {"preferences": {"email_marketing": False}}, format="json"
    )

    assert customer_client.get(URL).json()["promotional"] == {"email": False, "sms": True, "whatsapp": False}


def test_notification_preferences_put_refuses_non_booleans(customer_client):
    response = customer_client.put(URL, {"promotional": {"email": "often"}}, format="json")

    assert response.status_code == 400
    assert "promotional" in response.json()["error"]["details"]


def test_notification_preferences_changes_are_audited(customer, customer_client):
    customer_client.put(URL, {"newsletter": {"whatsapp": True}}, format="json")

    latest = customer.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == customer.user
    assert latest.newsletter_whatsapp is True


def test_notification_allowed_follows_the_stored_preference(customer):
    assert notification_allowed(customer=customer, category="transactional", channel="email") is True
    assert notification_allowed(customer=customer, category="promotional", channel="email") is False

    customer.email_marketing = True

    assert notification_allowed(customer=customer, category="promotional", channel="email") is True


def test_notification_allowed_needs_a_verified_phone_for_sms_and_whatsapp(customer):
    customer.sms_marketing = customer.promotional_whatsapp = True
    customer.phone_number = "+442071838750"
    assert notification_allowed(customer=customer, category="promotional", channel="sms") is False

    customer.phone_verified = True

    assert notification_allowed(customer=customer, category="promotional", channel="sms") is True
    assert notification_allowed(customer=customer, category="promotional", channel="whatsapp") is True


def test_notification_allowed_is_false_for_an_erased_customer(customer):
    Customer.objects.filter(pk=customer.pk).update(erased_at="2026-01-01T00:00:00Z")
    customer.refresh_from_db()

    assert notification_allowed(customer=customer, category="transactional", channel="email") is False


def test_notification_allowed_refuses_unknown_categories(customer):
    with pytest.raises(ValueError):
        notification_allowed(customer=customer, category="spam", channel="email")
