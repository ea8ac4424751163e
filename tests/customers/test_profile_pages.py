"""The profile pages: they edit through the same services as the API."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from customers.models import Customer
from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.customers.profile_pages_urls")]


@pytest.fixture
def page_client(client, customer):
    client.force_login(customer.user)
    return client


def profile_post(**changes):
    data = {
        "action": "profile",
        "salutation": "ms",
        "first_name": "Willow",
        "last_name": "Fern",
        "phone_number": "",
        "date_of_birth": "",
        "preferred_currency": "USD",
        "reminder_frequency": "monthly",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_profile_page_needs_login(client):
    response = client.get("/account/profile/")

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_profile_page_shows_the_customer(page_client, customer):
    response = page_client.get("/account/profile/")

    assert response.status_code == 200
    assert customer.email in response.content.decode()
    assert response.context["form"].initial["first_name"] == customer.first_name


def test_profile_page_saves_names_phone_and_preferences(page_client, customer):
    response = page_client.post(
        "/account/profile/",
        profile_post(phone_number="+44 20 7183 8750", sms_marketing="on", preferred_currency="GBP"),
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.first_name, customer.last_name, customer.salutation) == ("Willow", "Fern", "ms")
    assert customer.phone_number.as_e164 == "+442071838750"
    assert customer.phone_verified is False
    assert customer.sms_marketing is True and customer.email_marketing is False
    assert customer.preferred_currency == "GBP"
    assert customer.history.order_by("-history_date", "-history_id").first().history_user == customer.user


def test_profile_page_shows_the_services_error_on_the_field(page_client, customer):
    response = page_client.post("/account/profile/", profile_post(phone_number="12345"))

    assert response.status_code == 400
    assert response.context["form"].errors["phone_number"]
    customer.refresh_from_db()
    assert customer.first_name != "Willow"


def test_profile_page_uploads_and_removes_the_picture(
    page_client, customer, django_capture_on_commit_callbacks
):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "purple").save(buffer, "PNG")

    response = page_client.post(
        "/account/profile/",
        {"action": "image", "image": SimpleUploadedFile("me.png", buffer.getvalue(), "image/png")},
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    name = customer.profile_image.name
    assert name.endswith(".webp")
    with django_capture_on_commit_callbacks(execute=True):
        page_client.post("/account/profile/", {"action": "image-delete"})
    customer.refresh_from_db()
    assert not customer.profile_image
    assert not customer.profile_image.storage.exists(name)


def test_profile_page_refuses_a_text_file_as_picture(page_client):
    response = page_client.post(
        "/account/profile/",
        {"action": "image", "image": SimpleUploadedFile("me.png", b"just text", "image/png")},
    )

    assert response.status_code == 400
    assert response.context["image_form"].errors["image"]


def test_notifications_page_saves_every_checkbox(page_client, customer):
    response = page_client.post(
        "/account/notifications/", {"newsletter_email": "on", "promotional_sms": "on"}
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.newsletter_email and customer.sms_marketing
    # An unticked box is a "no", transactional email included.
    assert customer.transactional_email is False


def test_notifications_page_shows_the_current_values(page_client):
    response = page_client.get("/account/notifications/")

    assert response.status_code == 200
    assert response.context["form"].initial["transactional_email"] is True


def test_delete_page_with_the_wrong_password_keeps_the_account(page_client, customer):
    response = page_client.post("/account/delete/", {"password": "nope", "confirm": "on"})

    assert response.status_code == 400
    customer.refresh_from_db()
    assert customer.erased_at is None


def test_delete_page_erases_and_logs_out(page_client, customer):
    response = page_client.post("/account/delete/", {"password": DEFAULT_PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.erased_at is not None
    assert page_client.get("/account/profile/").status_code == 302


def test_profile_export_page_downloads_the_document(page_client, customer):
    response = page_client.get("/account/profile/export/")

    assert response.status_code == 200
    assert json.loads(response.content)["customer"]["id"] == customer.public_id


def test_profile_pages_are_not_for_staff_without_a_customer(client, staff_user):
    client.force_login(staff_user)

    assert client.get("/account/profile/").status_code == 404


def test_delete_page_needs_the_confirmation_box(page_client, customer):
    response = page_client.post("/account/delete/", {"password": DEFAULT_PASSWORD})

    assert response.status_code == 400
    assert Customer.objects.get(pk=customer.pk).erased_at is None
