"""change-password, forgot-password and reset-password."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from freezegun import freeze_time

from customers.models import User
from customers.services.auth import password_reset_token_make
from tests.customers.auth_support import STRONG_PASSWORD, error_of, obtain_tokens, reset_token_from
from tests.customers.test_auth_tokens import bearer
from tests.factories import DEFAULT_PASSWORD, CustomerFactory

pytestmark = pytest.mark.django_db

NEW = "Oud-and-Amber-7781"


def change(client, current=DEFAULT_PASSWORD, new=NEW, confirm=None):
    return client.post(
        "/api/auth/change-password",
        {"current_password": current, "new_password": new, "confirm_password": confirm or new},
        format="json",
    )


def forgot(client, email, **extra):
    return client.post("/api/auth/forgot-password", {"email": email}, format="json", **extra)


def reset(client, token, new=NEW, confirm=None):
    return client.post(
        "/api/auth/reset-password",
        {"token": token, "new_password": new, "confirm_password": confirm or new},
        format="json",
    )


# change-password ----------------------------------------------------------------------------


def test_change_password_sets_it_and_logs_every_device_out(api_client, customer):
    phone = obtain_tokens(api_client, customer.email).json()
    laptop = obtain_tokens(api_client, customer.email).json()

    response = change(bearer(laptop["access"]))

    assert response.status_code == 204
    customer.user.refresh_from_db()
    assert customer.user.check_password(NEW)
    for device in (phone, laptop):
        refused = api_client.post("/api/auth/token/refresh", {"refresh": device["refresh"]}, format="json")
        assert refused.status_code == 401
        # access tokens carry a digest of the password hash, so they are revoked too
        assert change(bearer(device["access"]), current=NEW, new=STRONG_PASSWORD).status_code == 401
    assert obtain_tokens(api_client, customer.email, password=NEW).status_code == 200


def test_change_password_wrong_current_password_is_400(customer_client, customer):
    response = change(customer_client, current="Wrong-password-1")

    assert response.status_code == 400
    assert "current_password" in error_of(response)["details"]
    customer.user.refresh_from_db()
    assert customer.user.check_password(DEFAULT_PASSWORD)


def test_change_password_weak_new_password_is_400(customer_client):
    response = change(customer_client, new="12345678", confirm="12345678")

    assert response.status_code == 400
    assert error_of(response)["details"]["new_password"]


def test_change_password_mismatched_confirmation_is_400(customer_client):
    response = change(customer_client, confirm=NEW + "x")

    assert response.status_code == 400
    assert "confirm_password" in error_of(response)["details"]


def test_change_password_needs_authentication(api_client):
    assert change(api_client).status_code == 401


def test_change_password_does_not_accept_api_keys(make_key_client):
    assert change(make_key_client("customers:write")).status_code == 401


# forgot-password / reset-password -----------------------------------------------------------


def test_forgot_password_sends_a_reset_token_on_commit(
    api_client, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = forgot(api_client, customer.email.upper())

    assert response.status_code == 204
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [customer.email]
    token = reset_token_from(message)
    uid, reset_part = token.split(".")
    assert f"/account/reset/{uid}/{reset_part}/" in message.body


def test_forgot_password_unknown_email_answers_the_same_and_sends_nothing(
    api_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = forgot(api_client, "nobody@example.com")

    assert response.status_code == 204
    assert response.content == b""
    assert mail.outbox == []


def test_forgot_password_disabled_account_gets_no_email(api_client, django_capture_on_commit_callbacks):
    customer = CustomerFactory(user__is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert forgot(api_client, customer.email).status_code == 204

    assert mail.outbox == []


def test_forgot_password_invalid_email_is_400(api_client):
    assert forgot(api_client, "not-an-email").status_code == 400


def test_reset_password_with_the_emailed_token_sets_the_password_and_logs_out(
    api_client, customer, django_capture_on_commit_callbacks
):
    session = obtain_tokens(api_client, customer.email).json()
    with django_capture_on_commit_callbacks(execute=True):
        forgot(api_client, customer.email)
    token = reset_token_from(mail.outbox[0])

    response = reset(api_client, token)

    assert response.status_code == 204
    assert obtain_tokens(api_client, customer.email, password=NEW).status_code == 200
    assert api_client.post("/api/auth/token/refresh", {"refresh": session["refresh"]}).status_code == 401


def test_reset_password_token_is_single_use(api_client, customer):
    token = password_reset_token_make(user=customer.user)
    assert reset(api_client, token).status_code == 204

    response = reset(api_client, token, new=STRONG_PASSWORD)

    assert response.status_code == 400
    assert "token" in error_of(response)["details"]
    customer.user.refresh_from_db()
    assert customer.user.check_password(NEW)


@override_settings(PASSWORD_RESET_TIMEOUT=3600)
def test_reset_password_token_expires(api_client, customer):
    start = timezone.now()
    with freeze_time(start):
        token = password_reset_token_make(user=customer.user)
    with freeze_time(start + timedelta(seconds=3601)):
        response = reset(api_client, token)

    assert response.status_code == 400
    assert "token" in error_of(response)["details"]
    customer.user.refresh_from_db()
    assert customer.user.check_password(DEFAULT_PASSWORD)


@override_settings(PASSWORD_RESET_TIMEOUT=3600)
def test_reset_password_token_works_until_it_expires(api_client, customer):
    start = timezone.now()
    with freeze_time(start):
        token = password_reset_token_make(user=customer.user)
    with freeze_time(start + timedelta(seconds=3500)):
        assert reset(api_client, token).status_code == 204


@pytest.mark.parametrize(
    "forge",
    [
        lambda token, other: "garbage",
        lambda token, other: token[:-2] + ("aa" if not token.endswith("aa") else "bb"),
        lambda token, other: other.split(".")[0] + "." + token.split(".")[1],
        lambda token, other: "!!!." + token.split(".")[1],
        lambda token, other: token.split(".")[0],
    ],
)
def test_reset_password_forged_token_is_400(api_client, customer, other_customer, forge):
    token = password_reset_token_make(user=customer.user)
    other = password_reset_token_make(user=other_customer.user)

    response = reset(api_client, forge(token, other))

    assert response.status_code == 400
    assert error_of(response)["code"] == "validation_error"
    assert User.objects.get(pk=other_customer.user.pk).check_password(DEFAULT_PASSWORD)


def test_reset_password_weak_password_is_400_and_keeps_the_token_usable(api_client, customer):
    token = password_reset_token_make(user=customer.user)

    weak = reset(api_client, token, new="password", confirm="password")

    assert weak.status_code == 400
    assert "new_password" in error_of(weak)["details"]
    assert reset(api_client, token).status_code == 204


def test_reset_password_unlocks_a_locked_out_login(api_client, customer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        obtain_tokens(api_client, customer.email, password="Wrong-password-1")
    assert obtain_tokens(api_client, customer.email).status_code == 429

    assert reset(api_client, password_reset_token_make(user=customer.user)).status_code == 204

    assert obtain_tokens(api_client, customer.email, password=NEW).status_code == 200


# rate limits on reset emails ----------------------------------------------------------------


@override_settings(ACTION_THROTTLE_RATES={"password-reset": {"account": "2/hour", "ip": "100/hour"}})
def test_forgot_password_is_limited_per_email_address(
    api_client, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [forgot(api_client, customer.email).status_code for _ in range(2)]
        limited = forgot(api_client, customer.email.upper(), REMOTE_ADDR="198.51.100.9")
        other = forgot(api_client, "someone.else@example.com")

    assert answers == [204, 204]
    assert limited.status_code == 429
    assert error_of(limited)["code"] == "throttled"
    assert int(limited["Retry-After"]) > 0
    assert other.status_code == 204
    assert len(mail.outbox) == 2


@override_settings(ACTION_THROTTLE_RATES={"password-reset": {"account": "100/hour", "ip": "3/hour"}})
def test_forgot_password_is_limited_per_client_ip(api_client):
    answers = [forgot(api_client, f"person{n}@example.com").status_code for n in range(4)]
    elsewhere = forgot(api_client, "person9@example.com", REMOTE_ADDR="198.51.100.9")

    assert answers == [204, 204, 204, 429]
    assert elsewhere.status_code == 204


@override_settings(ACTION_THROTTLE_RATES={"password-reset": {"account": "1/hour", "ip": "100/hour"}})
def test_forgot_password_limit_does_not_reveal_whether_the_account_exists(api_client, customer):
    known = [forgot(api_client, customer.email).status_code for _ in range(2)]
    unknown = [forgot(api_client, "nobody@example.com").status_code for _ in range(2)]

    assert known == unknown == [204, 429]
