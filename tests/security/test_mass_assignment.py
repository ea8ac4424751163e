"""API3 (broken object property level authorization): privileged fields sent in bodies are
ignored and never written, and no answer carries a secret.

Each writable route on main is called by its legitimate caller with the fields it accepts plus
the read-only and privileged ones an attacker would add; the stored rows are then compared.
`test_no_answer_carries_a_secret` runs every row of the authorization matrix as its successful
caller and searches the answer for secrets, so a new route is scanned as soon as it has a row.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import APIKey, BankAccount, Customer, OTPCode, User
from orders.models import Order, OrderStatus
from tests.security.matrix import OK, ROWS, World
from tests.security.test_authorization_matrix import _client

pytestmark = pytest.mark.django_db

PRIVILEGED_USER_FIELDS = {"is_staff": True, "is_superuser": True, "is_active": False}
PRIVILEGED_CUSTOMER_FIELDS = {
    "id": "cust_attacker",
    "public_id": "cust_attacker",
    "kind": "business",
    "credit_limit": "99999.00",
    "current_balance": "-500.00",
    "phone_verified": True,
    "loyalty_points": 100000,
    "tokens": 500,
    "membership_tier": "gold",
    "created_at": "2000-01-01T00:00:00Z",
    "user": 1,
    "customer": 1,
}


def test_register_ignores_privileged_fields(api_client):
    # Given a sign-up carrying staff flags, balances, verification and owner fields
    body = {
        "email": "mallory@example.com",
        "password": "Vetiver-Moss-2026",
        "confirm_password": "Vetiver-Moss-2026",
        "first_name": "Mallory",
        "last_name": "M",
        "accepted_terms": True,
        **PRIVILEGED_USER_FIELDS,
        **PRIVILEGED_CUSTOMER_FIELDS,
    }
    # When it is sent
    response = api_client.post("/api/auth/register", body, format="json")
    # Then the account is an ordinary, active, unverified individual customer
    assert response.status_code == 201, response.content
    user = User.objects.get(email="mallory@example.com")
    assert (user.is_staff, user.is_superuser, user.is_active) == (False, False, True)
    customer = Customer.objects.get(user=user)
    assert customer.public_id != "cust_attacker" and customer.public_id.startswith("cust_")
    assert customer.kind == Customer.Kind.INDIVIDUAL
    assert customer.credit_limit == 0 and customer.current_balance == 0
    assert customer.phone_verified is False
    assert customer.created_at.year > 2000


def test_bank_account_create_ignores_owner_and_id_fields(customer_client, customer, other_customer):
    # Given a bank account body naming another owner and its own id and last digits
    body = {
        "holder_name": "Jane",
        "iban": "DE89370400440532013000",
        "customer": other_customer.pk,
        "customer_id": other_customer.public_id,
        "id": "bank_attacker",
        "iban_last4": "9999",
        "created_at": "2000-01-01T00:00:00Z",
    }
    # When the customer saves it
    response = customer_client.post("/api/customers/bank-accounts", body, format="json")
    # Then it is the caller's, with its own id and the real last digits
    assert response.status_code == 201, response.content
    account = BankAccount.objects.get()
    assert account.customer == customer
    assert account.public_id != "bank_attacker"
    assert response.json()["iban_last4"] == "3000"
    assert not BankAccount.objects.filter(customer=other_customer).exists()


def test_order_cancel_ignores_status_amounts_and_owner(customer_client, customer, other_customer):
    from tests.orders.factories import make_order

    # Given a paid order of the customer
    order = make_order(customer)
    total = order.total
    # When the cancel body also carries a status, amounts and another owner
    response = customer_client.post(
        f"/api/orders/{order.number}/cancel",
        {
            "cancellation_reason": "Changed my mind",
            "status": OrderStatus.DELIVERED,
            "payment_status": "paid",
            "total": "0.01",
            "amount_refunded": "9999.00",
            "customer_id": other_customer.public_id,
            "number": "MNKY-HACK",
        },
        format="json",
    )
    # Then only the cancellation happened
    assert response.status_code == 200, response.content
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.total == total and order.customer == customer and order.number != "MNKY-HACK"
    assert order.amount_refunded <= total


def test_staff_order_ingest_ignores_read_only_fields(make_staff_client, customer):
    from tests.orders.factories import ADDRESS, ProductFactory

    # Given an ingest body with the order's read-only fields set
    product = ProductFactory()
    client = make_staff_client("orders.add_order")
    body = {
        "customer_id": customer.public_id,
        "items": [{"sku": product.sku, "quantity": 1, "id": "item_attacker", "total": "0.01"}],
        "shipping_address": dict(ADDRESS),
        "payment": {"method": "card", "status": "succeeded"},
        "id": "order_attacker",
        "status": OrderStatus.DELIVERED,
        "shipping_status": "delivered",
        "amount_refunded": "5.00",
        "is_return_allowed": True,
    }
    # When it is ingested
    response = client.post("/api/orders", body, format="json")
    # Then those fields are the service's own
    assert response.status_code == 201, response.content
    order = Order.objects.get()
    assert order.public_id != "order_attacker"
    assert order.status == OrderStatus.PAID and order.shipping_status == "unshipped"
    assert order.amount_refunded == 0
    assert order.items.get().public_id != "item_attacker"


def test_loyalty_adjust_ignores_a_balance_in_the_body(make_staff_client, customer):
    from loyalty.models import LoyaltyAccount

    # Given staff allowed to adjust points
    client = make_staff_client("loyalty.adjust_loyaltyaccount")
    # When the body also tries to set the balance and the entry type
    response = client.post(
        f"/api/customers/{customer.public_id}/loyalty/adjust",
        {"points": 10, "reason": "goodwill", "points_balance": 100000, "type": "earn", "id": "led_x"},
        format="json",
    )
    # Then the balance moved by exactly the adjustment, as an `adjust` entry
    assert response.status_code == 201, response.content
    assert LoyaltyAccount.objects.get(customer=customer).points_balance == 10
    assert response.json()["type"] == "adjust"


def test_verify_otp_cannot_set_a_target_other_than_the_code_was_sent_to(customer_client, customer):
    from django.core import mail
    from django.test import TestCase

    from tests.customers.auth_support import otp_code_from

    # Given a code sent for a new email
    with TestCase.captureOnCommitCallbacks(execute=True):
        customer_client.post(
            "/api/auth/generate-otp",
            {"otp_action": "update-email", "email": "new@example.com"},
            format="json",
        )
    code = otp_code_from(mail.outbox[-1].body)
    # When the verify body names another address and verification flags
    response = customer_client.post(
        "/api/auth/verify-otp",
        {"otp_action": "update-email", "otp": code, "email": "attacker@example.com", "phone_verified": True},
        format="json",
    )
    # Then the address the code went to is the one set
    assert response.status_code == 200, response.content
    customer.refresh_from_db()
    assert customer.email == "new@example.com"
    assert customer.phone_verified is False


# --- no answer carries a secret -------------------------------------------------------------

TOKEN_ROUTES = {"auth-token", "auth-token-refresh"}
JWT = re.compile(r"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+")


def _successful_caller(row) -> str:
    for caller in ("owner", "staff_perm", "key_scope", "anonymous"):
        if row.expected(caller) == OK:
            return caller
    raise AssertionError(f"{row.id}: no caller succeeds")


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_no_answer_carries_a_secret(row):
    # Given the owner's secrets stored: a password hash, a bank account, a pending OTP, a key
    world = World()
    iban = world.bank_account.iban
    otp = OTPCode.objects.create(
        user=world.owner.user,
        action=OTPCode.Action.UPDATE_EMAIL,
        target="x@example.com",
        code_hash="pbkdf2_sha256$1$salt$hashhashhash",
        expires_at=timezone.now() + timezone.timedelta(minutes=5),
    )
    key, _ = APIKey.objects.create_key(name="integration", scopes=list(APIKey.SCOPES))
    # When the route's successful caller calls it
    caller = _successful_caller(row)
    client = _client(caller, row, world)
    world.caller_user = client.user
    url = reverse(row.route, kwargs=row.path(world))
    response = getattr(client, row.method.lower())(url, row.body(world) if row.body else None, format="json")
    text = response.content.decode(errors="replace")
    # Then the answer carries none of them
    user = world.owner.user
    user.refresh_from_db()
    for secret in [user.password, iban, otp.code_hash, key.hashed_key, key.id]:
        assert secret not in text, f"{row.id} as {caller} answers a secret"
    assert not re.search(r"(argon2|pbkdf2_sha256|md5)\$", text), f"{row.id} answers a password hash"
    if row.route not in TOKEN_ROUTES:
        assert not JWT.search(text), f"{row.id} answers a token"
