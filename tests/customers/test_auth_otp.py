"""generate-otp and verify-otp: email and phone changes wait for a 6-digit code."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from freezegun import freeze_time

from customers import sms
from customers.models import OTPCode
from tests.customers.auth_support import error_of, otp_code_from
from tests.factories import BusinessCustomerFactory, CustomerFactory

pytestmark = pytest.mark.django_db

NEW_EMAIL = "jane.new@example.com"
NEW_PHONE = "+14155550123"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the Celery sends) as the request's transaction commits."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


def generate(client, action="update-email", **fields):
    data = {"otp_action": action}
    if not fields:
        fields = {"email": NEW_EMAIL} if action == "update-email" else {"phone_number": NEW_PHONE}
    data.update(fields)
    return client.post("/api/auth/generate-otp", data, format="json")


def verify(client, otp, action="update-email"):
    return client.post("/api/auth/verify-otp", {"otp_action": action, "otp": otp}, format="json")


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_generate_otp_email_sends_a_code_to_the_new_address_and_changes_nothing_yet(
    customer_client, customer, on_commit
):
    response = on_commit(generate, customer_client)

    assert response.status_code == 202
    body = response.json()
    assert body["otp_action"] == "update-email"
    assert body["expires_at"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [NEW_EMAIL]
    code = otp_code_from(mail.outbox[0].body)
    otp = OTPCode.objects.get(user=customer.user)
    assert code not in otp.code_hash
    assert timedelta(minutes=9) < otp.expires_at - timezone.now() <= timedelta(minutes=10)
    customer.refresh_from_db()
    customer.user.refresh_from_db()
    assert customer.email != NEW_EMAIL and customer.user.email != NEW_EMAIL


def test_verify_otp_email_changes_login_and_customer_only_now(customer_client, customer, on_commit):
    old_email = customer.email
    on_commit(generate, customer_client)
    code = otp_code_from(mail.outbox[0].body)

    response = on_commit(verify, customer_client, code)

    assert response.status_code == 200
    assert response.json()["email"] == NEW_EMAIL
    customer.refresh_from_db()
    customer.user.refresh_from_db()
    assert customer.email == customer.user.email == NEW_EMAIL
    # the previous address is told about the change
    assert mail.outbox[-1].to == [old_email]
    assert NEW_EMAIL in mail.outbox[-1].body
    # the code is spent
    assert verify(customer_client, code).status_code == 400


def test_verify_otp_new_email_works_for_login(customer_client, customer, api_client, on_commit):
    from tests.customers.auth_support import obtain_tokens

    on_commit(generate, customer_client)
    verify(customer_client, otp_code_from(mail.outbox[0].body))

    assert obtain_tokens(api_client, NEW_EMAIL).status_code == 200


def test_generate_otp_phone_sends_an_sms_and_verify_sets_a_verified_phone(
    customer_client, customer, on_commit
):
    response = on_commit(generate, customer_client, "update-phone")

    assert response.status_code == 202
    assert [m["to"] for m in sms.outbox] == [NEW_PHONE]
    customer.refresh_from_db()
    assert str(customer.phone_number) != NEW_PHONE

    answer = verify(customer_client, otp_code_from(sms.outbox[0]["body"]), "update-phone")

    assert answer.status_code == 200
    body = answer.json()
    assert body["phone_number"] == NEW_PHONE
    assert body["phone_verified"] is True
    customer.refresh_from_db()
    assert (str(customer.phone_number), customer.phone_verified) == (NEW_PHONE, True)


def test_generate_otp_can_verify_the_current_unverified_phone(customer_client, customer, on_commit):
    customer.phone_number, customer.phone_verified = NEW_PHONE, False
    customer.save()

    on_commit(generate, customer_client, "update-phone")
    answer = verify(customer_client, otp_code_from(sms.outbox[0]["body"]), "update-phone")

    assert answer.json()["phone_verified"] is True


def test_generate_otp_already_verified_phone_is_400(customer_client, customer):
    customer.phone_number, customer.phone_verified = NEW_PHONE, True
    customer.save()

    response = generate(customer_client, "update-phone")

    assert response.status_code == 400
    assert "phone_number" in error_of(response)["details"]


@pytest.mark.parametrize(
    "taken_by",
    [lambda: CustomerFactory(email=NEW_EMAIL.upper()), lambda: BusinessCustomerFactory(email=NEW_EMAIL)],
)
def test_generate_otp_email_used_by_another_account_is_409(customer_client, taken_by):
    taken_by()

    response = generate(customer_client)

    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"
    assert mail.outbox == []
    assert not OTPCode.objects.exists()


def test_verify_otp_email_taken_meanwhile_is_409_and_changes_nothing(customer_client, customer, on_commit):
    on_commit(generate, customer_client)
    CustomerFactory(email=NEW_EMAIL)

    response = verify(customer_client, otp_code_from(mail.outbox[0].body))

    assert response.status_code == 409
    customer.refresh_from_db()
    assert customer.email != NEW_EMAIL


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"email": "not-an-email"}, "email"),
        ({}, "email"),
        ({"phone_number": "12"}, "phone_number"),
    ],
)
def test_generate_otp_invalid_target_is_400(customer_client, fields, field):
    action = "update-phone" if "phone_number" in fields else "update-email"
    response = customer_client.post("/api/auth/generate-otp", {"otp_action": action, **fields}, format="json")

    assert response.status_code == 400
    assert field in error_of(response)["details"]


def test_generate_otp_same_email_is_400(customer_client, customer):
    response = generate(customer_client, email=customer.email.upper())

    assert response.status_code == 400


def test_verify_otp_wrong_code_is_400_and_counts_a_try(customer_client, customer, on_commit):
    on_commit(generate, customer_client)
    code = otp_code_from(mail.outbox[0].body)

    response = verify(customer_client, wrong(code))

    assert response.status_code == 400
    error = error_of(response)
    assert "otp" in error["details"]
    assert "4 tries left" in error["message"]
    assert OTPCode.objects.get(user=customer.user).attempts == 1
    # the right code still works after a wrong one
    assert verify(customer_client, code).status_code == 200


def test_verify_otp_five_wrong_tries_kill_the_code(customer_client, customer, on_commit):
    on_commit(generate, customer_client)
    code = otp_code_from(mail.outbox[0].body)

    answers = [verify(customer_client, wrong(code)).status_code for _ in range(5)]
    after = verify(customer_client, code)

    assert answers == [400] * 5
    assert after.status_code == 400
    assert "request a new one" in error_of(after)["message"]
    customer.refresh_from_db()
    assert customer.email != NEW_EMAIL


def test_verify_otp_expired_code_is_400(customer_client, customer, on_commit):
    start = timezone.now()
    with freeze_time(start):
        on_commit(generate, customer_client)
    code = otp_code_from(mail.outbox[0].body)

    with freeze_time(start + timedelta(minutes=10, seconds=1)):
        response = verify(customer_client, code)

    assert response.status_code == 400
    assert "expired" in error_of(response)["message"]
    customer.refresh_from_db()
    assert customer.email != NEW_EMAIL


def test_verify_otp_a_new_code_replaces_the_previous_one(customer_client, on_commit):
    on_commit(generate, customer_client)
    on_commit(generate, customer_client, email="jane.other@example.com")
    first, second = (otp_code_from(m.body) for m in mail.outbox)

    if first != second:
        assert verify(customer_client, first).status_code == 400
    response = verify(customer_client, second)

    assert response.status_code == 200
    assert response.json()["email"] == "jane.other@example.com"


def test_verify_otp_code_of_one_action_does_not_apply_another(customer_client, on_commit):
    on_commit(generate, customer_client)

    response = verify(customer_client, otp_code_from(mail.outbox[0].body), "update-phone")

    assert response.status_code == 400


def test_verify_otp_without_a_pending_code_is_400(customer_client):
    assert verify(customer_client, "123456").status_code == 400


def test_verify_otp_code_must_be_six_digits(customer_client):
    response = verify(customer_client, "12ab56")

    assert response.status_code == 400
    assert "otp" in error_of(response)["details"]


def test_verify_otp_code_of_another_customer_does_not_work(customer_client, other_client, on_commit):
    on_commit(generate, other_client)

    assert verify(customer_client, otp_code_from(mail.outbox[0].body)).status_code == 400


def test_otp_routes_are_for_customers(api_client, staff_client):
    assert generate(api_client).status_code == 401
    assert generate(staff_client).status_code == 403
    assert verify(staff_client, "123456").status_code == 403


@override_settings(ACTION_THROTTLE_RATES={"otp": {"account": "2/hour", "ip": "100/hour"}})
def test_generate_otp_is_limited_per_account(customer_client, other_client):
    answers = [generate(customer_client, email=f"new{n}@example.com").status_code for n in range(3)]
    other = generate(other_client)

    assert answers == [202, 202, 429]
    assert other.status_code == 202


@override_settings(ACTION_THROTTLE_RATES={"otp": {"account": "2/hour", "ip": "100/hour"}})
def test_generate_otp_is_limited_per_target_address(customer_client, other_client):
    assert generate(customer_client, "update-phone").status_code == 202
    assert generate(other_client, "update-phone").status_code == 202

    # a third account may not send to the same phone again within the hour
    third = CustomerFactory()
    from tests.conftest import bearer_client

    response = generate(bearer_client(third.user), "update-phone")

    assert response.status_code == 429


@override_settings(ACTION_THROTTLE_RATES={"otp": {"account": "100/hour", "ip": "2/hour"}})
def test_generate_otp_is_limited_per_client_ip(customer_client, other_client):
    answers = [
        generate(customer_client, email="a1@example.com").status_code,
        generate(other_client, email="a2@example.com").status_code,
        generate(customer_client, email="a3@example.com").status_code,
    ]

    assert answers == [202, 202, 429]
    response = generate(customer_client, email="a4@example.com")
    assert int(response["Retry-After"]) > 0
