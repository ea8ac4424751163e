"""Every contract event is recorded by the service that causes it, in that change's transaction.

Each action goes through its real route (or, where staff act only in the admin, its service) and
must leave exactly one event of its type whose `data` is the resource as its route answers it.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from customers.models import CreditCheck
from customers.services.business import CreditAssessment, credit_check_run
from integrations import events
from integrations.models import Event
from orders.account_payments import order_account_payment_record
from orders.models import Order
from orders.services import order_create
from reviews.services import review_approve, review_create
from tests.checkout.factories import VariantFactory, ready_cart
from tests.conftest import bearer_client
from tests.factories import BusinessCustomerFactory, CustomerFactory, StaffUserFactory
from tests.orders.factories import ADDRESS, ProductFactory, make_delivered_order, make_order
from tests.returns.factories import delivered_order, line, request_return

pytestmark = pytest.mark.django_db

REGISTER = {
    "email": "ada.events@example.com",
    "password": "Sandalwood-Ember-42",
    "confirm_password": "Sandalwood-Ember-42",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "accepted_terms": True,
}


def only(event_type: str) -> Event:
    """The one event of `event_type` (fails when there are none or several)."""
    found = list(Event.objects.filter(type=event_type))
    assert len(found) == 1, f"{len(found)} {event_type} events"
    return found[0]


def types() -> list[str]:
    return list(Event.objects.order_by("pk").values_list("type", flat=True))


class FixedCreditProvider:
    """A credit provider that recommends `LIMIT` (set per test)."""

    name = "fixed"
    LIMIT = Decimal("5000.00")

    def assess(self, *, customer):
        return CreditAssessment(
            credit_score=700,
            credit_rating="fair",
            risk_assessment="medium",
            recommended_credit_limit=self.LIMIT,
        )


@pytest.fixture
def fixed_credit(settings):
    settings.CREDIT_CHECK_PROVIDER = "tests.integrations.test_events.FixedCreditProvider"
    FixedCreditProvider.LIMIT = Decimal("5000.00")
    return FixedCreditProvider


@pytest.fixture
def finance_client(db):
    user = StaffUserFactory()
    user.user_permissions.add(Permission.objects.get(codename="approve_credit"))
    return bearer_client(user)


# --- customers -------------------------------------------------------------------------------


def test_registration_records_customer_created_with_the_staff_record(api_client):
    response = api_client.post("/api/auth/register", REGISTER, format="json")

    assert response.status_code == 201
    data = only(events.CUSTOMER_CREATED).data
    assert data["id"] == response.json()["id"]
    assert (data["email"], data["first_name"], data["kind"]) == (
        "ada.events@example.com",
        "Ada",
        "individual",
    )
    assert {"credit_limit", "lifetime_value", "total_orders", "contacts"} <= set(data)


def test_staff_create_of_a_business_records_customer_created_matching_the_route(staff_client):
    response = staff_client.post(
        "/api/customers",
        {
            "kind": "business",
            "name": "Events Ltd",
            "email": "buyer@events.example",
            "contacts": [{"name": "Bo"}],
        },
        format="json",
    )

    assert response.status_code == 201
    assert only(events.CUSTOMER_CREATED).data == response.json()


def test_staff_update_records_customer_updated_only_when_something_changed(staff_client):
    customer = BusinessCustomerFactory()
    url = f"/api/customers/{customer.public_id}"

    response = staff_client.patch(url, {"notes": "Prefers morning delivery"}, format="json")
    unchanged = staff_client.patch(url, {"notes": "Prefers morning delivery"}, format="json")

    assert response.status_code == unchanged.status_code == 200
    data = only(events.CUSTOMER_UPDATED).data
    assert (data["id"], data["notes"]) == (customer.public_id, "Prefers morning delivery")


def test_profile_patch_records_customer_updated_for_a_name_but_not_for_preferences(customer, customer_client):
    customer_client.patch("/api/customers/profile", {"preferences": {"email_marketing": True}}, format="json")
    assert not Event.objects.exists()

    response = customer_client.patch("/api/customers/profile", {"first_name": "Grace"}, format="json")

    assert response.status_code == 200
    data = only(events.CUSTOMER_UPDATED).data
    assert (data["id"], data["first_name"]) == (customer.public_id, "Grace")


def test_a_verified_email_change_records_customer_updated(
    customer, customer_client, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tests.customers.auth_support import otp_code_from

    with django_capture_on_commit_callbacks(execute=True):
        customer_client.post(
            "/api/auth/generate-otp",
            {"otp_action": "update-email", "email": "new.events@example.com"},
            format="json",
        )

    response = customer_client.post(
        "/api/auth/verify-otp",
        {"otp_action": "update-email", "otp": otp_code_from(mail.outbox[0].body)},
        format="json",
    )

    assert response.status_code == 200
    assert only(events.CUSTOMER_UPDATED).data["email"] == "new.events@example.com"


def test_a_customer_changed_in_the_admin_records_customer_updated(client, staff_user):
    from django.urls import reverse

    from tests.customers.test_admin import customer_change_data

    client.force_login(staff_user)
    customer = CustomerFactory(first_name="Iris")

    response = client.post(
        reverse("admin:customers_customer_change", args=[customer.pk]),
        customer_change_data(customer, first_name="Irene"),
    )

    assert response.status_code == 302
    data = only(events.CUSTOMER_UPDATED).data
    assert (data["id"], data["first_name"]) == (customer.public_id, "Irene")


def test_default_address_changes_record_customer_updated_and_other_addresses_do_not(
    customer, customer_client
):
    url = "/api/customers/addresses"
    home = {
        "line1": "1 Main St",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62701",
        "country": "US",
    }
    first = customer_client.post(url, home, format="json").json()  # the first one becomes the default
    assert only(events.CUSTOMER_UPDATED).data["billing_address"]["id"] == first["id"]
    Event.objects.all().delete()

    second = customer_client.post(url, {**home, "line1": "2 Side St"}, format="json").json()
    customer_client.patch(f"{url}/{second['id']}", {"line2": "Flat 3"}, format="json")
    assert not Event.objects.exists()

    customer_client.patch(f"{url}/{second['id']}", {"is_default_shipping": True}, format="json")
    data = only(events.CUSTOMER_UPDATED).data
    assert (data["billing_address"]["id"], data["shipping_address"]["id"]) == (first["id"], second["id"])


def test_contact_changes_record_customer_updated(staff_client):
    business = BusinessCustomerFactory()

    response = staff_client.post(
        f"/api/customers/{business.public_id}/contacts", {"name": "Bo"}, format="json"
    )

    assert response.status_code == 201
    assert only(events.CUSTOMER_UPDATED).data["contacts"][0]["id"] == response.json()["id"]


def test_erasure_records_customer_erased_with_the_id_only(customer, customer_client):
    from tests.factories import DEFAULT_PASSWORD

    response = customer_client.delete("/api/customers/profile", {"password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 204
    assert only(events.CUSTOMER_ERASED).data == {"id": customer.public_id}


# --- orders ----------------------------------------------------------------------------------


def test_ingest_of_a_paid_order_records_created_then_paid_with_the_order_detail(staff_client, customer):
    product = ProductFactory()
    response = staff_client.post(
        "/api/orders",
        {
            "customer_id": customer.public_id,
            "items": [{"sku": product.sku, "quantity": 2}],
            "shipping_address": ADDRESS,
            "payment": {"method": "card", "status": "paid"},
        },
        format="json",
    )

    assert response.status_code == 201
    assert types() == [events.ORDER_CREATED, events.ORDER_PAID]
    created = only(events.ORDER_CREATED).data
    assert created == {**response.json(), "customer_id": customer.public_id}
    assert created["items"][0]["product_id"] == product.public_id


def test_ingest_of_an_unpaid_order_records_only_created(customer):
    make_order(customer, payment="pending")

    assert types() == [events.ORDER_CREATED]
    assert only(events.ORDER_CREATED).data["status"] == "pending_payment"


def test_an_ingest_refused_with_409_after_the_order_row_was_written_leaves_no_event(staff_client, customer):
    # the order row and its items are written before the stock is taken; the short variant is 409
    variant = VariantFactory(stock=1)
    response = staff_client.post(
        "/api/orders",
        {
            "customer_id": customer.public_id,
            "items": [{"sku": variant.sku, "quantity": 2}],
            "shipping_address": ADDRESS,
        },
        format="json",
    )

    assert response.status_code == 409
    assert not Order.objects.exists()
    assert not Event.objects.exists()


def test_checkout_records_created_then_paid(customer, customer_client):
    variant = VariantFactory(stock=5)
    ready_cart(customer, [(variant, 1)])

    response = customer_client.post(
        "/api/customers/checkout", {"payment": {"method": "card"}, "payment_token": "tok_visa"}, format="json"
    )

    assert response.status_code == 201
    assert types() == [events.ORDER_CREATED, events.ORDER_PAID]
    assert only(events.ORDER_CREATED).data["status"] == "pending_payment"
    assert only(events.ORDER_PAID).data["status"] == "paid"
    assert only(events.ORDER_PAID).data["id"] == response.json()["id"]


def test_a_stale_checkout_answered_409_records_no_order_event(customer, customer_client):
    variant = VariantFactory(stock=5, price=Decimal("20.00"))
    ready_cart(customer, [(variant, 1)])
    variant.price = Decimal("25.00")
    variant.save()

    response = customer_client.post(
        "/api/customers/checkout", {"payment": {"method": "card"}, "payment_token": "tok_visa"}, format="json"
    )

    assert response.status_code == 409
    assert not Event.objects.exists()


def test_a_declined_payment_records_no_paid_event_and_the_retry_does(customer, customer_client):
    variant = VariantFactory(stock=5)
    ready_cart(customer, [(variant, 1)])
    number = customer_client.post(
        "/api/customers/checkout",
        {"payment": {"method": "card"}, "payment_token": "tok_decline"},
        format="json",
    ).json()["number"]
    assert types() == [events.ORDER_CREATED]

    response = customer_client.post(
        f"/api/orders/{number}/retry-payment", {"payment_token": "tok_visa"}, format="json"
    )

    assert response.status_code == 200
    paid = only(events.ORDER_PAID).data
    assert (paid["number"], paid["payment_status"]) == (number, "paid")


def test_settling_an_on_account_order_records_order_paid_once_fully_paid():
    business = BusinessCustomerFactory(credit_limit=Decimal("1000.00"))
    order = make_order(business, on_account=True)
    assert types() == [events.ORDER_CREATED]

    order_account_payment_record(order=order, amount=Decimal("5.00"))
    assert not Event.objects.filter(type=events.ORDER_PAID).exists()
    order_account_payment_record(order=order, amount=order.credit_used)

    assert only(events.ORDER_PAID).data["payment_status"] == "paid"


def test_cancellation_records_refund_created_and_order_cancelled(customer, customer_client):
    order = make_order(customer)
    Event.objects.all().delete()

    response = customer_client.post(
        f"/api/orders/{order.number}/cancel", {"cancellation_reason": "Changed my mind"}, format="json"
    )

    assert response.status_code == 200
    assert types() == [events.REFUND_CREATED, events.ORDER_CANCELLED]
    cancelled = only(events.ORDER_CANCELLED).data
    assert cancelled == {**response.json(), "customer_id": customer.public_id}
    refund = only(events.REFUND_CREATED).data
    assert refund["id"].startswith("refund_") and refund["amount"] == str(order.total)
    assert (refund["order_number"], refund["customer_id"]) == (order.number, customer.public_id)
    refunds = customer_client.get(f"/api/orders/{order.number}/refunds").json()["refunds"]
    assert refunds == [{k: v for k, v in refund.items() if k not in ("order_number", "customer_id")}]


def test_a_refused_cancellation_leaves_no_event(customer, customer_client):
    order = make_delivered_order(customer)
    Event.objects.all().delete()

    response = customer_client.post(
        f"/api/orders/{order.number}/cancel", {"cancellation_reason": "Late"}, format="json"
    )

    assert response.status_code == 409
    assert not Event.objects.exists()


def test_a_cancellation_whose_refund_fails_rolls_back_its_events(customer, monkeypatch):
    from config.errors import Conflict
    from orders.payments import DevelopmentProvider, ProviderResult
    from orders.services import order_cancel

    order = make_order(customer)
    Event.objects.all().delete()
    monkeypatch.setattr(
        DevelopmentProvider, "refund", lambda self, **kw: ProviderResult(status="failed", failure_reason="No")
    )

    with pytest.raises(Conflict):
        order_cancel(order=order, reason="Changed my mind")

    assert not Event.objects.exists()


def test_shipping_and_delivery_record_shipped_then_delivered_and_points_earned(staff_client, customer):
    order = make_order(customer)
    Event.objects.all().delete()

    shipped = staff_client.post(
        f"/api/orders/{order.number}/shipments", {"courier": "DHL", "tracking_number": "T1"}, format="json"
    )
    delivered = staff_client.post(f"/api/orders/{order.number}/shipments/{shipped.json()['id']}/deliver")

    assert shipped.status_code == 201 and delivered.status_code == 200
    assert types() == [events.ORDER_SHIPPED, events.ORDER_DELIVERED, events.LOYALTY_POINTS_EARNED]
    assert only(events.ORDER_SHIPPED).data["shipping_status"] == "shipped"
    detail = staff_client.get(f"/api/orders/{order.number}").json()
    assert only(events.ORDER_DELIVERED).data == {**detail, "customer_id": customer.public_id}
    earned = only(events.LOYALTY_POINTS_EARNED).data
    assert (earned["type"], earned["order_number"], earned["customer_id"]) == (
        "earn",
        order.number,
        customer.public_id,
    )
    activity = bearer_client(customer.user).get("/api/customers/loyalty/activity").json()["data"]
    assert {k: v for k, v in earned.items() if k != "customer_id"} in activity


def test_a_referral_reward_records_points_earned_for_the_referrer(api_client):
    from loyalty.services import loyalty_account_ensure

    referrer = CustomerFactory()
    code = loyalty_account_ensure(customer=referrer).referral_code
    api_client.post("/api/auth/register", {**REGISTER, "referral_code": code}, format="json")
    from customers.models import Customer

    referee = Customer.objects.get(email=REGISTER["email"])
    Event.objects.all().delete()

    make_delivered_order(referee)

    earned = {e.data["customer_id"]: e.data for e in Event.objects.filter(type=events.LOYALTY_POINTS_EARNED)}
    assert set(earned) == {referee.public_id, referrer.public_id}
    assert earned[referrer.public_id]["type"] == "referral"


def test_a_staff_adjustment_is_not_points_earned(customer):
    from loyalty.services import loyalty_balance_adjust

    loyalty_balance_adjust(customer=customer, points=100, reason="Goodwill")

    assert not Event.objects.exists()


def test_a_failed_delivery_transition_leaves_no_event(staff_client, customer):
    order = make_delivered_order(customer)
    shipment = order.shipments.get()
    Event.objects.all().delete()

    response = staff_client.post(f"/api/orders/{order.number}/shipments/{shipment.public_id}/deliver")

    assert response.status_code == 409
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_delivery_that_fails_after_its_event_was_written_commits_neither(customer, monkeypatch):
    """Real commits: the delivered event is written, then the loyalty step fails; both roll back,
    while the events of the earlier, committed steps stay."""
    from orders.services import order_ship, shipment_deliver

    order = make_order(customer)
    shipment = order_ship(order=order, courier="DHL", tracking_number="T1")

    def fail(**kwargs):
        raise RuntimeError("the loyalty step fails after order.delivered was recorded")

    monkeypatch.setattr("orders.services.loyalty_points_earn_for_order", fail)
    with pytest.raises(RuntimeError):
        shipment_deliver(shipment=shipment)

    assert types() == [events.ORDER_CREATED, events.ORDER_PAID, events.ORDER_SHIPPED]
    order.refresh_from_db()
    assert order.status == "shipped"


# --- returns and refunds ---------------------------------------------------------------------


def test_return_request_records_return_requested_with_the_return(customer, customer_client):
    order = delivered_order(customer)
    Event.objects.all().delete()

    response = customer_client.post(
        f"/api/orders/{order.number}/returns",
        {"return_items": [line(order, comment="Cracked")]},
        format="json",
    )

    assert response.status_code == 201
    assert only(events.RETURN_REQUESTED).data == response.json()
    assert types() == [events.RETURN_REQUESTED]


def test_return_approve_receive_records_approved_then_refund_created(staff_client, customer):
    order = delivered_order(customer)
    return_request = request_return(order, line(order))
    Event.objects.all().delete()

    approved = staff_client.post(f"/api/returns/{return_request.public_id}/approve", {}, format="json")
    received = staff_client.post(f"/api/returns/{return_request.public_id}/receive")

    assert approved.status_code == received.status_code == 200
    assert types() == [events.RETURN_APPROVED, events.REFUND_CREATED]
    assert only(events.RETURN_APPROVED).data["status"] == "approved"
    refund = only(events.REFUND_CREATED).data
    assert refund["id"] == received.json()["refund_id"]


def test_return_reject_records_return_rejected(staff_client, customer):
    order = delivered_order(customer)
    return_request = request_return(order, line(order))
    Event.objects.all().delete()

    response = staff_client.post(
        f"/api/returns/{return_request.public_id}/reject", {"note": "Used"}, format="json"
    )

    assert response.status_code == 200
    data = only(events.RETURN_REJECTED).data
    assert (data["id"], data["status"], data["decision_note"]) == (
        return_request.public_id,
        "rejected",
        "Used",
    )


def test_a_replacement_records_the_replacement_order(staff_client, customer):
    order = delivered_order(customer)
    return_request = request_return(order, line(order, resolution="replacement"))
    staff_client.post(f"/api/returns/{return_request.public_id}/approve", {}, format="json")
    Event.objects.all().delete()

    received = staff_client.post(f"/api/returns/{return_request.public_id}/receive")

    assert types() == [events.ORDER_CREATED, events.ORDER_PAID]
    assert only(events.ORDER_CREATED).data["number"] == received.json()["replacement_order_number"]


# --- reviews and credit checks ---------------------------------------------------------------


def test_review_approval_records_review_approved(customer):
    product = ProductFactory()
    make_delivered_order(customer, products=[product])
    review = review_create(customer=customer, product=product, rating=5, title="Lovely", body="Smells great.")
    Event.objects.all().delete()

    review_approve(review=review, by=StaffUserFactory())

    data = only(events.REVIEW_APPROVED).data
    assert (data["id"], data["status"], data["product_id"]) == (
        review.public_id,
        "approved",
        product.public_id,
    )
    assert data["customer_id"] == customer.public_id


def test_credit_check_decisions_record_credit_check_decided(staff_client, finance_client, fixed_credit):
    business = BusinessCustomerFactory(credit_limit=Decimal("1000.00"))
    check = staff_client.post(f"/api/customers/{business.public_id}/credit-check").json()
    assert check["status"] == "pending_approval" and not Event.objects.exists()

    response = finance_client.post(f"/api/credit-checks/{check['id']}/approve", {}, format="json")

    assert response.status_code == 200
    assert only(events.CREDIT_CHECK_DECIDED).data == response.json()
    updated = only(events.CUSTOMER_UPDATED).data
    assert (updated["id"], updated["credit_limit"]) == (business.public_id, "5000.00")


def test_credit_check_rejection_records_decided_and_no_customer_update(
    staff_client, finance_client, fixed_credit
):
    business = BusinessCustomerFactory(credit_limit=Decimal("1000.00"))
    check = staff_client.post(f"/api/customers/{business.public_id}/credit-check").json()

    response = finance_client.post(
        f"/api/credit-checks/{check['id']}/reject", {"note": "Later"}, format="json"
    )

    assert response.status_code == 200
    assert only(events.CREDIT_CHECK_DECIDED).data["status"] == "rejected"
    assert types() == [events.CREDIT_CHECK_DECIDED]


def test_a_check_created_not_required_is_decided_at_once(fixed_credit):
    business = BusinessCustomerFactory(credit_limit=Decimal("5000.00"))

    check = credit_check_run(customer=business, by=None)

    assert check.status == CreditCheck.Status.NOT_REQUIRED
    data = only(events.CREDIT_CHECK_DECIDED).data
    assert (data["id"], data["status"], data["customer_id"]) == (
        check.public_id,
        "not_required",
        business.public_id,
    )


# --- cost ------------------------------------------------------------------------------------


def test_order_creation_pays_a_fixed_number_of_queries_for_its_events(
    customer, django_assert_num_queries, monkeypatch
):
    """The payload is built once for both events of a paid order: its items with their products
    in one query, then per event one insert and one read of the active webhook subscriptions:
    5 queries more than without events, whatever the number of lines (the order's own count
    differs between SQLite and PostgreSQL)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import orders.services

    products = [ProductFactory() for _ in range(5)]
    kwargs = {
        "customer": customer,
        "items": [{"sku": p.sku, "quantity": 1} for p in products],
        "shipping_address": dict(ADDRESS),
        "payment": {"method": "card", "status": "paid"},
    }
    order_create(**kwargs)  # the order-number counter row exists from now on
    with monkeypatch.context() as patched:
        patched.setattr(orders.services, "order_event_record", lambda *types, order: None)
        with CaptureQueriesContext(connection) as without_events:
            order_create(**kwargs)

    with django_assert_num_queries(len(without_events) + 5) as five_lines:
        order_create(**kwargs)
    with django_assert_num_queries(len(without_events) + 5):
        order_create(**{**kwargs, "items": kwargs["items"][:1]})

    assert len([q for q in five_lines.captured_queries if "integrations_event" in q["sql"]]) == 2


# --- GDPR ------------------------------------------------------------------------------------


def test_erasure_scrubs_every_earlier_event_of_the_customer(api_client, django_capture_on_commit_callbacks):
    from customers.models import Customer
    from tests.customers.test_gdpr import personal_values_in_database
    from tests.returns.factories import make_address

    # given a customer whose personal values reached the outbox through every kind of event
    email, first, last = "quentin.marlowe@example.com", "Quentin", "Marlowe"
    needles = [email, first, last, "Gorsemoor Lane", "Kestrelwick", "Thistledown"]
    api_client.post(
        "/api/auth/register",
        {**REGISTER, "email": email, "first_name": first, "last_name": last},
        format="json",
    )
    customer = Customer.objects.get(email=email)
    client = bearer_client(customer.user)
    client.patch("/api/customers/profile", {"last_name": "Kestrelwick"}, format="json")
    client.patch("/api/customers/profile", {"last_name": last}, format="json")
    product = ProductFactory()
    order = make_delivered_order(
        customer,
        products=[product],
        shipping_address={**ADDRESS, "first_name": first, "last_name": last, "line1": "3 Gorsemoor Lane"},
    )
    pickup = make_address(customer, first_name=first, last_name=last, line1="9 Gorsemoor Lane")
    request_return(order, line(order, comment="Thistledown wax cracked"), pickup_address_id=pickup.public_id)
    review = review_create(
        customer=customer, product=product, rating=5, title="Thistledown", body="By Marlowe"
    )
    review_approve(review=review, by=StaffUserFactory())
    mentioned = {(table, column) for table, column in personal_values_in_database(needles)}
    assert ("integrations_event", "data") in mentioned

    # when the customer erases the account
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete("/api/customers/profile", {"password": REGISTER["password"]}, format="json")

    # then no event keeps a personal value, and the events still say what happened
    assert response.status_code == 204
    assert personal_values_in_database(needles) == set()
    assert only(events.CUSTOMER_CREATED).data == {"id": customer.public_id}
    delivered = only(events.ORDER_DELIVERED).data
    assert (delivered["number"], delivered["shipping_address"], delivered["total"]) == (
        order.number,
        None,
        str(order.total),
    )
    assert only(events.RETURN_REQUESTED).data["pickup_address"] is None
    assert only(events.CUSTOMER_ERASED).data == {"id": customer.public_id}


def test_erasure_leaves_the_events_of_other_customers_alone(customer, other_customer):
    from customers.services.gdpr import customer_erase

    make_order(other_customer)
    before = only(events.ORDER_CREATED).data

    customer_erase(customer=customer, by=None)

    assert only(events.ORDER_CREATED).data == before
