"""API10 (and API8): the logs, as the project formats them, never carry secrets.

The flows run with every logger at DEBUG through a handler built from settings.LOGGING (the
redacting filter and the JSON formatter), and the captured text is searched for the password,
the tokens, the OTP code and the full IBAN.
"""

import io
import logging

import pytest
from django.conf import settings
from django.core import mail
from django.utils.module_loading import import_string

from tests.customers.auth_support import otp_code_from
from tests.factories import DEFAULT_PASSWORD

IBAN = "DE89370400440532013000"
NEW_EMAIL = "jane.new@example.com"


@pytest.fixture
def captured_logs():
    """Every log record of the test, formatted as production formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(import_string(settings.LOGGING["filters"]["redact"]["()"])())
    handler.setFormatter(import_string(settings.LOGGING["formatters"]["json"]["()"])())
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    loggers = [root] + [logging.getLogger(name) for name in ("django", "django.request", "axes", "config")]
    levels = [logger.level for logger in loggers]
    root.addHandler(handler)
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def _assert_clean(text: str, secrets: list[str]) -> None:
    assert text, "the flow logged nothing: the test would prove nothing"
    for secret in secrets:
        assert secret not in text, f"a secret reached the logs: {secret[:12]}..."


def test_redacting_filter_scrubs_secrets_logged_by_mistake(captured_logs):
    # Given code that logs secrets by mistake
    logger = logging.getLogger("config.test")
    token = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
    logger.warning("login password=%s token=%s", "Sandalwood-Ember-42", token)
    logger.warning("bank account %s, otp: 482913", IBAN)
    logger.warning('payload {"refresh": "%s", "api_key": "abc.def"}', token)
    # Then the formatted lines carry none of them
    _assert_clean(captured_logs.getvalue(), ["Sandalwood-Ember-42", token, IBAN, "482913", "abc.def"])


@pytest.mark.django_db
def test_login_logs_neither_the_password_nor_the_tokens(api_client, customer, captured_logs):
    # Given a failed and a successful login, and a refresh
    api_client.post("/api/auth/token", {"email": customer.email, "password": "Wrong-Guess-99"}, format="json")
    response = api_client.post(
        "/api/auth/token", {"email": customer.email, "password": DEFAULT_PASSWORD}, format="json"
    )
    tokens = response.json()
    refreshed = api_client.post(
        "/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json"
    ).json()
    api_client.post(
        "/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json"
    )  # reused: refused
    # Then the logs carry no password and no token
    _assert_clean(
        captured_logs.getvalue(),
        [DEFAULT_PASSWORD, "Wrong-Guess-99", tokens["access"], tokens["refresh"], refreshed["access"]],
    )


@pytest.mark.django_db
def test_otp_flow_logs_no_code(customer_client, captured_logs, django_capture_on_commit_callbacks):
    # Given an email change through a code, with one wrong try
    with django_capture_on_commit_callbacks(execute=True):
        customer_client.post(
            "/api/auth/generate-otp", {"otp_action": "update-email", "email": NEW_EMAIL}, format="json"
        )
    code = otp_code_from(mail.outbox[-1].body)
    wrong = "000000" if code != "000000" else "111111"
    customer_client.post("/api/auth/verify-otp", {"otp_action": "update-email", "otp": wrong}, format="json")
    response = customer_client.post(
        "/api/auth/verify-otp", {"otp_action": "update-email", "otp": code}, format="json"
    )
    assert response.status_code == 200
    # Then the code is nowhere in the logs
    _assert_clean(captured_logs.getvalue(), [code])


@pytest.mark.django_db
def test_bank_account_flow_logs_no_full_iban(customer_client, captured_logs):
    # Given a saved bank account, a refused one and the list
    customer_client.post("/api/customers/bank-accounts", {"holder_name": "Jane", "iban": IBAN}, format="json")
    customer_client.post(
        "/api/customers/bank-accounts", {"holder_name": "Jane", "iban": IBAN[:-1] + "1"}, format="json"
    )
    customer_client.get("/api/customers/bank-accounts")
    # Then no full IBAN (valid or not) is in the logs
    _assert_clean(captured_logs.getvalue(), [IBAN, IBAN[:-1] + "1"])
