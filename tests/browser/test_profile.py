"""Browser: a customer edits the profile and notification preferences through the pages."""

import pytest
from playwright.sync_api import expect

from customers.models import Customer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.customers.profile_pages_urls")]


def test_customer_edits_profile_and_notification_preferences(login_page, live_server, customer):
    page = login_page(customer.user)

    page.goto(f"{live_server.url}/account/profile/")
    page.fill("#id_first_name", "Marigold")
    page.fill("#id_last_name", "Vetiver")
    page.fill("#id_phone_number", "+44 20 7183 8750")
    page.check("#id_email_marketing")
    page.select_option("#id_preferred_currency", "EUR")
    page.click("text=Save profile")
    expect(page.locator(".messages")).to_contain_text("Your profile is saved.")
    expect(page.locator("#id_first_name")).to_have_value("Marigold")

    page.click("text=Notification preferences")
    expect(page.locator("#id_transactional_email")).to_be_checked()
    expect(page.locator("#id_promotional_email")).to_be_checked()
    page.check("#id_newsletter_email")
    page.uncheck("#id_promotional_email")
    page.click("text=Save preferences")
    expect(page.locator(".messages")).to_contain_text("notification preferences are saved")

    customer.refresh_from_db()
    assert (customer.first_name, customer.last_name) == ("Marigold", "Vetiver")
    assert customer.phone_number.as_e164 == "+442071838750"
    assert customer.preferred_currency == "EUR"
    assert customer.newsletter_email is True
    assert customer.email_marketing is False
    assert Customer.history.filter(id=customer.pk, history_user=customer.user).count() == 2


def test_customer_sees_a_phone_error_on_the_page(login_page, live_server, customer):
    page = login_page(customer.user)

    page.goto(f"{live_server.url}/account/profile/")
    page.fill("#id_phone_number", "12345")
    page.click("text=Save profile")

    expect(page.locator("#id_phone_number_error")).to_contain_text("valid phone number")
