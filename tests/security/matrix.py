"""The rows of the authorization matrix: one per API route and method.

A row says who may call a route and what a successful call answers; the test module
(`test_authorization_matrix.py`) crosses every row with seven callers and checks the answer
each must get. Rows are written with the small builders below, one per kind of route:

- `public(...)`: anyone (every caller gets `ok`).
- `account(...)`: any logged-in person with a JWT (customers and staff); API keys 401.
- `me(...)`: a customer's own account route without an object in the path ("me" routes):
  anonymous 401, customers `ok`, staff and API keys 403.
- `mine(...)`: a "me" route on one of the owner's objects: as `me`, and another customer 404.
- `owner_or_staff(...)`: an "owner, staff" route on the owner's object: the owner `ok`, another
  customer 404, staff need `perms`, keys need `scope`.
- `staff(...)`: a staff route: customers 403, staff need `perms`, keys need `scope` (or no key
  at all with `keys=False`).

`path` builds the URL kwargs from the `World` (the owner's objects), `body` the request body.
Any expectation can be overridden per caller with `expect={"key_scope": 401}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from customers.models import APIKey, Customer
from tests.factories import DEFAULT_PASSWORD, CustomerFactory
from tests.loyalty.factories import RewardFactory
from tests.orders.factories import ProductFactory, make_order

CALLERS = ["anonymous", "owner", "other", "staff_noperm", "staff_perm", "key_noscope", "key_scope"]
OK = "ok"


class World:
    """The objects a row's path and body are built from; made lazily, once per test."""

    def __init__(self):
        self.owner: Customer = CustomerFactory()
        self.other: Customer = CustomerFactory()
        self.password = DEFAULT_PASSWORD

    @cached_property
    def order(self):
        """A paid, unshipped order of the owner."""
        return make_order(self.owner)

    @cached_property
    def failed_order(self):
        """An order of the owner whose card payment failed (retry is available)."""
        return make_order(self.owner, payment="failed")

    @cached_property
    def shipped_order(self):
        from orders.services import order_ship

        order = make_order(self.owner)
        self.shipment = order_ship(order=order, courier="DHL", tracking_number="TRK-1")
        return order

    @cached_property
    def bank_account(self):
        from customers.services.bank_accounts import bank_account_create

        return bank_account_create(
            customer=self.owner, holder_name="Jane Smith", iban="DE89370400440532013000"
        )

    @cached_property
    def reward(self):
        from loyalty.services import loyalty_balance_adjust

        loyalty_balance_adjust(customer=self.owner, points=500, reason="matrix", by=None)
        loyalty_balance_adjust(customer=self.other, points=500, reason="matrix", by=None)
        return RewardFactory(cost=100)

    @cached_property
    def product(self):
        return ProductFactory()

    @cached_property
    def address(self):
        from tests.customers.factories import AddressFactory

        return AddressFactory(customer=self.owner)

    @cached_property
    def blend(self):
        from tests.scents.factories import make_blend

        return make_blend(self.owner)

    @cached_property
    def business(self):
        """A business customer (staff routes) with a contact."""
        from customers.services.business import contact_create
        from tests.business.factories import business_customer

        customer = business_customer()
        self.contact = contact_create(customer=customer, name="Pat Buyer", email="pat@business.example")
        return customer

    @cached_property
    def credit_check(self):
        """A credit check of the business customer waiting for approval."""
        from datetime import timedelta

        from django.utils import timezone

        from customers.services.business import credit_check_run
        from tests.business.factories import account_order
        from tests.factories import StaffUserFactory

        # one small order this year: the recommendation falls below the 10,000 limit
        account_order(self.business, [(ProductFactory(), 1)], placed_at=timezone.now() - timedelta(days=10))
        check = credit_check_run(customer=self.business, by=StaffUserFactory())
        assert check.status == "pending_approval", check.status
        return check

    # --- catalog, cart, returns, reviews ---------------------------------------------------

    @cached_property
    def variant(self):
        """A sellable variant with stock."""
        from tests.checkout.factories import VariantFactory

        return VariantFactory(stock=20)

    @cached_property
    def discount_code(self):
        """An active, unused discount code without conditions."""
        from tests.checkout.factories import DiscountCodeFactory

        return DiscountCodeFactory()

    @cached_property
    def cart_line(self):
        """The owner's line in a cart ready for checkout (address and method set). The other
        customer gets a ready cart too, and both hold 500 points, so "me" writes succeed for both."""
        from orders.models import CartLine
        from tests.checkout.factories import give_points, ready_cart

        for customer in (self.owner, self.other):
            ready_cart(customer, [(self.variant, 1)])
            give_points(customer, 500)
        return CartLine.objects.get(cart__customer=self.owner)

    @cached_property
    def applied_code(self):
        """A discount code applied to the owner's cart."""
        from orders.services_cart import cart_discount_apply

        self.cart_line  # noqa: B018  (the cart)
        cart_discount_apply(customer=self.owner, code=self.discount_code.code)
        return self.discount_code

    @cached_property
    def delivered_order(self):
        """A delivered order of the owner within the return window (2 + 1 items)."""
        from tests.returns.factories import delivered_order

        return delivered_order(self.owner)

    @cached_property
    def requested_return(self):
        """A return the owner requested on the delivered order."""
        from tests.returns.factories import request_return

        return request_return(self.delivered_order, by=self.owner.user)

    @cached_property
    def approved_return(self):
        from orders.services_returns import return_approve

        return return_approve(return_request=self.requested_return, by=None)

    @cached_property
    def reviewable_product(self):
        """A product the owner has received and not reviewed yet."""
        from tests.reviews.factories import delivered_product

        return delivered_product(self.owner)

    @cached_property
    def review(self):
        """The owner's (pending) review of a product they received."""
        from tests.reviews.factories import make_review

        return make_review(self.owner)

    @cached_property
    def webhook(self):
        """A webhook endpoint subscribed to `order.created`."""
        from integrations.services import webhook_endpoint_create

        endpoint, _ = webhook_endpoint_create(
            url="https://hooks.example.com/matrix", events=["order.created"]
        )
        return endpoint

    @cached_property
    def delivery(self):
        """A delivery of an `order.created` event to the webhook endpoint."""
        from django.db import transaction

        from integrations.services import record_event

        endpoint = self.webhook
        with transaction.atomic():
            record_event("order.created", {"number": "MNKY-1"})
        return endpoint.deliveries.get()


Build = Callable[[World], dict]


@dataclass(frozen=True)
class Row:
    route: str  # URL name
    method: str
    ok: int
    kind: str
    path: Build = field(default=lambda w: {})
    body: Build | None = None
    scope: str | tuple[str, ...] | None = None  # a tuple: any of these scopes will do
    perms: tuple[str, ...] = ()
    keys: bool = True
    format: str = "json"  # "multipart" for uploads
    expect: dict[str, int | str] = field(default_factory=dict)
    # what a caller that must not see the owner's object must not find in the answer
    secret: Callable[[World], str] | None = None

    @property
    def id(self) -> str:
        return f"{self.method} {self.route}"

    def expected(self, caller: str) -> int | str:
        """The status `caller` must get (OK for the row's success status)."""
        if caller in self.expect:
            return self.expect[caller]
        return _DEFAULTS[self.kind](self, caller)


def _public(row, caller):
    return OK


def _account(row, caller):
    return {"anonymous": 401, "key_noscope": 401, "key_scope": 401}.get(caller, OK)


def _me(row, caller):
    return {"anonymous": 401, "owner": OK, "other": OK}.get(caller, 403)


def _mine(row, caller):
    return {"anonymous": 401, "owner": OK, "other": 404}.get(caller, 403)


def _staff_side(row, caller):
    if caller == "staff_noperm":
        return 403 if row.perms else OK
    if caller == "staff_perm":
        return OK
    if caller == "key_noscope":
        return 403
    if caller == "key_scope":
        return OK if row.keys and row.scope else 403
    raise AssertionError(caller)


def _owner_or_staff(row, caller):
    if caller in {"anonymous", "owner", "other"}:
        return _mine(row, caller)
    return _staff_side(row, caller)


def _staff(row, caller):
    if caller == "anonymous":
        return 401
    if caller in {"owner", "other"}:
        return 403
    return _staff_side(row, caller)


_DEFAULTS = {
    "public": _public,
    "account": _account,
    "me": _me,
    "mine": _mine,
    "owner_or_staff": _owner_or_staff,
    "staff": _staff,
}


def _row(kind: str, route: str, method: str, ok: int = 200, **kwargs) -> Row:
    for name in kwargs.get("expect", {}):
        assert name in CALLERS, f"{route}: unknown caller {name!r} in expect"
    if "perms" in kwargs:
        kwargs["perms"] = tuple(kwargs["perms"])
    return Row(route=route, method=method.upper(), ok=ok, kind=kind, **kwargs)


def public(route, method, ok=200, **kwargs):
    return _row("public", route, method, ok, **kwargs)


def account(route, method, ok=200, **kwargs):
    return _row("account", route, method, ok, **kwargs)


def me(route, method, ok=200, **kwargs):
    return _row("me", route, method, ok, **kwargs)


def mine(route, method, ok=200, **kwargs):
    return _row("mine", route, method, ok, **kwargs)


def owner_or_staff(route, method, ok=200, **kwargs):
    return _row("owner_or_staff", route, method, ok, **kwargs)


def staff(route, method, ok=200, **kwargs):
    return _row("staff", route, method, ok, **kwargs)


def every_scope_but(scope: str | tuple[str, ...] | None) -> list[str]:
    """Every scope except the row's (all of them when the row accepts several)."""
    refused = (scope,) if isinstance(scope, str) else tuple(scope or ())
    return [s for s in APIKey.SCOPES if s not in refused]


def first_scope(scope: str | tuple[str, ...] | None) -> list[str]:
    if not scope:
        return []
    return [scope] if isinstance(scope, str) else [scope[0]]


# --- builders shared by rows ---------------------------------------------------------------


def _order(w: World) -> dict:
    return {"number": w.order.number}


def _order_secret(w: World) -> str:
    return w.order.number


def _image() -> dict:
    """A fresh multipart body with a small real PNG (an upload is read once)."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (16, 16), (120, 40, 160)).save(buffer, "PNG")
    return {"image": SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")}


def _code(w: World) -> dict:
    return {"code": w.discount_code.code}


def _line(w: World) -> dict:
    return {"line_id": w.cart_line.public_id}


def _return(w: World) -> dict:
    return {"number": w.delivered_order.number, "return_id": w.requested_return.public_id}


def _return_line(order) -> dict:
    item = order.items.order_by("id").first()
    return {"item_id": item.public_id, "quantity": 1, "resolution": "refund", "return_reason": "damaged"}


def _ready(w: World, body: dict) -> dict:
    """`body`, once both customers' carts are ready (lines, address, method) and hold points."""
    w.cart_line  # noqa: B018
    return body


def _cart_code(w: World) -> str:
    return _ready(w, {"code": w.discount_code.code})["code"]


def _points(w: World) -> int:
    return _ready(w, {"points": 100})["points"]


_unique = iter(range(10**9))


def _new_email(prefix: str) -> str:
    return f"{prefix}{next(_unique)}@matrix.example"


def _ingest_body(w: World) -> dict:
    return {
        "customer_id": w.owner.public_id,
        "items": [{"sku": w.product.sku, "quantity": 1}],
        "shipping_address": {
            "first_name": "Jane",
            "last_name": "Smith",
            "line1": "1 Main St",
            "city": "Springfield",
            "state": "IL",
            "postal_code": "62701",
            "country": "US",
        },
        "payment": {"method": "card", "status": "succeeded"},
    }


# --- the rows ------------------------------------------------------------------------------

ROWS: list[Row] = [
    # plumbing
    public("health", "GET"),
    public("schema", "GET"),
    public("docs", "GET"),
    # auth (customers)
    public(
        "auth-register",
        "POST",
        201,
        body=lambda w: {
            "email": _new_email("new"),
            "password": "Vetiver-Moss-2026",
            "confirm_password": "Vetiver-Moss-2026",
            "first_name": "Nora",
            "last_name": "New",
            "accepted_terms": True,
        },
    ),
    public("auth-token", "POST", body=lambda w: {"email": w.owner.email, "password": w.password}),
    public(
        "auth-token-refresh",
        "POST",
        body=lambda w: {"refresh": _refresh(w)},
    ),
    public("auth-forgot-password", "POST", 204, body=lambda w: {"email": w.owner.email}),
    public(
        "auth-reset-password",
        "POST",
        204,
        body=lambda w: {
            "token": _reset_token(w),
            "new_password": "Cedar-Smoke-2027",
            "confirm_password": "Cedar-Smoke-2027",
        },
    ),
    account("auth-logout", "POST", 204, body=lambda w: {"refresh": _refresh(w)}),
    account(
        "auth-change-password",
        "POST",
        204,
        # each caller sends its own current password: every factory user has the default one
        body=lambda w: {
            "current_password": w.password,
            "new_password": "Cedar-Smoke-2027",
            "confirm_password": "Cedar-Smoke-2027",
        },
    ),
    me(
        "auth-generate-otp",
        "POST",
        202,
        body=lambda w: {"otp_action": "update-email", "email": _new_email("otp")},
        expect={"key_noscope": 401, "key_scope": 401},
    ),
    me(
        "auth-verify-otp",
        "POST",
        # no code was sent: a customer reaches the check (400), which is as far as this row goes
        400,
        body=lambda w: {"otp_action": "update-email", "otp": "123456"},
        expect={"key_noscope": 401, "key_scope": 401},
    ),
    # the customer's profile (GDPR export and erasure, picture, notification preferences)
    me("customer-profile", "GET"),
    me(
        "customer-profile",
        "PATCH",
        body=lambda w: {"first_name": "Nora", "preferences": {"sms_marketing": True}},
    ),
    # each caller confirms with its own password: every factory user has the default one
    me("customer-profile", "DELETE", 204, body=lambda w: {"password": w.password}),
    me("customer-profile-export", "GET"),
    me("customer-profile-image", "GET"),
    me("customer-profile-image", "POST", 201, body=lambda w: _image(), format="multipart"),
    me("customer-profile-image", "PUT", body=lambda w: _image(), format="multipart"),
    me("customer-profile-image", "DELETE", 204),
    me("customer-notification-preferences", "GET"),
    me(
        "customer-notification-preferences",
        "PUT",
        body=lambda w: {"promotional": {"email": True}, "newsletter": {"whatsapp": False}},
    ),
    # bank accounts
    me("bank-accounts", "GET"),
    me("bank-accounts", "POST", 201, body=lambda w: {"holder_name": "J S", "iban": "GB82WEST12345698765432"}),
    mine(
        "bank-account-detail",
        "DELETE",
        204,
        path=lambda w: {"bank_account_id": w.bank_account.public_id},
    ),
    # catalog
    public("products", "GET"),
    public("product-detail", "GET", path=lambda w: {"product_id": w.product.public_id}),
    # orders: the customer's own
    me("customer-orders", "GET"),
    owner_or_staff(
        "order-detail",
        "GET",
        path=_order,
        scope="orders:read",
        perms=["orders.view_order"],
        secret=_order_secret,
    ),
    owner_or_staff(
        "order-shipments",
        "GET",
        path=_order,
        scope="orders:read",
        perms=["orders.view_order"],
        secret=_order_secret,
    ),
    owner_or_staff(
        "order-payments",
        "GET",
        path=_order,
        scope="orders:read",
        perms=["orders.view_order"],
        secret=_order_secret,
    ),
    owner_or_staff(
        "order-refunds",
        "GET",
        path=_order,
        scope="orders:read",
        perms=["orders.view_order"],
        secret=_order_secret,
    ),
    owner_or_staff(
        "order-payment-status",
        "GET",
        path=_order,
        scope="orders:read",
        perms=["orders.view_order"],
        secret=_order_secret,
    ),
    owner_or_staff(
        "order-cancel",
        "POST",
        path=_order,
        body=lambda w: {"cancellation_reason": "Changed my mind"},
        scope="orders:write",
        perms=["orders.change_order"],
        secret=_order_secret,
    ),
    mine(
        "order-retry-payment",
        "POST",
        path=lambda w: {"number": w.failed_order.number},
        body=lambda w: {},
        secret=lambda w: w.failed_order.number,
    ),
    # catalog: staff writes (staff with the model permission, or a `catalog:write` key)
    staff(
        "products",
        "POST",
        201,
        body=lambda w: {
            "name": "Fig Candle",
            "notes": ["lavender"],
            "variants": [{"sku": f"FIG-{next(_unique)}", "name": "200 g", "price": "24.00", "stock": 5}],
        },
        scope="catalog:write",
        perms=["orders.add_product"],
    ),
    staff(
        "product-detail",
        "PATCH",
        path=lambda w: {"product_id": w.product.public_id},
        body=lambda w: {"description": "Renamed by the matrix"},
        scope="catalog:write",
        perms=["orders.change_product"],
    ),
    staff(
        "variant-detail",
        "PATCH",
        path=lambda w: {"variant_id": w.variant.public_id},
        body=lambda w: {"price": "21.00", "stock_adjustment": {"quantity": 2, "reason": "recount"}},
        scope="catalog:write",
        perms=["orders.change_productvariant"],
    ),
    # `catalog:write` is the catalog's only scope: it reads the codes too (see config/api/permissions.py)
    staff("discount-codes", "GET", scope="catalog:write", perms=["orders.view_discountcode"]),
    staff(
        "discount-codes",
        "POST",
        201,
        body=lambda w: {
            "code": f"MATRIX{next(_unique)}",
            "kind": "fixed",
            "value": "5.00",
            "currency": "USD",
        },
        scope="catalog:write",
        perms=["orders.add_discountcode"],
    ),
    staff(
        "discount-code-detail", "GET", path=_code, scope="catalog:write", perms=["orders.view_discountcode"]
    ),
    staff(
        "discount-code-detail",
        "PATCH",
        path=_code,
        body=lambda w: {"description": "Autumn"},
        scope="catalog:write",
        perms=["orders.change_discountcode"],
    ),
    staff(
        "discount-code-detail",
        "DELETE",
        204,
        path=_code,
        scope="catalog:write",
        perms=["orders.delete_discountcode"],
    ),
    # reviews: approved ones are public; writing needs a delivered order of the product
    public("product-reviews", "GET", path=lambda w: {"product_id": w.product.public_id}),
    me(
        "product-reviews",
        "POST",
        201,
        path=lambda w: {"product_id": w.reviewable_product.public_id},
        body=lambda w: {"rating": 5, "title": "Lovely", "body": "Fills the room."},
        # the other customer never received the product: 403 (contract: "else 403")
        expect={"other": 403},
    ),
    me("customer-reviews", "GET"),
    mine(
        "review-detail",
        "PATCH",
        path=lambda w: {"review_id": w.review.public_id},
        body=lambda w: {"title": "Even better"},
        secret=lambda w: w.review.public_id,
    ),
    mine(
        "review-detail",
        "DELETE",
        204,
        path=lambda w: {"review_id": w.review.public_id},
        secret=lambda w: w.review.public_id,
    ),
    # orders: staff
    staff("orders", "GET", scope="orders:read", perms=["orders.view_order"]),
    staff(
        "orders",
        "POST",
        201,
        body=_ingest_body,
        scope="orders:write",
        perms=["orders.add_order"],
    ),
    staff(
        "orders-bulk",
        "POST",
        body=lambda w: {"items": [{**_ingest_body(w), "external_id": f"ext-{next(_unique)}"}]},
        scope="orders:write",
        perms=["orders.add_order"],
    ),
    staff(
        "shipments-bulk",
        "POST",
        body=lambda w: {
            "items": [{"order_number": w.order.number, "courier": "DHL", "tracking_number": "TRK-B"}]
        },
        scope="orders:write",
        perms=["orders.change_order"],
    ),
    staff(
        "staff-customer-orders",
        "GET",
        path=lambda w: {"customer_id": w.owner.public_id},
        scope=("orders:read", "customers:read"),
        perms=["orders.view_order"],
    ),
    staff(
        "order-shipments",
        "POST",
        201,
        path=_order,
        body=lambda w: {"courier": "DHL", "tracking_number": "TRK-2"},
        scope="orders:write",
        perms=["orders.change_order"],
    ),
    staff(
        "order-shipment-deliver",
        "POST",
        path=lambda w: {"number": w.shipped_order.number, "shipment_id": w.shipment.public_id},
        scope="orders:write",
        perms=["orders.change_order"],
    ),
    # returns: the customer's own, and the staff work queue
    me("customer-returns", "GET"),
    mine(
        "order-returns",
        "POST",
        201,
        path=lambda w: {"number": w.delivered_order.number},
        body=lambda w: {"return_items": [_return_line(w.delivered_order)]},
        secret=lambda w: w.delivered_order.number,
    ),
    owner_or_staff(
        "order-return-detail",
        "GET",
        path=_return,
        scope="orders:read",
        perms=["orders.view_return"],
        secret=lambda w: w.requested_return.public_id,
    ),
    mine(
        "order-return-cancel",
        "POST",
        path=_return,
        body=lambda w: {},
        secret=lambda w: w.requested_return.public_id,
    ),
    staff("returns", "GET", scope="orders:read", perms=["orders.view_return"]),
    staff(
        "return-approve",
        "POST",
        path=lambda w: {"return_id": w.requested_return.public_id},
        body=lambda w: {"note": "Send it back"},
        scope="orders:write",
        perms=["orders.approve_return"],
    ),
    staff(
        "return-reject",
        "POST",
        path=lambda w: {"return_id": w.requested_return.public_id},
        body=lambda w: {"note": "Outside the policy"},
        scope="orders:write",
        perms=["orders.approve_return"],
    ),
    staff(
        "return-receive",
        "POST",
        path=lambda w: {"return_id": w.approved_return.public_id},
        body=lambda w: {},
        scope="orders:write",
        perms=["orders.approve_return"],
    ),
    # loyalty
    me("loyalty-summary", "GET"),
    me("loyalty-activity", "GET"),
    me("loyalty-reward-redeem", "POST", 201, path=lambda w: {"reward_id": w.reward.public_id}),
    staff(
        "loyalty-adjust",
        "POST",
        201,
        path=lambda w: {"id": w.owner.public_id},
        body=lambda w: {"points": 10, "reason": "matrix"},
        scope="loyalty:write",
        perms=["loyalty.adjust_loyaltyaccount"],
    ),
    # cart and checkout: the caller's own cart; a line or an applied code of the owner's cart is
    # another customer's object (404)
    me("cart", "GET"),
    me(
        "cart-items",
        "POST",
        201,
        body=lambda w: {"variant_id": w.variant.public_id, "quantity": 1},
    ),
    mine(
        "cart-item",
        "PATCH",
        path=_line,
        body=lambda w: {"quantity": 2},
        secret=lambda w: w.cart_line.public_id,
    ),
    mine("cart-item", "DELETE", 204, path=_line, secret=lambda w: w.cart_line.public_id),
    me("cart-discounts", "POST", body=lambda w: {"code": _cart_code(w)}),
    mine(
        "cart-discount",
        "DELETE",
        204,
        path=lambda w: {"code": w.applied_code.code},
        secret=lambda w: w.cart_line.public_id,
    ),
    me("cart-points", "PUT", body=lambda w: {"points": _points(w)}),
    me("cart-addresses", "PUT", body=lambda w: {"shipping_address": dict(ADDRESS)}),
    me("cart-shipping-methods", "GET"),
    me("cart-shipping-method", "PUT", body=lambda w: {"code": "express"}),
    me(
        "checkout",
        "POST",
        201,
        body=lambda w: _ready(w, {"payment": {"method": "card"}, "payment_token": "tok_visa"}),
    ),
]


ADDRESS = {
    "first_name": "Jane",
    "last_name": "Smith",
    "line1": "1 Main St",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
    "country": "US",
}
_address_perms = {
    "GET": ["customers.view_address"],
    "POST": ["customers.add_address"],
    "PUT": ["customers.change_address"],
    "PATCH": ["customers.change_address"],
    "DELETE": ["customers.delete_address"],
}


def _address_rows() -> list[Row]:
    own = lambda w: {"id": w.address.public_id}  # noqa: E731
    secret = lambda w: w.address.line1  # noqa: E731
    staff_path = lambda w: {"id": w.owner.public_id, "address_id": w.address.public_id}  # noqa: E731
    return [
        me("address-list", "GET"),
        me("address-list", "POST", 201, body=lambda w: dict(ADDRESS)),
        mine("address-detail", "GET", path=own, secret=secret),
        mine("address-detail", "PUT", path=own, body=lambda w: {**ADDRESS, "city": "Chicago"}, secret=secret),
        mine("address-detail", "PATCH", path=own, body=lambda w: {"city": "Chicago"}, secret=secret),
        mine("address-detail", "DELETE", 204, path=own, secret=secret),
        *[
            staff(
                name,
                method,
                ok,
                path=path,
                body=body,
                scope=f"customers:{'read' if method == 'GET' else 'write'}",
                perms=_address_perms[method],
            )
            for name, method, ok, path, body in [
                ("staff-address-list", "GET", 200, lambda w: {"id": w.owner.public_id}, None),
                (
                    "staff-address-list",
                    "POST",
                    201,
                    lambda w: {"id": w.owner.public_id},
                    lambda w: dict(ADDRESS),
                ),
                ("staff-address-detail", "GET", 200, staff_path, None),
                ("staff-address-detail", "PUT", 200, staff_path, lambda w: {**ADDRESS, "city": "Chicago"}),
                ("staff-address-detail", "PATCH", 200, staff_path, lambda w: {"city": "Chicago"}),
                ("staff-address-detail", "DELETE", 204, staff_path, None),
            ]
        ],
    ]


def _scent_rows() -> list[Row]:
    own = lambda w: {"id": w.blend.public_id}  # noqa: E731
    components = [{"note": "lavender", "percentage": 60}, {"note": "vanilla", "percentage": 40}]
    return [
        public("scent-notes", "GET"),
        me("scent-profile", "GET"),
        me("scent-profile", "PATCH", body=lambda w: {"name": "Mine", "preferences": {"intensity": "light"}}),
        me("scent-recommendations", "GET"),
        me("blends", "GET"),
        me(
            "blends",
            "POST",
            201,
            body=lambda w: {"name": "Calm", "intensity": "light", "base": "candle", "components": components},
        ),
        mine("blend-detail", "GET", path=own, secret=lambda w: w.blend.name),
        mine(
            "blend-detail",
            "PATCH",
            path=own,
            body=lambda w: {"name": "Renamed"},
            secret=lambda w: w.blend.name,
        ),
        mine("blend-detail", "DELETE", 204, path=own, secret=lambda w: w.blend.name),
    ]


def _business_rows() -> list[Row]:
    # Staff users need the model permission of the method; keys the customers scopes.
    read, write = "customers:read", "customers:write"
    cust = lambda w: {"customer_id": w.business.public_id}  # noqa: E731
    contact = lambda w: {"customer_id": w.business.public_id, "contact_id": w.contact.public_id}  # noqa: E731
    check = lambda w: {"credit_check_id": w.credit_check.public_id}  # noqa: E731
    approve = ["customers.approve_credit"]
    view, add, change = ["customers.view_customer"], ["customers.add_customer"], ["customers.change_customer"]
    view_contact, add_contact = ["customers.view_contact"], ["customers.add_contact"]
    change_contact, delete_contact = ["customers.change_contact"], ["customers.delete_contact"]
    return [
        staff("staff-customers", "GET", scope=read, perms=view),
        staff(
            "staff-customers",
            "POST",
            201,
            body=lambda w: {"kind": "business", "name": "Acme Candles", "email": _new_email("acme")},
            scope=write,
            perms=add,
        ),
        staff(
            "staff-customers-bulk",
            "POST",
            body=lambda w: {"items": [{"kind": "business", "name": "Bulk Co", "email": _new_email("bulk")}]},
            scope=write,
            perms=[*add, *change],
        ),
        staff("staff-customer-detail", "GET", path=cust, scope=read, perms=view),
        staff(
            "staff-customer-detail",
            "PUT",
            path=cust,
            body=lambda w: {"name": "Acme Renamed", "email": w.business.email},
            scope=write,
            perms=change,
        ),
        staff(
            "staff-customer-detail",
            "PATCH",
            path=cust,
            body=lambda w: {"notes": "VIP"},
            scope=write,
            perms=change,
        ),
        staff("staff-customer-analytics", "GET", path=cust, scope=read, perms=view),
        staff("staff-contacts", "GET", path=cust, scope=read, perms=view_contact),
        staff(
            "staff-contacts",
            "POST",
            201,
            path=cust,
            body=lambda w: {"name": "Sam Second"},
            scope=write,
            perms=add_contact,
        ),
        staff("staff-contact-detail", "GET", path=contact, scope=read, perms=view_contact),
        staff(
            "staff-contact-detail",
            "PUT",
            path=contact,
            body=lambda w: {"name": "Pat Renamed"},
            scope=write,
            perms=change_contact,
        ),
        staff(
            "staff-contact-detail",
            "PATCH",
            path=contact,
            body=lambda w: {"title": "Buyer"},
            scope=write,
            perms=change_contact,
        ),
        staff("staff-contact-detail", "DELETE", 204, path=contact, scope=write, perms=delete_contact),
        staff(
            "staff-customer-credit-check",
            "POST",
            201,
            path=cust,
            scope=write,
            perms=["customers.add_creditcheck"],
        ),
        # Credit decisions: staff with the approval permission only; no API key, whatever its scopes.
        staff("credit-check-approve", "POST", path=check, body=lambda w: {}, perms=approve, keys=False),
        staff(
            "credit-check-reject",
            "POST",
            path=check,
            body=lambda w: {"note": "Too risky"},
            perms=approve,
            keys=False,
        ),
    ]


def _webhook_rows() -> list[Row]:
    # One scope for every method of the webhook routes (the contract names only `webhooks:write`).
    scope = "webhooks:write"
    hook = lambda w: {"webhook_id": w.webhook.public_id}  # noqa: E731
    delivery = lambda w: {"webhook_id": w.webhook.public_id, "delivery_id": w.delivery.public_id}  # noqa: E731
    view, change = ["integrations.view_webhookendpoint"], ["integrations.change_webhookendpoint"]
    return [
        staff("webhooks", "GET", scope=scope, perms=view),
        staff(
            "webhooks",
            "POST",
            201,
            body=lambda w: {"url": "https://hooks.example.com/new", "events": ["order.paid"]},
            scope=scope,
            perms=["integrations.add_webhookendpoint"],
        ),
        staff("webhook-detail", "GET", path=hook, scope=scope, perms=view),
        staff(
            "webhook-detail",
            "PATCH",
            path=hook,
            body=lambda w: {"events": ["order.paid", "order.shipped"]},
            scope=scope,
            perms=change,
        ),
        staff(
            "webhook-detail",
            "DELETE",
            204,
            path=hook,
            scope=scope,
            perms=["integrations.delete_webhookendpoint"],
        ),
        staff("webhook-rotate-secret", "POST", path=hook, scope=scope, perms=change),
        staff("webhook-deliveries", "GET", path=hook, scope=scope, perms=["integrations.view_delivery"]),
        staff(
            "webhook-delivery-redeliver",
            "POST",
            202,
            path=delivery,
            scope=scope,
            perms=["integrations.change_delivery"],
        ),
    ]


ROWS += _address_rows() + _scent_rows() + _business_rows() + _webhook_rows()


def _refresh(w: World) -> str:
    from rest_framework_simplejwt.tokens import RefreshToken

    # the caller's own refresh token is set on the world by the test (or the owner's)
    user = getattr(w, "caller_user", None) or w.owner.user
    return str(RefreshToken.for_user(user))


def _reset_token(w: World) -> str:
    from customers.services.auth import password_reset_token_make

    return password_reset_token_make(user=w.owner.user)
