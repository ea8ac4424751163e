"""POST /api/auth/token, /token/refresh, /logout, and how JWTs are checked."""

import base64
import json
from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.utils import timezone
from freezegun import freeze_time
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from tests.customers.auth_support import error_of, obtain_tokens
from tests.factories import CustomerFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

PROTECTED = "/api/auth/verify-otp"


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def test_token_right_credentials_give_access_and_refresh(api_client, customer):
    response = obtain_tokens(api_client, customer.email)

    assert response.status_code == 200
    tokens = response.json()
    assert set(tokens) == {"access", "refresh"}
    # the access token authenticates the customer's routes
    check = bearer(tokens["access"]).post(PROTECTED, {"otp_action": "update-email", "otp": "123456"})
    assert check.status_code == 400  # authenticated; no code is pending


def test_token_email_is_case_insensitive(api_client, customer):
    response = obtain_tokens(api_client, customer.email.upper())

    assert response.status_code == 200


@pytest.mark.parametrize("email_of", [lambda c: c.email, lambda c: "nobody@example.com"])
def test_token_wrong_credentials_are_401_with_the_same_message(api_client, customer, email_of):
    response = obtain_tokens(api_client, email_of(customer), password="Wrong-password-1")

    assert response.status_code == 401
    error = error_of(response)
    assert error["code"] == "not_authenticated"
    assert "email and password" in error["message"]


def test_token_disabled_login_is_refused(api_client, customer):
    customer.user.is_active = False
    customer.user.save()

    response = obtain_tokens(api_client, customer.email)

    assert response.status_code == 401


def test_token_erased_or_disabled_customer_is_refused(api_client):
    erased = CustomerFactory(erased_at=timezone.now())
    disabled = CustomerFactory(is_active=False)

    assert obtain_tokens(api_client, erased.email).status_code == 401
    assert obtain_tokens(api_client, disabled.email).status_code == 401


def test_token_staff_user_can_obtain_tokens(api_client):
    staff = StaffUserFactory()

    assert obtain_tokens(api_client, staff.email).status_code == 200


def test_token_missing_fields_are_400(api_client):
    response = api_client.post("/api/auth/token", {}, format="json")

    assert response.status_code == 400
    assert {"email", "password"} <= set(error_of(response)["details"])


def test_refresh_rotates_and_the_old_refresh_token_stops_working(api_client, customer):
    old = obtain_tokens(api_client, customer.email).json()["refresh"]

    first = api_client.post("/api/auth/token/refresh", {"refresh": old}, format="json")
    again = api_client.post("/api/auth/token/refresh", {"refresh": old}, format="json")

    assert first.status_code == 200
    new = first.json()
    assert set(new) == {"access", "refresh"}
    assert new["refresh"] != old
    assert again.status_code == 401
    assert error_of(again)["code"] == "token_invalid"
    # the rotated token works once too
    assert api_client.post("/api/auth/token/refresh", {"refresh": new["refresh"]}).status_code == 200


def test_refresh_with_an_access_token_is_401(api_client, customer):
    access = obtain_tokens(api_client, customer.email).json()["access"]

    response = api_client.post("/api/auth/token/refresh", {"refresh": access}, format="json")

    assert response.status_code == 401
    assert error_of(response)["code"] == "token_invalid"


def test_refresh_expired_token_is_401(api_client, customer):
    refresh = obtain_tokens(api_client, customer.email).json()["refresh"]

    with freeze_time(timezone.now() + settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"] + timedelta(seconds=5)):
        response = api_client.post("/api/auth/token/refresh", {"refresh": refresh}, format="json")

    assert response.status_code == 401
    assert error_of(response)["code"] == "token_invalid"


def test_refresh_for_a_disabled_login_is_401(api_client, customer):
    refresh = obtain_tokens(api_client, customer.email).json()["refresh"]
    customer.user.is_active = False
    customer.user.save()

    response = api_client.post("/api/auth/token/refresh", {"refresh": refresh}, format="json")

    assert response.status_code == 401


def test_logout_blacklists_the_refresh_token(api_client, customer):
    tokens = obtain_tokens(api_client, customer.email).json()
    client = bearer(tokens["access"])

    response = client.post("/api/auth/logout", {"refresh": tokens["refresh"]}, format="json")

    assert response.status_code == 204
    assert response.content == b""
    refused = api_client.post("/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json")
    assert refused.status_code == 401
    # logging out twice is harmless
    assert client.post("/api/auth/logout", {"refresh": tokens["refresh"]}).status_code == 204


def test_logout_with_another_users_refresh_token_is_400_and_blacklists_nothing(
    api_client, customer, other_customer
):
    mine = obtain_tokens(api_client, customer.email).json()
    theirs = obtain_tokens(api_client, other_customer.email).json()

    response = bearer(mine["access"]).post("/api/auth/logout", {"refresh": theirs["refresh"]}, format="json")

    assert response.status_code == 400
    assert "refresh" in error_of(response)["details"]
    assert not BlacklistedToken.objects.exists()


def test_logout_needs_authentication(api_client, customer):
    tokens = obtain_tokens(api_client, customer.email).json()

    response = api_client.post("/api/auth/logout", {"refresh": tokens["refresh"]}, format="json")

    assert response.status_code == 401
    assert not BlacklistedToken.objects.exists()


def test_logout_with_garbage_refresh_is_400(customer_client):
    response = customer_client.post("/api/auth/logout", {"refresh": "garbage"}, format="json")

    assert response.status_code == 400


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims_of(access: str) -> dict:
    return jwt.decode(access, options={"verify_signature": False})


@pytest.mark.filterwarnings("ignore:The HMAC key")
@pytest.mark.parametrize(
    "kind", ["alg_none", "forged", "other_alg", "garbage", "expired", "refresh_as_access"]
)
def test_jwt_bad_tokens_are_401_token_invalid(api_client, customer, kind):
    tokens = obtain_tokens(api_client, customer.email).json()
    claims = _claims_of(tokens["access"])
    if kind == "alg_none":
        token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    elif kind == "forged":
        token = jwt.encode(claims, "not-the-signing-key-but-long-enough-0123456789", algorithm="HS256")
    elif kind == "other_alg":
        token = jwt.encode(claims, settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS512")
    elif kind == "garbage":
        token = "a.b.c"
    elif kind == "expired":
        token = jwt.encode(
            {**claims, "exp": int((timezone.now() - timedelta(minutes=1)).timestamp())},
            settings.SIMPLE_JWT["SIGNING_KEY"],
            algorithm="HS256",
        )
    else:
        token = tokens["refresh"]

    response = bearer(token).post(PROTECTED, {"otp_action": "update-email", "otp": "123456"}, format="json")

    assert response.status_code == 401
    assert error_of(response)["code"] == "token_invalid"


def test_jwt_access_token_of_a_disabled_login_is_401_token_invalid(api_client, customer):
    access = obtain_tokens(api_client, customer.email).json()["access"]
    customer.user.is_active = False
    customer.user.save()

    response = bearer(access).post(PROTECTED, {"otp_action": "update-email", "otp": "123456"}, format="json")

    assert response.status_code == 401
    assert error_of(response)["code"] == "token_invalid"


def test_token_issue_records_an_outstanding_refresh_token(api_client, customer):
    obtain_tokens(api_client, customer.email)

    assert OutstandingToken.objects.filter(user=customer.user).count() == 1
