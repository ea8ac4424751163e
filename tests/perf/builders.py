"""Rows for the query-count tests: one builder per API list route and per admin changelist.

An API builder `build(ctx, n)` adds `n` items to one list and answers `(client, url, exact)`:
`exact` says the list then holds exactly the items built (False where the list also shows fixed
rows, e.g. the note catalog). An admin builder `build(ctx, n)` adds `n` rows of its model.
Builders keep what they share (the customer, the product) on `ctx`, so the second call grows the
same list. Rows are made through the services where that is cheap enough, else with the ORM.
"""

from __future__ import annotations

import itertools

from django.contrib.auth.models import Group
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from customers.models import APIKey, BankAccount
from customers.services.business import contact_create, credit_check_run
from loyalty.models import Referral, Tier
from loyalty.services import loyalty_accounts_ensure, loyalty_balance_adjust, loyalty_reward_redeem
from reviews.models import Review, ReviewStatus
from reviews.services import review_approve
from scents.models import Note, ProductNote
from scents.services import scent_profile_update
from tests.business.factories import business_customer
from tests.checkout.factories import DiscountCodeFactory, VariantFactory, ready_cart
from tests.customers.factories import AddressFactory
from tests.factories import CustomerFactory, StaffUserFactory, UserFactory
from tests.loyalty.factories import RewardFactory
from tests.orders.factories import ProductFactory, make_order
from tests.returns.factories import delivered_order, request_return
from tests.scents.factories import make_blend, make_product

_serial = itertools.count(1)


class Context:
    """What one test's builders share: lazily made customers, clients and products."""

    def __init__(self):
        self._cache = {}

    def once(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    @property
    def customer(self):
        return self.once("customer", CustomerFactory)

    @property
    def customer_client(self):
        return self.once("customer_client", lambda: bearer(self.customer.user))

    @property
    def staff_client(self):
        return self.once("staff_client", lambda: bearer(StaffUserFactory(is_superuser=True)))

    @property
    def products(self):
        return self.once("products", lambda: [ProductFactory(), ProductFactory()])


def bearer(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


def _orders(customer, products, n):
    for _ in range(n):
        make_order(customer, products=products)


def _review_row(customer, product, item=None):
    """A pending review proved by `item` (by default a new order of the product), without the
    delivery the service would ask for (fast)."""
    item = item or make_order(customer, products=[product]).items.get()
    return Review.objects.create(
        customer=customer, product=product, order_item=item, rating=4, title="Lovely", body="Nice."
    )


def _approved_review(customer, product, staff, item=None):
    return review_approve(review=_review_row(customer, product, item), by=staff)


def _iban(n: int) -> str:
    """A valid German IBAN for bank code 37040044 and account `n`."""
    bban = f"37040044{n:010d}"
    digits = "".join(str(int(c, 36)) for c in bban + "DE00")
    return f"DE{98 - int(digits) % 97:02d}{bban}"


# --- API lists ---------------------------------------------------------------------------------


def loyalty_activity(ctx, n):
    for _ in range(n):
        loyalty_balance_adjust(customer=ctx.customer, points=10, reason="Test grant")
    return ctx.customer_client, "/api/customers/loyalty/activity?limit=100", True


def product_reviews(ctx, n):
    product = ctx.products[0]
    staff = ctx.once("staff", StaffUserFactory)
    item = ctx.once("item", lambda: make_order(ctx.customer, products=[product]).items.get())
    for _ in range(n):
        _approved_review(CustomerFactory(), product, staff, item)
    return APIClient(), f"/api/products/{product.public_id}/reviews?limit=100", True


def products(ctx, n):
    """Products with a variant, notes and a rating (each registered field has something to read)."""
    staff = ctx.once("staff", StaffUserFactory)
    for _ in range(n):
        product = ProductFactory()
        ProductNote.objects.create(product=product, note=Note.objects.get(slug="lavender"))
        _approved_review(CustomerFactory(), product, staff)
    return APIClient(), "/api/products?limit=100", True


def discount_codes(ctx, n):
    for _ in range(n):
        DiscountCodeFactory()
    return ctx.staff_client, "/api/discount-codes?limit=100", True


def cart_shipping_methods(ctx, n):
    ctx.once("cart", lambda: ready_cart(ctx.customer, [(VariantFactory(), 1)]))
    return ctx.customer_client, "/api/customers/cart/shipping-methods", False


def customer_orders(ctx, n):
    _orders(ctx.customer, ctx.products, n)
    return ctx.customer_client, "/api/customers/orders?limit=100", True


def staff_customer_orders(ctx, n):
    _orders(ctx.customer, ctx.products, n)
    return ctx.staff_client, f"/api/customers/{ctx.customer.public_id}/orders?limit=100", True


def orders(ctx, n):
    for _ in range(n):
        make_order(CustomerFactory(), products=ctx.products)
    return ctx.staff_client, "/api/orders?limit=100", True


def _returns(ctx, n):
    for _ in range(n):
        request_return(delivered_order(ctx.customer))


def customer_returns(ctx, n):
    _returns(ctx, n)
    return ctx.customer_client, "/api/customers/returns?limit=100", True


def returns(ctx, n):
    _returns(ctx, n)
    return ctx.staff_client, "/api/returns?limit=100", True


def scent_notes(ctx, n):
    for _ in range(n):
        Note.objects.create(
            slug=f"perf-note-{next(_serial)}", name=f"Perf note {next(_serial)}", family="woody"
        )
    return APIClient(), "/api/scents/notes?limit=200", False


def scent_recommendations(ctx, n):
    ctx.once("profile", lambda: scent_profile_update(customer=ctx.customer, favorite_notes=["lavender"]))
    for _ in range(n):
        make_product(notes=["lavender", "vanilla"])
    return ctx.customer_client, "/api/customers/scent-profile/recommendations?limit=100", True


def blends(ctx, n):
    for _ in range(n):
        make_blend(ctx.customer, name=f"Blend {next(_serial)}")
    return ctx.customer_client, "/api/customers/blends?limit=100", True


def staff_customers(ctx, n):
    client = ctx.staff_client  # the staff user first: it is not a customer
    for _ in range(n):
        CustomerFactory()
    return client, "/api/customers?limit=100", True


def staff_contacts(ctx, n):
    company = ctx.once("business", business_customer)
    for _ in range(n):
        contact_create(customer=company, name=f"Contact {next(_serial)}", email="a@b.example")
    return ctx.staff_client, f"/api/customers/{company.public_id}/contacts?limit=100", True


def bank_accounts(ctx, n):
    for _ in range(n):
        BankAccount.objects.create(customer=ctx.customer, holder_name="Jane", iban=_iban(next(_serial)))
    return ctx.customer_client, "/api/customers/bank-accounts?limit=100", True


def address_list(ctx, n):
    AddressFactory.create_batch(n, customer=ctx.customer)
    return ctx.customer_client, "/api/customers/addresses?limit=100", True


def staff_address_list(ctx, n):
    AddressFactory.create_batch(n, customer=ctx.customer)
    return ctx.staff_client, f"/api/customers/{ctx.customer.public_id}/addresses?limit=100", True


def _webhook(url=None, events=("order.created",)):
    from integrations.services import webhook_endpoint_create

    endpoint, _ = webhook_endpoint_create(
        url=url or f"https://hooks{next(_serial)}.example.com/in", events=list(events)
    )
    return endpoint


def _event(event_type="order.created"):
    from django.db import transaction

    from integrations.services import record_event

    with transaction.atomic():
        return record_event(event_type, {"id": f"order_{next(_serial)}"})


def webhooks(ctx, n):
    for _ in range(n):
        _webhook()
    return ctx.staff_client, "/api/webhooks?limit=100", True


def webhook_deliveries(ctx, n):
    endpoint = ctx.once("webhook", _webhook)
    for _ in range(n):
        _event()
    return ctx.staff_client, f"/api/webhooks/{endpoint.public_id}/deliveries?limit=100", True


API_LISTS = {
    "webhooks": webhooks,
    "webhook-deliveries": webhook_deliveries,
    "loyalty-activity": loyalty_activity,
    "product-reviews": product_reviews,
    "products": products,
    "discount-codes": discount_codes,
    "cart-shipping-methods": cart_shipping_methods,
    "customer-orders": customer_orders,
    "staff-customer-orders": staff_customer_orders,
    "orders": orders,
    "customer-returns": customer_returns,
    "returns": returns,
    "scent-notes": scent_notes,
    "scent-recommendations": scent_recommendations,
    "blends": blends,
    "staff-customers": staff_customers,
    "staff-contacts": staff_contacts,
    "bank-accounts": bank_accounts,
    "address-list": address_list,
    "staff-address-list": staff_address_list,
}


# --- admin changelists -------------------------------------------------------------------------


def _many(make):
    def build(ctx, n):
        for _ in range(n):
            make(ctx)

    return build


def _axes(model_name):
    def make(ctx):
        from axes import models as axes_models

        model = getattr(axes_models, model_name)
        fields = {f.name for f in model._meta.get_fields()}
        values = {
            "username": f"u{next(_serial)}",
            "ip_address": "10.0.0.1",
            "user_agent": "pytest",
            "path_info": "/admin/login/",
            "http_accept": "*/*",
        }
        if "get_data" in fields:
            values.update(get_data="", post_data="", failures_since_start=1)
        if "locked_out" in fields:
            values["locked_out"] = False
        model.objects.create(**values)

    return make


def _blacklisted(ctx):
    RefreshToken.for_user(UserFactory()).blacklist()


def _redemption(ctx):
    customer = CustomerFactory()
    loyalty_balance_adjust(customer=customer, points=100, reason="Test grant")
    loyalty_reward_redeem(customer=customer, reward=ctx.once("reward", RewardFactory))


def _referral(ctx):
    n = next(_serial)
    Referral.objects.create(
        referrer=ctx.customer, referee=CustomerFactory(), referee_mailbox_hash=f"{n:064d}", reward_points=100
    )


def _review(ctx):
    staff = ctx.once("staff", StaffUserFactory)
    review = _review_row(CustomerFactory(), ProductFactory())
    if next(_serial) % 2:
        review_approve(review=review, by=staff)
    assert review.status in ReviewStatus.values


def _rating(ctx):
    _approved_review(CustomerFactory(), ProductFactory(), ctx.once("staff", StaffUserFactory))


def _tier(ctx):
    n = next(_serial)
    Tier.objects.create(name=f"Perf tier {n}", threshold=1_000_000 + n)


ADMIN_ROWS = {
    "auth.group": _many(lambda ctx: Group.objects.create(name=f"Group {next(_serial)}")),
    "token_blacklist.outstandingtoken": _many(lambda ctx: RefreshToken.for_user(UserFactory())),
    "token_blacklist.blacklistedtoken": _many(_blacklisted),
    "axes.accessattempt": _many(_axes("AccessAttempt")),
    "axes.accesslog": _many(_axes("AccessLog")),
    "axes.accessfailurelog": _many(_axes("AccessFailureLog")),
    "customers.creditcheck": _many(lambda ctx: credit_check_run(customer=business_customer(), by=None)),
    "customers.user": _many(lambda ctx: UserFactory()),
    "customers.customer": _many(lambda ctx: CustomerFactory()),
    "customers.apikey": _many(lambda ctx: APIKey.objects.create_key(name=f"k{next(_serial)}", scopes=[])),
    "loyalty.ledgerentry": _many(
        lambda ctx: loyalty_balance_adjust(customer=CustomerFactory(), points=5, reason="Grant")
    ),
    "loyalty.loyaltyaccount": _many(lambda ctx: loyalty_accounts_ensure(customers=[CustomerFactory()])),
    "loyalty.tier": _many(_tier),
    "loyalty.reward": _many(lambda ctx: RewardFactory()),
    "loyalty.redemption": _many(_redemption),
    "loyalty.referral": _many(_referral),
    "orders.order": _many(lambda ctx: make_order(CustomerFactory(), products=ctx.products)),
    "orders.product": _many(lambda ctx: VariantFactory()),
    "orders.productvariant": _many(lambda ctx: VariantFactory()),
    "orders.discountcode": _many(lambda ctx: DiscountCodeFactory()),
    "orders.return": _many(lambda ctx: request_return(delivered_order(CustomerFactory()))),
    "scents.note": _many(
        lambda ctx: Note.objects.create(
            slug=f"pn-{next(_serial)}", name=f"PN {next(_serial)}", family="woody"
        )
    ),
    "scents.productnotes": _many(lambda ctx: make_product(notes=["lavender", "vanilla"])),
    "scents.scentprofile": _many(
        lambda ctx: scent_profile_update(customer=CustomerFactory(), favorite_notes=["rose"])
    ),
    "scents.blend": _many(lambda ctx: make_blend(CustomerFactory())),
    "reviews.review": _many(_review),
    "reviews.productrating": _many(_rating),
    "integrations.webhookendpoint": _many(lambda ctx: _webhook()),
    "integrations.event": _many(lambda ctx: _event()),
    "integrations.delivery": _many(lambda ctx: (ctx.once("webhook", _webhook), _event())),
}
