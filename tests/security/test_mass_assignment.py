"""API3 (broken object property level authorization): privileged fields sent in bodies are
ignored and never written, and no answer carries a secret.

Each writable route on main is called by its legitimate caller with the fields it accepts plus
the read-only and privileged ones an attacker would add; the stored rows are then compared.
`test_no_answer_carries_a_secret` runs every row of the authorization matrix as its successful
caller and searches the answer for secrets, so a new route is scanned as soon as it has a row.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

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
# secrets a body sends that its answer must not echo
SENT_SECRETS = {"iban", "password", "current_password", "new_password", "confirm_password", "token", "otp"}
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
    body = row.body(world) if row.body else None
    response = getattr(client, row.method.lower())(url, body, format=row.format)
    text = response.content.decode(errors="replace")
    # (the answer searched is the route's successful one)
    assert response.status_code == row.ok, f"{row.id} as {caller}: {response.status_code} {text[:300]}"
    # Then the answer carries none of them
    user = world.owner.user
    user.refresh_from_db()
    sent = [v for k, v in (body or {}).items() if k in SENT_SECRETS and isinstance(v, str)]
    for secret in [user.password, iban, otp.code_hash, key.hashed_key, key.id, *sent]:
        assert secret not in text, f"{row.id} as {caller} answers a secret"
    assert not re.search(r"(argon2|pbkdf2_sha256|md5)\$", text), f"{row.id} answers a password hash"
    if row.route not in TOKEN_ROUTES:
        assert not JWT.search(text), f"{row.id} answers a token"


# --- every writable route of the profile, cart, checkout, returns, reviews and catalog ------------
#
# One case per route: the legitimate caller sends a valid body plus the read-only and privileged
# fields an attacker would add; the answer is the route's success status (or 400 where the contract
# says so), and the rows reloaded from the database show none of those fields written.

OTHER = "cust_attacker"
TIMESTAMPS = {"created_at": "2000-01-01T00:00:00Z", "updated_at": "2000-01-01T00:00:00Z"}


@dataclass(frozen=True)
class Write:
    id: str
    caller: str  # "owner" (the customer) or "staff" (a superuser)
    method: str
    url: Callable[[World], str]
    body: Callable[[World], dict]
    check: Callable[[World, dict, dict], None]  # (world, answer, snapshot taken before)
    status: int = 200
    snapshot: Callable[[World], dict] = lambda w: {}


def _customer_row(w: World) -> Customer:
    return Customer.objects.select_related("user").get(pk=w.owner.pk)


def _profile_snapshot(w):
    from loyalty.services import loyalty_account_ensure

    account = loyalty_account_ensure(customer=w.owner)
    return {"customer": _customer_row(w), "referral_code": account.referral_code}


def _profile_check(w, answer, before):
    from loyalty.models import LoyaltyAccount

    customer, was = _customer_row(w), before["customer"]
    assert customer.first_name == "Nora"  # the writable field was written
    assert (customer.public_id, customer.email, customer.kind) == (was.public_id, was.email, was.kind)
    assert customer.phone_verified is False and customer.credit_limit == 0 and customer.current_balance == 0
    assert customer.created_at == was.created_at and customer.is_active and customer.erased_at is None
    assert (customer.user.is_staff, customer.user.is_superuser, customer.user.is_active) == (
        False,
        False,
        True,
    )
    account = LoyaltyAccount.objects.get(customer=w.owner)
    assert (account.points_balance, account.tokens_balance) == (0, 0)
    assert account.referral_code == before["referral_code"]
    assert answer["id"] == was.public_id and answer["email"] == was.email and answer["loyalty_points"] == 0


def _preferences_check(w, answer, before):
    customer, other = _customer_row(w), Customer.objects.get(pk=w.other.pk)
    assert customer.email_marketing is True  # the writable field was written
    assert customer.public_id == before["id"] and not customer.user.is_staff
    assert other.email_marketing is False and other.newsletter_email is False  # not the named owner's


def _cart_item_check(w, answer, before):
    from orders.models import CartLine

    line = CartLine.objects.select_related("cart", "variant").get(cart__customer=w.owner)
    assert line.quantity == 1 and line.unit_price == w.variant.price  # the variant's price, not the body's
    assert line.public_id != "line_attacker" and line.cart.public_id != "cart_attacker"
    assert line.variant.stock == 20 and line.variant.price == before["price"]
    assert not CartLine.objects.filter(cart__customer=w.other).exists()
    assert answer["items"][0]["unit_price"] == f"{w.variant.price:.2f}"


def _cart_line_check(w, answer, before):
    w.cart_line.refresh_from_db()
    assert w.cart_line.quantity == 2  # the writable field was written
    assert (w.cart_line.unit_price, w.cart_line.variant_id) == (before["unit_price"], before["variant_id"])
    assert w.cart_line.public_id == before["id"]


def _points_check(w, answer, before):
    from loyalty.models import LoyaltyAccount
    from orders.models import Cart

    assert Cart.objects.get(customer=w.owner).points_applied == 100
    assert LoyaltyAccount.objects.get(customer=w.owner).points_balance == 500  # held, not spent or set
    assert answer["points_discount"] == "1.00"  # 100 points at the default 100 points = 1.00


def _addresses_check(w, answer, before):
    from orders.models import Cart

    # another customer's address id is 400 naming the field, and the cart keeps its address
    assert "shipping_address_id" in answer["error"]["details"]
    assert Cart.objects.get(customer=w.owner).shipping_address == before["shipping_address"]


def _shipping_method_check(w, answer, before):
    from orders.models import Cart

    assert Cart.objects.get(customer=w.owner).shipping_method == "express"
    assert answer["shipping_total"] == before["express_price"] != "0.00"


def _checkout_check(w, answer, before):
    from orders.models import Order

    order = Order.objects.get(number=answer["number"])
    assert order.customer_id == w.owner.pk and order.number != "MNKY-HACK"
    # the declined token decides the payment, not the body's `status`; the amounts are the cart's
    assert (order.status, order.payment_status) == ("payment_failed", "failed")
    assert order.total == before["total"] and order.total != Decimal("0.01")
    assert order.discount_total == 0 and order.points_discount == 0 and order.amount_refunded == 0
    assert not Order.objects.filter(customer=w.other).exists()


def _return_check(w, answer, before):
    from orders.models import Return

    found = Return.objects.get(public_id=answer["id"])
    assert found.public_id != "ret_attacker" and found.status == "requested"
    assert found.customer_id == w.owner.pk and found.order_id == w.delivered_order.pk
    assert found.refund_amount == Decimal("20.00")  # one unit at its price, not the body's 999.00
    assert found.decided_by is None and found.decided_at is None


def _review_create_check(w, answer, before):
    from reviews.models import Review

    review = Review.objects.get()
    assert review.public_id != "rev_attacker" and review.status == "pending"
    assert review.customer_id == w.owner.pk and review.product_id == w.reviewable_product.pk
    assert review.moderated_by is None and review.created_at.year > 2000


def _review_update_check(w, answer, before):
    from reviews.models import Review

    review = Review.objects.get(pk=w.review.pk)
    assert review.title == "Even better" and review.status == "pending"
    assert (review.customer_id, review.product_id, review.public_id) == before["owner_product_id"]
    assert review.rating == before["rating"] and review.moderated_by is None


def _product_create_check(w, answer, before):
    from orders.models import Product

    product = Product.objects.get(public_id=answer["id"])
    assert product.public_id != "prod_attacker"
    variant = product.variants.get()
    assert variant.public_id != "var_attacker" and variant.stock == 5  # `stock`, not `available_quantity`
    assert answer["review_count"] == 0 and answer["average_rating"] in (None, "0.00", 0, "0")


def _product_update_check(w, answer, before):
    w.product.refresh_from_db()
    assert w.product.description == "Renamed"
    assert (w.product.sku, w.product.price, w.product.public_id) == before["sku_price_id"]
    assert answer["review_count"] == 0


def _variant_check(w, answer, before):
    w.variant.refresh_from_db()
    assert w.variant.price == Decimal("21.00")  # the writable field was written
    assert w.variant.stock == 20  # only a stock adjustment moves stock
    assert (w.variant.sku, w.variant.product_id, w.variant.public_id) == before["sku_product_id"]


def _code_create_check(w, answer, before):
    from orders.models import DiscountCode

    code = DiscountCode.objects.get(code="MASS10")
    assert code.times_used == 0 and answer["times_used"] == 0


def _discount_check(w, answer, before):
    from orders.models import DiscountCode

    code = DiscountCode.objects.get(pk=w.discount_code.pk)
    assert (code.times_used, code.value, code.usage_limit) == (before["times_used"], before["value"], None)
    assert [c["code"] for c in answer["discount_codes"]] == [code.code]
    assert answer["discount_total"] == "2.00"  # the code's 10% of 20.00, not the body's amounts


def _code_update_check(w, answer, before):
    from orders.models import DiscountCode

    code = DiscountCode.objects.get(pk=w.discount_code.pk)
    assert code.description == "Autumn" and code.times_used == 0 and code.code == before["code"]
    assert not DiscountCode.objects.filter(code="RENAMED").exists()


def _other_address(w: World) -> str:
    from tests.customers.factories import AddressFactory

    return AddressFactory(customer=w.other).public_id


def _express_price(w: World) -> str:
    from orders.pricing import shipping_methods

    w.cart_line  # noqa: B018  (the owner's cart, with a US address)
    method = next(
        m for m in shipping_methods(country="US", goods_total=Decimal("20.00")) if m.code == "express"
    )
    return f"{method.price:.2f}"


def _cart_total(w: World) -> Decimal:
    from orders.models import Cart
    from orders.selectors_cart import cart_view

    w.cart_line  # noqa: B018
    return cart_view(customer=Cart.objects.get(customer=w.owner).customer).quote.total


WRITES = [
    Write(
        "PATCH customer-profile",
        "owner",
        "PATCH",
        lambda w: "/api/customers/profile",
        lambda w: {
            "first_name": "Nora",
            "email": "attacker@example.com",
            "phone_verified": True,
            "loyalty_points": 100000,
            "tokens": 500,
            "membership_tier": "gold",
            "referral_code": "HACKED",
            "order_stats": {"total_orders": 99},
            "profile_image_url": "https://evil.example/x.png",
            **PRIVILEGED_USER_FIELDS,
            **PRIVILEGED_CUSTOMER_FIELDS,
            **TIMESTAMPS,
        },
        _profile_check,
        snapshot=_profile_snapshot,
    ),
    Write(
        "PUT customer-notification-preferences",
        "owner",
        "PUT",
        lambda w: "/api/customers/notification-preferences",
        lambda w: {
            "promotional": {"email": True},
            "customer_id": w.other.public_id,
            "customer": w.other.pk,
            "newsletter_email": True,
            **PRIVILEGED_USER_FIELDS,
            **TIMESTAMPS,
        },
        _preferences_check,
        snapshot=lambda w: {"id": w.owner.public_id},
    ),
    Write(
        "POST cart-items",
        "owner",
        "POST",
        lambda w: "/api/customers/cart/items",
        lambda w: {
            "variant_id": w.variant.public_id,
            "quantity": 1,
            "unit_price": "0.01",
            "price": "0.01",
            "total": "0.01",
            "available_quantity": 999,
            "id": "line_attacker",
            "cart_id": "cart_attacker",
            "customer_id": w.other.public_id,
        },
        _cart_item_check,
        status=201,
        snapshot=lambda w: {"price": w.variant.price},
    ),
    Write(
        "PATCH cart-item",
        "owner",
        "PATCH",
        lambda w: f"/api/customers/cart/items/{w.cart_line.public_id}",
        lambda w: {
            "quantity": 2,
            "unit_price": "0.01",
            "total": "0.02",
            "variant_id": _cheap_variant(w),
            "sku": "HACK",
            "id": "line_attacker",
        },
        _cart_line_check,
        snapshot=lambda w: {
            "unit_price": w.cart_line.unit_price,
            "variant_id": w.cart_line.variant_id,
            "id": w.cart_line.public_id,
        },
    ),
    Write(
        "POST cart-discounts",
        "owner",
        "POST",
        lambda w: "/api/customers/cart/discounts",
        lambda w: {
            "code": _ready_code(w),
            "amount": "999.00",
            "discount_total": "999.00",
            "times_used": 0,
            "usage_limit": None,
            "value": "100.00",
        },
        _discount_check,
        snapshot=lambda w: {"times_used": w.discount_code.times_used, "value": w.discount_code.value},
    ),
    Write(
        "PUT cart-points",
        "owner",
        "PUT",
        lambda w: "/api/customers/cart/points",
        lambda w: {
            "points": 100,
            "points_discount": "999.00",
            "loyalty_points": 100000,
            "redeemable_points": 100000,
            "total": "0.00",
        },
        _points_check,
        snapshot=lambda w: {"line": w.cart_line},
    ),
    Write(
        "PUT cart-addresses",
        "owner",
        "PUT",
        lambda w: "/api/customers/cart/addresses",
        lambda w: {"shipping_address_id": _other_address(w), "customer_id": w.other.public_id},
        _addresses_check,
        status=400,
        snapshot=lambda w: {"shipping_address": _cart_of(w).shipping_address},
    ),
    Write(
        "PUT cart-shipping-method",
        "owner",
        "PUT",
        lambda w: "/api/customers/cart/shipping-method",
        lambda w: {"code": "express", "price": "0.00", "shipping_total": "0.00", "estimated_days": 1},
        _shipping_method_check,
        snapshot=lambda w: {"express_price": _express_price(w)},
    ),
    Write(
        "POST checkout",
        "owner",
        "POST",
        lambda w: "/api/customers/checkout",
        lambda w: {
            "payment": {"method": "card", "status": "succeeded", "amount": "0.01"},
            "payment_token": "tok_decline",
            "status": "delivered",
            "payment_status": "paid",
            "total": "0.01",
            "subtotal": "0.01",
            "discount_total": "999.00",
            "points_discount": "999.00",
            "number": "MNKY-HACK",
            "customer_id": w.other.public_id,
            "placed_at": "2000-01-01T00:00:00Z",
        },
        _checkout_check,
        status=201,
        snapshot=lambda w: {"total": _cart_total(w)},
    ),
    Write(
        "POST order-returns",
        "owner",
        "POST",
        lambda w: f"/api/orders/{w.delivered_order.number}/returns",
        lambda w: {
            "return_items": [{**_first_line(w), "refund_amount": "999.00", "unit_price": "999.00"}],
            "id": "ret_attacker",
            "status": "approved",
            "refund_amount": "999.00",
            "customer_id": w.other.public_id,
            "decided_by": 1,
            **TIMESTAMPS,
        },
        _return_check,
        status=201,
    ),
    Write(
        "POST product-reviews",
        "owner",
        "POST",
        lambda w: f"/api/products/{w.reviewable_product.public_id}/reviews",
        lambda w: {
            "rating": 5,
            "title": "Lovely",
            "body": "Fills the room.",
            "id": "rev_attacker",
            "status": "approved",
            "moderation_status": "approved",
            "is_approved": True,
            "customer_id": w.other.public_id,
            "product_id": w.product.public_id,
            "author_name": "Staff Pick",
            **TIMESTAMPS,
        },
        _review_create_check,
        status=201,
    ),
    Write(
        "PATCH review-detail",
        "owner",
        "PATCH",
        lambda w: f"/api/reviews/{w.review.public_id}",
        lambda w: {
            "title": "Even better",
            "status": "approved",
            "moderation_status": "approved",
            "moderation_note": "fine",
            "customer_id": w.other.public_id,
            "product_id": w.product.public_id,
            "id": "rev_attacker",
            **TIMESTAMPS,
        },
        _review_update_check,
        snapshot=lambda w: {
            "owner_product_id": (w.review.customer_id, w.review.product_id, w.review.public_id),
            "rating": w.review.rating,
        },
    ),
    Write(
        "POST products",
        "staff",
        "POST",
        lambda w: "/api/products",
        lambda w: {
            "name": "Fig Candle",
            "variants": [
                {
                    "sku": "FIG-MASS",
                    "price": "24.00",
                    "stock": 5,
                    "available_quantity": 999,
                    "id": "var_attacker",
                }
            ],
            "id": "prod_attacker",
            "average_rating": "5.00",
            "review_count": 99,
            "in_stock": True,
        },
        _product_create_check,
        status=201,
    ),
    Write(
        "PATCH product-detail",
        "staff",
        "PATCH",
        lambda w: f"/api/products/{w.product.public_id}",
        lambda w: {
            "description": "Renamed",
            "id": "prod_attacker",
            "sku": "HACK",
            "price": "0.01",
            "average_rating": "5.00",
            "review_count": 99,
        },
        _product_update_check,
        snapshot=lambda w: {"sku_price_id": (w.product.sku, w.product.price, w.product.public_id)},
    ),
    Write(
        "PATCH variant-detail",
        "staff",
        "PATCH",
        lambda w: f"/api/variants/{w.variant.public_id}",
        lambda w: {
            "price": "21.00",
            "stock": 999,
            "available_quantity": 999,
            "sku": "HACK",
            "product_id": w.product.public_id,
            "id": "var_attacker",
        },
        _variant_check,
        snapshot=lambda w: {"sku_product_id": (w.variant.sku, w.variant.product_id, w.variant.public_id)},
    ),
    Write(
        "POST discount-codes",
        "staff",
        "POST",
        lambda w: "/api/discount-codes",
        lambda w: {
            "code": "MASS10",
            "kind": "percentage",
            "value": "10.00",
            "times_used": 50,
            "id": "disc_x",
        },
        _code_create_check,
        status=201,
    ),
    Write(
        "PATCH discount-code-detail",
        "staff",
        "PATCH",
        lambda w: f"/api/discount-codes/{w.discount_code.code}",
        lambda w: {"description": "Autumn", "times_used": 99, "code": "RENAMED", "id": "disc_x"},
        _code_update_check,
        snapshot=lambda w: {"code": w.discount_code.code},
    ),
]


def _ready_code(w: World) -> str:
    w.cart_line  # noqa: B018  (the owner's cart: one line of 20.00)
    return w.discount_code.code


def _cheap_variant(w: World) -> str:
    from tests.checkout.factories import VariantFactory

    return VariantFactory(price=Decimal("0.01")).public_id


def _cart_of(w: World):
    from orders.models import Cart

    w.cart_line  # noqa: B018
    return Cart.objects.get(customer=w.owner)


def _first_line(w: World) -> dict:
    from tests.returns.factories import line

    return line(w.delivered_order)


def test_every_writable_route_of_the_matrix_has_a_mass_assignment_case():
    # Given the writes of the matrix's customer and catalog routes (auth, staff customers and
    # orders have their own tests above)
    written = {case.id for case in WRITES}
    covered_elsewhere = {
        "POST auth-register",
        "POST bank-accounts",
        "POST order-cancel",
        "POST orders",
        "POST loyalty-adjust",
        "POST auth-verify-otp",
    }
    routes = {
        "cart-discounts",
        "customer-profile",
        "customer-notification-preferences",
        "cart-items",
        "cart-item",
        "cart-points",
        "cart-addresses",
        "cart-shipping-method",
        "checkout",
        "order-returns",
        "product-reviews",
        "review-detail",
        "products",
        "product-detail",
        "variant-detail",
        "discount-codes",
        "discount-code-detail",
    }
    # Then each of their PUT, PATCH and POST rows (bodies with fields) has a case
    wanted = {
        row.id
        for row in ROWS
        if row.route in routes and row.method in {"PUT", "PATCH", "POST"} and row.format == "json"
    }
    assert wanted - covered_elsewhere <= written, sorted(wanted - written)


@pytest.mark.parametrize("case", WRITES, ids=[case.id for case in WRITES])
def test_read_only_and_privileged_fields_are_ignored_and_never_written(case, make_staff_client):
    from tests.conftest import bearer_client

    # Given the caller's objects, and a body with read-only and privileged fields
    world = World()
    url, body = case.url(world), case.body(world)
    before = case.snapshot(world)
    client = bearer_client(world.owner.user) if case.caller == "owner" else _superuser_client()
    # When the legitimate caller sends it
    response = getattr(client, case.method.lower())(url, body, format="json")
    # Then the answer is the route's own, and the stored rows show none of those fields
    assert response.status_code == case.status, response.content[:500]
    case.check(world, response.json(), before)


def _superuser_client():
    from tests.conftest import bearer_client
    from tests.factories import StaffUserFactory

    return bearer_client(StaffUserFactory(is_superuser=True))
