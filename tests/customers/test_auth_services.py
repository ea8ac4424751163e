"""Service-level rules of customers.services.auth that the routes do not show directly."""

import pytest
from django.core import mail
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from config.errors import TokenInvalid, ValidationFailed
from customers.models import OTPCode
from customers.services import auth
from customers.tasks.auth import send_password_reset_email
from tests.customers.auth_support import otp_code_from

pytestmark = pytest.mark.django_db


def test_user_refresh_tokens_revoke_all_touches_only_that_users_live_tokens(customer, other_customer):
    mine = [RefreshToken.for_user(customer.user) for _ in range(3)]
    RefreshToken.for_user(other_customer.user)
    RefreshToken(str(mine[0])).blacklist()

    revoked = auth.user_refresh_tokens_revoke_all(user=customer.user)

    assert revoked == 2
    assert BlacklistedToken.objects.filter(token__user=customer.user).count() == 3
    assert not BlacklistedToken.objects.filter(token__user=other_customer.user).exists()
    assert OutstandingToken.objects.count() == 4


def test_password_reset_request_says_whether_it_sent_but_only_to_the_caller_in_code(
    customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert auth.password_reset_request(email=f" {customer.email.upper()} ") is True
        assert auth.password_reset_request(email="nobody@example.com") is False

    assert [m.to for m in mail.outbox] == [[customer.email]]


def test_password_reset_request_sends_nothing_when_the_transaction_rolls_back(
    customer, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        auth.password_reset_request(email=customer.email)
        raise RuntimeError("rolled back")

    assert callbacks == []
    assert mail.outbox == []


def test_send_password_reset_email_skips_a_login_disabled_since_the_request(customer):
    customer.user.is_active = False
    customer.user.save()

    assert send_password_reset_email(user_id=customer.user.pk) is False
    assert send_password_reset_email(user_id=10**9) is False
    assert mail.outbox == []


def test_otp_code_is_bound_to_its_target(customer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        auth.otp_generate(user=customer.user, action="update-email", email="bound@example.com")
    code = otp_code_from(mail.outbox[0].body)
    # someone who could write the table cannot redirect a code to another address
    OTPCode.objects.update(target="attacker@example.com")

    with pytest.raises(ValidationFailed):
        auth.otp_verify(user=customer.user, action="update-email", code=code)

    customer.refresh_from_db()
    assert customer.email != "attacker@example.com"


def test_token_refresh_refuses_an_erased_customer(customer):
    from django.utils import timezone

    refresh = str(RefreshToken.for_user(customer.user))
    customer.erased_at = timezone.now()
    customer.save()

    with pytest.raises(TokenInvalid):
        auth.token_refresh(refresh=refresh)
