"""Login brute-force protection: the pair (account, client IP) is locked with a growing back-off."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import include, path
from django.utils import timezone
from freezegun import freeze_time

from customers.lockout import backoff, lockout_username
from tests.customers.auth_support import error_of, obtain_tokens
from tests.factories import DEFAULT_PASSWORD, CustomerFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

WRONG = "Not-the-password-9"


def fail(client, email, times, **extra):
    return [obtain_tokens(client, email, password=WRONG, **extra) for _ in range(times)]


@override_settings(AXES_FAILURE_LIMIT=5, LOGIN_LOCKOUT_BASE_SECONDS=60)
def test_lockout_after_repeated_failures_is_429_with_retry_after_even_for_the_right_password(
    api_client, customer
):
    answers = fail(api_client, customer.email, 4)
    assert [r.status_code for r in answers] == [401] * 4

    fifth = fail(api_client, customer.email, 1)[0]
    right = obtain_tokens(api_client, customer.email)

    for response in (fifth, right):
        assert response.status_code == 429
        error = error_of(response)
        assert error["code"] == "throttled"
        assert "Too many failed login attempts" in error["message"]
        assert 1 <= int(response["Retry-After"]) <= 60
        assert response["Retry-After"] in error["message"]


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_does_not_lock_other_accounts_behind_the_same_ip(api_client, customer, other_customer):
    fail(api_client, customer.email, 3)

    assert obtain_tokens(api_client, customer.email).status_code == 429
    assert obtain_tokens(api_client, other_customer.email).status_code == 200


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_does_not_lock_the_account_from_another_ip(api_client, customer):
    fail(api_client, customer.email, 3, REMOTE_ADDR="203.0.113.7")

    assert obtain_tokens(api_client, customer.email, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert obtain_tokens(api_client, customer.email, REMOTE_ADDR="198.51.100.20").status_code == 200


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_counts_the_account_case_insensitively(api_client, customer):
    for email in (customer.email.upper(), customer.email, f"  {customer.email.title()} "):
        obtain_tokens(api_client, email, password=WRONG)

    assert obtain_tokens(api_client, customer.email).status_code == 429


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_ignores_a_forged_forwarded_for_header(api_client, customer):
    for n in range(3):
        obtain_tokens(api_client, customer.email, password=WRONG, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert obtain_tokens(api_client, customer.email, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


@override_settings(AXES_FAILURE_LIMIT=3, LOGIN_LOCKOUT_BASE_SECONDS=60, LOGIN_LOCKOUT_MAX_SECONDS=3600)
def test_lockout_back_off_doubles_with_each_failure_after_a_lockout(api_client, customer):
    start = timezone.now()
    with freeze_time(start) as clock:
        first = fail(api_client, customer.email, 3)[-1]
        assert first.status_code == 429
        assert first["Retry-After"] == "60"

        # still locked a little later, and attempts while locked do not extend the lockout
        clock.tick(timedelta(seconds=30))
        assert fail(api_client, customer.email, 1)[0]["Retry-After"] == "30"

        clock.tick(timedelta(seconds=31))
        second = fail(api_client, customer.email, 1)[0]
        assert second.status_code == 429
        assert second["Retry-After"] == "120"

        clock.tick(timedelta(seconds=121))
        third = fail(api_client, customer.email, 1)[0]
        assert third["Retry-After"] == "240"

        clock.tick(timedelta(seconds=241))
        assert obtain_tokens(api_client, customer.email).status_code == 200


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_successful_login_resets_the_failure_count(api_client, customer):
    fail(api_client, customer.email, 2)
    assert obtain_tokens(api_client, customer.email).status_code == 200

    assert [r.status_code for r in fail(api_client, customer.email, 2)] == [401, 401]
    assert not AccessAttempt.objects.filter(failures_since_start__gte=3).exists()


def test_lockout_back_off_is_capped():
    with override_settings(
        AXES_FAILURE_LIMIT=5, LOGIN_LOCKOUT_BASE_SECONDS=60, LOGIN_LOCKOUT_MAX_SECONDS=600
    ):
        assert backoff(4) == timedelta(0)
        assert [backoff(n).total_seconds() for n in (5, 6, 7, 8, 9, 500)] == [60, 120, 240, 480, 600, 600]


def test_lockout_username_reads_email_or_username_lower_cased():
    assert lockout_username(None, {"email": " Jane@Example.com "}) == "jane@example.com"
    assert lockout_username(None, {"username": "Staff@Example.com"}) == "staff@example.com"
    assert lockout_username(None, {}) is None


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_protects_the_admin_login_form_which_posts_username():
    staff = StaffUserFactory()
    client = Client()
    for _ in range(3):
        client.post("/admin/login/", {"username": staff.email.upper(), "password": WRONG})

    response = client.post("/admin/login/", {"username": staff.email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def _login_view():
    from django.contrib.auth.views import LoginView

    return LoginView.as_view(template_name="account/locked_out.html")


urlpatterns = [path("account/login/", _login_view(), name="login"), path("", include("config.urls"))]


@pytest.mark.urls(__name__)
@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_protects_a_page_login_form_and_shares_the_count_with_the_api(api_client):
    customer = CustomerFactory()
    client = Client()
    for _ in range(2):
        client.post("/account/login/", {"username": customer.email, "password": WRONG})
    fail(api_client, customer.email, 1)  # the third failure, through the API

    response = client.post("/account/login/", {"username": customer.email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_lockout_api_answer_does_not_depend_on_the_axes_middleware(api_client, customer, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.startswith("axes.")]
    settings.AXES_FAILURE_LIMIT = 2
    settings.LOGIN_LOCKOUT_BASE_SECONDS = 100
    fail(api_client, customer.email, 2)

    response = obtain_tokens(api_client, customer.email)

    assert response.status_code == 429
    assert error_of(response)["code"] == "throttled"
    assert 90 < int(response["Retry-After"]) <= 100
