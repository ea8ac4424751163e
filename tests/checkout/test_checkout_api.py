"""Checkout: one transaction from the cart to the order, then the payment provider."""

from decimal import Decimal

import pytest
from django.core import mail

from customers.models import Customer
from loyalty.models import LedgerEntry
from orders.models import Cart, DiscountRedemption, Order, Payment, StockMovement
from tests.checkout.factories import DiscountCodeFactory, VariantFactory, give_points, ready_cart
from tests.factories import BusinessCustomerFactory

pytestmark = pytest.mark.django_db

CHECKOUT = "/api/customers/checkout"
CARD = {"payment": {"method": "card"}, "payment_token": "tok_visa"}


def test_checkout_creates_a_paid_order_takes_stock_and_empties_the_cart(
    customer, customer_client, variant, django_capture_on_commit_callbacks
):
    # given two of a variant in the cart with a code, points and standard shipping
    DiscountCodeFactory(code="TEN", value=Decimal("10"))
    give_points(customer, 500)
    ready_cart(customer, [(variant, 2)])
    customer_client.post("/api/customers/cart/discounts", {"code": "TEN"}, format="json")
    customer_client.put("/api/customers/cart/points", {"points": 500}, format="json")
    # when the customer checks out by card
    with django_capture_on_commit_callbacks(execute=True):
        response = customer_client.post(CHECKOUT, CARD, format="json")
    # then the order is paid with the cart's amounts
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "paid" and body["payment_status"] == "paid"
    assert (body["subtotal"], body["discount_total"], body["points_discount"]) == ("76.00", "7.60", "5.00")
    assert body["shipping_total"] == "4.95"  # 68.40 of goods after codes is under the 75.00 threshold
    assert body["total"] == "68.35"
    assert body["items"][0]["sku"] == "DIFF-CED-100" and body["items"][0]["quantity"] == 2
    variant.refresh_from_db()
    assert variant.stock == 3
    movement = StockMovement.objects.get(variant=variant, kind="order")
    assert movement.quantity == -2 and movement.order.number == body["number"]
    # and the code was counted, the points spent once, the cart emptied
    assert DiscountRedemption.objects.get().amount == Decimal("7.60")
    assert LedgerEntry.objects.filter(customer=customer, type="redeem").get().points == -500
    cart = customer_client.get("/api/customers/cart").json()
    assert cart["items"] == [] and cart["discount_codes"] == [] and cart["points_applied"] == 0
    # and a confirmation email went out
    assert any(body["number"] in m.subject and "Thank you" in m.subject for m in mail.outbox)


def test_checkout_replayed_with_the_same_idempotency_key_makes_one_order_and_one_charge(
    customer, customer_client, variant
):
    ready_cart(customer, [(variant, 1)])
    first = customer_client.post(CHECKOUT, CARD, format="json", HTTP_IDEMPOTENCY_KEY="chk-1")
    again = customer_client.post(CHECKOUT, CARD, format="json", HTTP_IDEMPOTENCY_KEY="chk-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"]
    assert Order.objects.filter(customer=customer).count() == 1
    assert Payment.objects.filter(order__customer=customer).count() == 1


def test_checkout_declined_card_then_successful_retry(customer, customer_client, variant):
    ready_cart(customer, [(variant, 1)])
    declined = customer_client.post(
        CHECKOUT, {"payment": {"method": "card"}, "payment_token": "tok_decline"}, format="json"
    )
    assert declined.status_code == 201
    body = declined.json()
    assert body["status"] == "payment_failed" and body["is_retry_available"] is True
    retry = customer_client.post(
        f"/api/orders/{body['number']}/retry-payment", {"payment_token": "tok_visa"}, format="json"
    )
    assert retry.status_code == 200 and retry.json()["payment_status"] == "paid"
    assert customer_client.get(f"/api/orders/{body['number']}").json()["status"] == "paid"
    assert list(Payment.objects.filter(order__number=body["number"]).values_list("status", flat=True)) == [
        "failed",
        "succeeded",
    ]


def test_checkout_bank_transfer_is_pending_payment(customer, customer_client, variant):
    ready_cart(customer, [(variant, 1)])
    response = customer_client.post(CHECKOUT, {"payment": {"method": "bank_transfer"}}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "pending_payment"


def test_checkout_on_account_within_and_over_the_credit_limit(variant):
    from customers.models import User
    from tests.conftest import bearer_client

    user = User.objects.create_user("buyer@business.example", "Sandalwood-Ember-42")
    business = BusinessCustomerFactory(user=user, email=user.email, credit_limit=Decimal("50.00"))
    client = bearer_client(user)
    ready_cart(business, [(variant, 1)])
    ok = client.post(CHECKOUT, {"payment": {"method": "on_account"}}, format="json")
    assert ok.status_code == 201 and ok.json()["status"] == "processing"
    assert ok.json()["payment_status"] == "on_account"
    business.refresh_from_db()
    assert business.current_balance == Decimal(ok.json()["total"])
    ready_cart(business, [(variant, 1)])
    over = client.post(CHECKOUT, {"payment": {"method": "on_account"}}, format="json")
    assert over.status_code == 409
    variant.refresh_from_db()
    assert variant.stock == 4  # the refused order took nothing


def test_checkout_on_account_for_an_individual_is_400(customer, customer_client, variant):
    ready_cart(customer, [(variant, 1)])
    assert (
        customer_client.post(CHECKOUT, {"payment": {"method": "on_account"}}, format="json").status_code
        == 400
    )


def test_checkout_empty_cart_missing_address_or_method_is_400(customer, customer_client, variant):
    assert customer_client.post(CHECKOUT, CARD, format="json").status_code == 400
    customer_client.post(
        "/api/customers/cart/items", {"variant_id": variant.public_id, "quantity": 1}, format="json"
    )
    no_address = customer_client.post(CHECKOUT, CARD, format="json")
    assert no_address.status_code == 400 and "shipping_address" in no_address.json()["error"]["details"]
    ready_cart(customer, [], method="standard")
    Cart.objects.filter(customer=customer).update(shipping_method="")
    no_method = customer_client.post(CHECKOUT, CARD, format="json")
    assert no_method.status_code == 400 and "shipping_method" in no_method.json()["error"]["details"]


def test_checkout_stale_price_is_409_naming_the_line_and_the_cart_then_holds_the_new_price(
    customer, customer_client, variant
):
    ready_cart(customer, [(variant, 1)])
    line_id = customer_client.get("/api/customers/cart").json()["items"][0]["id"]
    variant.price = Decimal("40.00")
    variant.save()
    response = customer_client.post(CHECKOUT, CARD, format="json")
    assert response.status_code == 409
    details = response.json()["error"]["details"]
    assert "38.00" in details[f"items.{line_id}"][0] and "40.00" in details[f"items.{line_id}"][0]
    assert customer_client.get("/api/customers/cart").json()["items"][0]["unit_price"] == "40.00"
    assert Order.objects.filter(customer=customer).count() == 0
    # the customer has seen the new total: a second attempt goes through
    assert customer_client.post(CHECKOUT, CARD, format="json").status_code == 201


def test_checkout_stale_stock_is_409_naming_the_line(customer, customer_client, variant):
    ready_cart(customer, [(variant, 3), (VariantFactory(), 1)])
    line_id = customer_client.get("/api/customers/cart").json()["items"][0]["id"]
    variant.stock = 2
    variant.save()
    response = customer_client.post(CHECKOUT, CARD, format="json")
    assert response.status_code == 409
    assert list(response.json()["error"]["details"]) == [f"items.{line_id}"]
    assert "Only 2" in response.json()["error"]["details"][f"items.{line_id}"][0]


def test_checkout_used_up_code_is_409_and_removed_from_the_cart(customer, customer_client, variant):
    code = DiscountCodeFactory(code="ONCE", usage_limit=1)
    ready_cart(customer, [(variant, 1)])
    customer_client.post("/api/customers/cart/discounts", {"code": "ONCE"}, format="json")
    code.times_used = 1
    code.save()
    response = customer_client.post(CHECKOUT, CARD, format="json")
    assert response.status_code == 409 and "discount_codes.ONCE" in response.json()["error"]["details"]
    assert customer_client.get("/api/customers/cart").json()["discount_codes"] == []


def test_checkout_once_per_customer_code_works_once(customer, customer_client, variant):
    DiscountCodeFactory(code="HELLO", once_per_customer=True)
    ready_cart(customer, [(variant, 1)])
    customer_client.post("/api/customers/cart/discounts", {"code": "HELLO"}, format="json")
    assert customer_client.post(CHECKOUT, CARD, format="json").status_code == 201
    ready_cart(customer, [(variant, 1)])
    assert (
        customer_client.post("/api/customers/cart/discounts", {"code": "HELLO"}, format="json").status_code
        == 409
    )


def test_checkout_points_held_then_spent_exactly_once(customer, customer_client, variant):
    give_points(customer, 1000)
    ready_cart(customer, [(variant, 1)])
    customer_client.put("/api/customers/cart/points", {"points": 800}, format="json")
    # the balance drops elsewhere (a staff correction) below what the cart holds
    from loyalty.services import loyalty_balance_adjust

    loyalty_balance_adjust(customer=customer, points=-300, reason="Correction")
    stale = customer_client.post(CHECKOUT, CARD, format="json")
    assert stale.status_code == 409 and "points" in stale.json()["error"]["details"]
    assert customer_client.get("/api/customers/cart").json()["points_applied"] == 700
    order = customer_client.post(CHECKOUT, CARD, format="json").json()
    assert order["points_discount"] == "7.00"
    assert LedgerEntry.objects.filter(customer=customer, type="redeem").count() == 1
    customer.loyalty_account.refresh_from_db()
    assert customer.loyalty_account.points_balance == 0


def test_cancelling_a_checked_out_order_gives_points_and_stock_back(customer, customer_client, variant):
    give_points(customer, 500)
    ready_cart(customer, [(variant, 2)])
    customer_client.put("/api/customers/cart/points", {"points": 500}, format="json")
    number = customer_client.post(CHECKOUT, CARD, format="json").json()["number"]
    response = customer_client.post(
        f"/api/orders/{number}/cancel", {"cancellation_reason": "Changed my mind"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    customer.loyalty_account.refresh_from_db()
    assert customer.loyalty_account.points_balance == 500
    variant.refresh_from_db()
    assert variant.stock == 5
    assert StockMovement.objects.filter(variant=variant, kind="cancellation").get().quantity == 2


def test_checkout_needs_a_customer(api_client, staff_client):
    assert api_client.post(CHECKOUT, CARD, format="json").status_code == 401
    assert staff_client.post(CHECKOUT, CARD, format="json").status_code == 403
    assert Customer.objects.count() == 0


def test_checkout_with_an_address_book_entry_snapshots_it_on_the_order(customer, customer_client, variant):
    address = customer.addresses.create(
        first_name="Jane",
        last_name="Smith",
        line1="3 Oak St",
        city="Springfield",
        state="IL",
        postal_code="62702",
        country="US",
    )
    customer_client.post(
        "/api/customers/cart/items", {"variant_id": variant.public_id, "quantity": 1}, format="json"
    )
    customer_client.put(
        "/api/customers/cart/addresses", {"shipping_address_id": address.public_id}, format="json"
    )
    customer_client.put("/api/customers/cart/shipping-method", {"code": "standard"}, format="json")
    response = customer_client.post(CHECKOUT, CARD, format="json")
    assert response.status_code == 201
    assert response.json()["shipping_address"]["line1"] == "3 Oak St"
    assert response.json()["billing_address"]["line1"] == "3 Oak St"
