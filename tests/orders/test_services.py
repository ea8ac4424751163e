"""Order services: ingest, shipping, delivery, cancellation, payment retry, credit on account."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError

from config.errors import Conflict, InvalidTransition, ValidationFailed
from customers.models import Address, BankAccount
from orders.models import (
    Order,
    OrderStatus,
    PaymentStatus,
    Refund,
    ShipmentStatus,
    ShippingStatus,
    TransactionStatus,
)
from orders.payments import DECLINE_TOKEN
from orders.services import (
    order_cancel,
    order_charge,
    order_create,
    order_retry_payment,
    order_ship,
    orders_erase_personal_data,
    shipment_deliver,
)
from tests.factories import BusinessCustomerFactory, CustomerFactory
from tests.orders.factories import ADDRESS, ProductFactory, make_delivered_order, make_order

pytestmark = pytest.mark.django_db

IBAN = "DE89370400440532013000"


# --- ingest ---


def test_order_create_computes_totals_and_snapshots(customer, product):
    # given a product at 20.00 and a discount, points and shipping
    order = order_create(
        customer=customer,
        items=[{"sku": product.sku, "quantity": 3}],
        shipping_address=dict(ADDRESS),
        shipping_total=Decimal("4.99"),
        discount_total=Decimal("5.00"),
        points_discount=Decimal("1.00"),
        tax_total=Decimal("9.00"),
    )
    # then the totals follow the contract's formula and the lines snapshot the product
    assert order.subtotal == Decimal("60.00")
    assert order.total == Decimal("58.99")
    assert order.number.startswith("MNKY-")
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert order.item_count == 3
    item = order.items.get()
    assert (item.sku, item.name, item.unit_price, item.total) == (
        "CNDL-LAV",
        "Lavender Candle",
        Decimal("20.00"),
        Decimal("60.00"),
    )
    assert order.shipping_address["postal_code"] == "62701"
    assert order.billing_address == order.shipping_address


def test_order_create_numbers_are_sequential_and_unique(customer, product):
    first = make_order(customer, products=[product])
    second = make_order(customer, products=[product])
    assert int(second.number.split("-")[1]) == int(first.number.split("-")[1]) + 1


def test_order_create_rejects_unknown_sku(customer):
    with pytest.raises(ValidationFailed) as exc:
        order_create(
            customer=customer, items=[{"sku": "NOPE", "quantity": 1}], shipping_address=dict(ADDRESS)
        )
    assert "items[0].sku" in exc.value.details


def test_order_create_rejects_inactive_product(customer):
    product = ProductFactory(is_active=False)
    with pytest.raises(ValidationFailed):
        order_create(
            customer=customer, items=[{"sku": product.sku, "quantity": 1}], shipping_address=dict(ADDRESS)
        )


@pytest.mark.parametrize("quantity", [0, -1, "2", 1.5])
def test_order_create_rejects_non_positive_quantity(customer, product, quantity):
    with pytest.raises(ValidationFailed) as exc:
        order_create(
            customer=customer,
            items=[{"sku": product.sku, "quantity": quantity}],
            shipping_address=dict(ADDRESS),
        )
    assert "items[0].quantity" in exc.value.details


def test_order_create_rejects_invalid_inline_address(customer, product):
    bad = {**ADDRESS, "postal_code": "ABCDE"}
    with pytest.raises(ValidationFailed) as exc:
        order_create(customer=customer, items=[{"sku": product.sku, "quantity": 1}], shipping_address=bad)
    assert "postal_code" in exc.value.details["shipping_address"]


def test_order_create_rejects_another_customers_address_id_naming_the_field(
    customer, other_customer, product
):
    address = Address.objects.create(
        customer=other_customer,
        line1="2 Elm St",
        city="Springfield",
        state="IL",
        postal_code="62701",
        country="US",
    )
    with pytest.raises(ValidationFailed) as exc:
        order_create(
            customer=customer,
            items=[{"sku": product.sku, "quantity": 1}],
            shipping_address_id=address.public_id,
        )
    assert set(exc.value.details) == {"shipping_address_id"}


def test_order_create_uses_own_address_book_entry(customer, product):
    address = Address.objects.create(
        customer=customer,
        first_name="Jo",
        line1="2 Elm St",
        city="Springfield",
        state="IL",
        postal_code="62701",
        country="US",
    )
    order = order_create(
        customer=customer, items=[{"sku": product.sku, "quantity": 1}], shipping_address_id=address.public_id
    )
    assert order.shipping_address["line1"] == "2 Elm St"
    assert order.shipping_address["country"] == "US"


def test_order_create_requires_an_address(customer, product):
    with pytest.raises(ValidationFailed) as exc:
        order_create(customer=customer, items=[{"sku": product.sku, "quantity": 1}])
    assert "shipping_address" in exc.value.details


def test_order_create_rejects_inconsistent_total(customer, product):
    with pytest.raises(ValidationFailed) as exc:
        order_create(
            customer=customer,
            items=[{"sku": product.sku, "quantity": 1}],
            shipping_address=dict(ADDRESS),
            total=Decimal("99.00"),
        )
    assert "total" in exc.value.details


def test_order_create_rejects_discount_beyond_subtotal(customer, product):
    with pytest.raises(ValidationFailed) as exc:
        order_create(
            customer=customer,
            items=[{"sku": product.sku, "quantity": 1}],
            shipping_address=dict(ADDRESS),
            discount_total=Decimal("50.00"),
        )
    assert "discount_total" in exc.value.details


def test_order_create_rejects_tax_above_total(customer, product):
    with pytest.raises(ValidationFailed) as exc:
        order_create(
            customer=customer,
            items=[{"sku": product.sku, "quantity": 1}],
            shipping_address=dict(ADDRESS),
            tax_total=Decimal("30.00"),
        )
    assert "tax_total" in exc.value.details


def test_order_create_with_reported_payment_is_paid(customer, product):
    order = make_order(customer, products=[product])
    assert (order.status, order.payment_status, order.amount_paid) == (
        OrderStatus.PAID,
        PaymentStatus.PAID,
        Decimal("25.00"),
    )
    assert order.payments.get().status == TransactionStatus.SUCCEEDED


def test_order_create_payment_amount_must_match_total(customer, product):
    with pytest.raises(ValidationFailed) as exc:
        order_create(
            customer=customer,
            items=[{"sku": product.sku, "quantity": 1}],
            shipping_address=dict(ADDRESS),
            payment={"method": "card", "status": "paid", "amount": "1.00"},
        )
    assert "payment.amount" in exc.value.details


def test_order_create_with_failed_payment_emails_the_customer(
    customer, product, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = make_order(customer, products=[product], payment="failed")
    assert order.status == OrderStatus.PAYMENT_FAILED
    assert order.is_retry_available
    assert len(mail.outbox) == 1 and "did not go through" in mail.outbox[0].subject


def test_order_create_duplicate_explicit_number_is_conflict(customer, product):
    make_order(customer, products=[product], number="EXT-1")
    with pytest.raises(Conflict):
        make_order(customer, products=[product], number="EXT-1")


def test_order_create_skips_a_number_an_integration_already_took(customer, product):
    first = make_order(customer, products=[product])
    taken = f"MNKY-{int(first.number.split('-')[1]) + 1}"
    make_order(customer, products=[product], number=taken)
    nxt = make_order(customer, products=[product])
    assert nxt.number not in (first.number, taken)


def test_order_total_constraint_holds_in_the_database(customer, product):
    order = make_order(customer, products=[product])
    with pytest.raises(IntegrityError):
        Order.objects.filter(pk=order.pk).update(total=Decimal("1.00"))


# --- on account ---


def test_on_account_order_counts_against_credit_and_is_processing(product):
    business = BusinessCustomerFactory(credit_limit=Decimal("100.00"))
    order = make_order(business, products=[product], on_account=True)
    business.refresh_from_db()
    assert order.status == OrderStatus.PROCESSING
    assert order.payment_status == PaymentStatus.ON_ACCOUNT
    assert business.current_balance == Decimal("25.00")


def test_on_account_order_over_the_limit_is_conflict(product):
    business = BusinessCustomerFactory(credit_limit=Decimal("40.00"), current_balance=Decimal("20.00"))
    with pytest.raises(Conflict):
        make_order(business, products=[product], on_account=True)
    business.refresh_from_db()
    assert business.current_balance == Decimal("20.00")
    assert not Order.objects.exists()


def test_on_account_is_only_for_business_customers(customer, product):
    with pytest.raises(ValidationFailed) as exc:
        make_order(customer, products=[product], on_account=True)
    assert "on_account" in exc.value.details


def test_cancelling_on_account_order_releases_credit(product):
    business = BusinessCustomerFactory(credit_limit=Decimal("100.00"))
    order = make_order(business, products=[product], on_account=True)
    order_cancel(order=order, reason="Ordered twice")
    business.refresh_from_db()
    assert business.current_balance == Decimal("0.00")
    assert not order.refunds.exists()


# --- shipping and delivery ---


def test_order_ship_everything_marks_order_shipped_and_emails(
    customer, product, django_capture_on_commit_callbacks
):
    order = make_order(customer, products=[product], quantity=2)
    with django_capture_on_commit_callbacks(execute=True):
        shipment = order_ship(order=order, courier="DHL", tracking_number="TRK1")
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert order.shipping_status == ShippingStatus.SHIPPED
    assert shipment.items.get().quantity == 2
    assert any("on its way" in m.subject for m in mail.outbox)


def test_order_ship_part_then_deliver_is_partially_delivered(customer, product):
    order = make_order(customer, products=[product], quantity=2)
    item = order.items.get()
    shipment = order_ship(
        order=order, courier="DHL", tracking_number="T1", items=[{"item_id": item.public_id, "quantity": 1}]
    )
    order.refresh_from_db()
    assert order.shipping_status == ShippingStatus.PARTIALLY_SHIPPED
    shipment_deliver(shipment=shipment)
    order.refresh_from_db()
    assert order.shipping_status == ShippingStatus.PARTIALLY_DELIVERED
    assert order.status == OrderStatus.SHIPPED
    rest = order_ship(order=order, courier="DHL", tracking_number="T2")
    shipment_deliver(shipment=rest)
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert order.delivered_at is not None
    assert order.is_return_allowed


def test_order_ship_more_than_ordered_is_rejected(customer, product):
    order = make_order(customer, products=[product], quantity=1)
    item = order.items.get()
    with pytest.raises(ValidationFailed):
        order_ship(
            order=order,
            courier="DHL",
            tracking_number="T1",
            items=[{"item_id": item.public_id, "quantity": 2}],
        )


def test_order_ship_unpaid_order_is_invalid_transition(customer, product):
    order = make_order(customer, products=[product], payment=None)
    with pytest.raises(InvalidTransition):
        order_ship(order=order, courier="DHL", tracking_number="T1")


def test_order_ship_when_everything_shipped_is_conflict(customer, product):
    order = make_order(customer, products=[product])
    order_ship(order=order, courier="DHL", tracking_number="T1")
    with pytest.raises(Conflict):
        order_ship(order=order, courier="DHL", tracking_number="T2")


def test_shipment_deliver_twice_is_invalid_transition(customer, product):
    order = make_order(customer, products=[product])
    shipment = order_ship(order=order, courier="DHL", tracking_number="T1")
    shipment_deliver(shipment=shipment)
    assert shipment.status == ShipmentStatus.DELIVERED
    with pytest.raises(InvalidTransition):
        shipment_deliver(shipment=shipment)


def test_delivery_email_is_sent_on_commit(customer, product, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_delivered_order(customer, products=[product])
    assert any("delivered" in m.subject for m in mail.outbox)
    assert mail.outbox[-1].to == [customer.email]


def test_order_emails_are_not_sent_when_transactional_email_is_off(
    product, django_capture_on_commit_callbacks
):
    customer = CustomerFactory(transactional_email=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_delivered_order(customer, products=[product])
    assert len(callbacks) == 2  # shipped and delivered were queued
    assert mail.outbox == []


# --- cancellation ---


def test_order_cancel_refunds_to_original_payment(customer, product, django_capture_on_commit_callbacks):
    order = make_order(customer, products=[product])
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=order, reason="Changed my mind", feedback="Too slow")
    order.refresh_from_db()
    refund = order.refunds.get()
    assert (refund.amount, refund.mode, refund.status) == (
        Decimal("25.00"),
        "original_payment_mode",
        "succeeded",
    )
    assert order.status == OrderStatus.CANCELLED
    assert order.payment_status == PaymentStatus.REFUNDED
    assert order.amount_refunded == Decimal("25.00")
    assert order.cancellation_reason == "Changed my mind"
    assert any("cancelled" in m.subject for m in mail.outbox)


def test_order_cancel_requires_a_reason(customer, product):
    order = make_order(customer, products=[product])
    with pytest.raises(ValidationFailed) as exc:
        order_cancel(order=order, reason="  ")
    assert "cancellation_reason" in exc.value.details


def test_order_cancel_after_shipment_is_invalid_transition(customer, product):
    order = make_order(customer, products=[product])
    order_ship(order=order, courier="DHL", tracking_number="T1")
    with pytest.raises(InvalidTransition):
        order_cancel(order=order, reason="Too late")
    assert not Refund.objects.exists()


def test_order_cancel_twice_is_invalid_transition(customer, product):
    order = make_order(customer, products=[product])
    order_cancel(order=order, reason="No longer needed")
    with pytest.raises(InvalidTransition):
        order_cancel(order=order, reason="Again")
    assert Refund.objects.count() == 1


def test_order_cancel_by_bank_transfer_needs_a_bank_account(customer, product):
    order = make_order(customer, products=[product])
    with pytest.raises(ValidationFailed) as exc:
        order_cancel(order=order, reason="x", refund_mode="bank_transfer")
    assert "bank_account_id" in exc.value.details


def test_order_cancel_by_bank_transfer_to_another_customers_account_is_rejected(
    customer, other_customer, product
):
    account = BankAccount.objects.create(customer=other_customer, holder_name="Other", iban=IBAN)
    order = make_order(customer, products=[product])
    with pytest.raises(ValidationFailed) as exc:
        order_cancel(order=order, reason="x", refund_mode="bank_transfer", bank_account_id=account.public_id)
    assert "bank_account_id" in exc.value.details
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_order_cancel_by_bank_transfer_creates_pending_transfer(customer, product):
    account = BankAccount.objects.create(customer=customer, holder_name="Me", iban=IBAN)
    order = make_order(customer, products=[product])
    order_cancel(order=order, reason="x", refund_mode="bank_transfer", bank_account_id=account.public_id)
    refund = order.refunds.get()
    assert (refund.mode, refund.status, refund.bank_account) == ("bank_transfer", "pending", account)


def test_order_cancel_unpaid_order_creates_no_refund(customer, product):
    order = make_order(customer, products=[product], payment="failed")
    order_cancel(order=order, reason="Could not pay")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert not order.refunds.exists()


# --- payment retry ---


def test_retry_payment_moves_failed_order_to_paid(customer, product):
    order = make_order(customer, products=[product], payment="failed")
    order_retry_payment(order=order, payment_token="tok_visa")
    order.refresh_from_db()
    assert (order.status, order.payment_status, order.amount_paid) == (
        OrderStatus.PAID,
        PaymentStatus.PAID,
        order.total,
    )
    assert [p.status for p in order.payments.all()] == ["failed", "succeeded"]


def test_retry_payment_declined_again_stays_failed(customer, product):
    order = make_order(customer, products=[product], payment="failed")
    order_retry_payment(order=order, payment_token=DECLINE_TOKEN)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAYMENT_FAILED
    assert order.payments.last().failure_reason == "Card declined."


def test_retry_payment_on_paid_order_is_invalid_transition(customer, product):
    order = make_order(customer, products=[product])
    with pytest.raises(InvalidTransition):
        order_retry_payment(order=order)


def test_order_charge_pending_order_through_provider(customer, product):
    order = make_order(customer, products=[product], payment=None)
    order_charge(order=order, method="card", payment_token="tok_visa")
    assert order.status == OrderStatus.PAID
    order = make_order(customer, products=[product], payment=None)
    order_charge(order=order, method="bank_transfer")
    assert (order.status, order.payment_status) == (OrderStatus.PENDING_PAYMENT, PaymentStatus.PENDING)


# --- GDPR ---


def test_erasure_scrubs_address_snapshots_but_keeps_amounts(customer, product):
    order = make_order(customer, products=[product])
    orders_erase_personal_data(customer)
    order.refresh_from_db()
    assert order.shipping_address == {} and order.billing_address == {}
    assert order.total == Decimal("25.00")


def test_delivered_orders_complete_when_the_return_window_closes(customer, product):
    from datetime import timedelta

    from django.utils import timezone

    from orders.services import orders_complete_after_return_window

    recent = make_delivered_order(customer, products=[product])
    old = make_delivered_order(customer, products=[product])
    Order.objects.filter(pk=old.pk).update(delivered_at=timezone.now() - timedelta(days=31))
    assert orders_complete_after_return_window() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == (OrderStatus.COMPLETED, OrderStatus.DELIVERED)
    assert not old.is_return_allowed
