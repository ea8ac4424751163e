"""POST /api/auth/register."""

import pytest

from customers.models import Customer, User
from tests.customers.auth_support import STRONG_PASSWORD, error_of
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def payload(**overrides):
    data = {
        "email": "jane.smith@example.com",
        "password": STRONG_PASSWORD,
        "confirm_password": STRONG_PASSWORD,
        "first_name": "Jane",
        "last_name": "Smith",
        "accepted_terms": True,
    }
    data.update(overrides)
    return data


def test_register_creates_login_and_customer_and_answers_201_with_profile(api_client):
    from loyalty.services import loyalty_account_ensure

    referrer_code = loyalty_account_ensure(customer=CustomerFactory()).referral_code
    response = api_client.post(
        "/api/auth/register",
        payload(salutation="ms", phone_number="+14155550123", referral_code=referrer_code),
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"].startswith("cust_")
    assert body["email"] == "jane.smith@example.com"
    assert (body["first_name"], body["last_name"], body["salutation"]) == ("Jane", "Smith", "ms")
    assert body["phone_number"] == "+14155550123"
    assert body["phone_verified"] is False
    customer = Customer.objects.get(public_id=body["id"])
    assert customer.user.check_password(STRONG_PASSWORD)
    assert customer.referred_by_code == referrer_code
    assert customer.accepted_terms_at is not None


def test_register_new_account_can_log_in(api_client):
    api_client.post("/api/auth/register", payload(), format="json")

    response = api_client.post(
        "/api/auth/token", {"email": "jane.smith@example.com", "password": STRONG_PASSWORD}, format="json"
    )

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}


def test_register_duplicate_email_in_other_case_is_409(api_client):
    CustomerFactory(email="jane.smith@example.com")

    response = api_client.post("/api/auth/register", payload(email="Jane.SMITH@Example.com"), format="json")

    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"
    assert User.objects.filter(email__iexact="jane.smith@example.com").count() == 1


def test_register_without_accepting_terms_is_400(api_client):
    response = api_client.post("/api/auth/register", payload(accepted_terms=False), format="json")

    assert response.status_code == 400
    assert "accepted_terms" in error_of(response)["details"]
    assert not User.objects.exists()


@pytest.mark.parametrize("weak", ["short1", "password123", "12345678901", "jane.smith@example"])
def test_register_weak_password_is_400_with_validator_messages(api_client, weak):
    response = api_client.post(
        "/api/auth/register", payload(password=weak, confirm_password=weak), format="json"
    )

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert error["details"]["password"]
    assert not User.objects.exists()


def test_register_mismatched_confirmation_is_400(api_client):
    response = api_client.post(
        "/api/auth/register", payload(confirm_password=STRONG_PASSWORD + "x"), format="json"
    )

    assert response.status_code == 400
    assert "confirm_password" in error_of(response)["details"]


@pytest.mark.parametrize(
    "field, value", [("phone_number", "12345"), ("salutation", "lord"), ("email", "not-an-email")]
)
def test_register_invalid_optional_or_email_field_is_400_naming_it(api_client, field, value):
    response = api_client.post("/api/auth/register", payload(**{field: value}), format="json")

    assert response.status_code == 400
    assert field in error_of(response)["details"]


def test_register_missing_required_fields_are_400(api_client):
    response = api_client.post("/api/auth/register", {"email": "a@example.com"}, format="json")

    assert response.status_code == 400
    details = error_of(response)["details"]
    assert {"password", "confirm_password", "first_name", "last_name", "accepted_terms"} <= set(details)


def test_register_ignores_read_only_and_unknown_fields(api_client):
    response = api_client.post(
        "/api/auth/register",
        payload(id="cust_mine", phone_verified=True, is_staff=True, credit_limit="9999.00"),
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["id"] != "cust_mine"
    assert body["phone_verified"] is False
    customer = Customer.objects.get(public_id=body["id"])
    assert customer.user.is_staff is False
    assert str(customer.credit_limit) == "0.00"


def test_register_ignores_a_stale_bearer_header(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer expired.or.garbage")

    response = api_client.post("/api/auth/register", payload(), format="json")

    assert response.status_code == 201
