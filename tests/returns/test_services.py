"""Return services: creation rules, every transition, refunds, replacements, points and emails."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from config.errors import InvalidTransition, ValidationFailed
from customers.models import BankAccount
from loyalty.models import LedgerEntry, OrderEarning
from orders.models import Order, OrderStatus, PaymentStatus, RefundMode, TransactionStatus
from orders.models_returns import ReturnEvent, ReturnStatus
from orders.services import order_ship
from orders.services_returns import (
    return_approve,
    return_cancel,
    return_create,
    return_receive,
    return_reject,
)
from tests.factories import CustomerFactory, StaffUserFactory
from tests.orders.factories import make_order
from tests.returns.factories import delivered_order, line, make_address, request_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return StaffUserFactory()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run `transaction.on_commit` callbacks (the email tasks) as the test's block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def order(customer):
    return delivered_order(customer)


# --- creation --------------------------------------------------------------------------------


def test_return_create_records_a_requested_return_with_items_and_history(order, customer):
    ret = request_return(order, line(order, 0, quantity=2, comment="Cracked jar"), by=customer.user)
    assert ret.status == ReturnStatus.REQUESTED
    assert ret.public_id.startswith("ret_")
    assert ret.customer == customer and ret.currency == order.currency
    item = ret.items.get()
    assert (item.quantity, item.resolution, item.reason, item.comment) == (
        2,
        "refund",
        "damaged",
        "Cracked jar",
    )
    assert ret.refund_amount == Decimal("40.00")
    event = ret.history.get()
    assert (event.status, event.actor, event.by) == ("requested", ReturnEvent.Actor.CUSTOMER, customer.user)


def test_return_create_refund_amount_prorates_order_discounts_and_skips_replacements(customer):
    # Subtotal 50.00 with 10.00 off: the 2 × 20.00 line carries 8.00 of it, so one unit paid 16.00.
    order = delivered_order(customer, discount_total=Decimal("10.00"))
    ret = request_return(
        order, line(order, 0, quantity=1), line(order, 1, quantity=1, resolution="replacement")
    )
    assert ret.refund_amount == Decimal("16.00")
    values = {i.order_item.sku: i.value for i in ret.items.select_related("order_item")}
    assert sorted(values.values()) == [Decimal("8.00"), Decimal("16.00")]


def test_return_create_refuses_an_order_that_is_not_delivered(customer):
    shipped = make_order(customer)
    order_ship(order=shipped, courier="DHL", tracking_number="T1")
    with pytest.raises(InvalidTransition):
        request_return(shipped, line(shipped))
    assert not shipped.returns.exists()


def test_return_create_refuses_after_the_return_window(order, settings):
    Order.objects.filter(pk=order.pk).update(
        delivered_at=timezone.now() - timedelta(days=settings.ORDER_RETURN_WINDOW_DAYS, hours=1)
    )
    order.refresh_from_db()
    with pytest.raises(InvalidTransition, match="window"):
        request_return(order, line(order))
    assert order.is_return_allowed is False


def test_return_create_accepts_a_partially_refunded_delivered_order(order):
    first = request_return(order, line(order, 0, quantity=1))
    return_approve(return_request=first)
    return_receive(return_request=first)
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_REFUNDED
    second = request_return(order, line(order, 0, quantity=1))
    assert second.status == ReturnStatus.REQUESTED


def test_return_create_caps_quantity_at_delivered_minus_earlier_claims(order):
    with pytest.raises(ValidationFailed) as exc:
        request_return(order, line(order, 0, quantity=3))
    assert "return_items[0].quantity" in exc.value.details
    request_return(order, line(order, 0, quantity=1))
    with pytest.raises(ValidationFailed, match="Only 1"):
        request_return(order, line(order, 0, quantity=2))
    request_return(order, line(order, 0, quantity=1))
    with pytest.raises(ValidationFailed, match="Only 0"):
        request_return(order, line(order, 0, quantity=1))


def test_return_create_frees_quantities_of_rejected_and_cancelled_returns(order):
    rejected = request_return(order, line(order, 0, quantity=2))
    return_reject(return_request=rejected, note="No damage visible on the photos")
    cancelled = request_return(order, line(order, 0, quantity=2))
    return_cancel(return_request=cancelled)
    again = request_return(order, line(order, 0, quantity=2))
    assert again.items.get().quantity == 2


def test_return_create_validates_each_line(order, other_customer):
    other_order = delivered_order(other_customer)
    cases = [
        ([], "return_items"),
        ([{**line(order), "item_id": other_order.items.first().public_id}], "return_items[0].item_id"),
        ([{**line(order), "quantity": 0}], "return_items[0].quantity"),
        ([{**line(order), "resolution": "store_credit"}], "return_items[0].resolution"),
        ([{**line(order), "return_reason": "too_expensive"}], "return_items[0].return_reason"),
        ([line(order), line(order)], "return_items[1].item_id"),
    ]
    for items, field in cases:
        with pytest.raises(ValidationFailed) as exc:
            return_create(order=order, items=items)
        assert field in exc.value.details
    assert not order.returns.exists()


def test_return_create_pickup_address_must_be_the_customers_own(order, customer, other_customer):
    theirs = make_address(other_customer)
    with pytest.raises(ValidationFailed) as exc:
        request_return(order, line(order), pickup_address_id=theirs.public_id)
    assert list(exc.value.details) == ["pickup_address_id"]
    mine = make_address(customer, line1="9 Home Road")
    ret = request_return(order, line(order), pickup_address_id=mine.public_id)
    assert ret.pickup_address["line1"] == "9 Home Road" and ret.pickup_address["country"] == "US"


def test_order_is_return_allowed_reflects_the_remaining_quantity(order):
    assert order.is_return_allowed is True
    request_return(order, line(order, 0, quantity=2), line(order, 1, quantity=1))
    assert order.is_return_allowed is False


# --- transitions -----------------------------------------------------------------------------


def test_return_cancel_only_while_requested(order, customer):
    ret = request_return(order, line(order))
    return_cancel(return_request=ret, by=customer.user)
    assert ret.status == ReturnStatus.CANCELLED and ret.cancelled_at is not None
    assert ret.history.last().status == "cancelled"
    with pytest.raises(InvalidTransition):
        return_cancel(return_request=ret, by=customer.user)
    approved = request_return(order, line(order))
    return_approve(return_request=approved)
    with pytest.raises(InvalidTransition):
        return_cancel(return_request=approved)


def test_return_approve_records_who_when_and_the_note_and_emails_the_customer(
    order, staff, customer, on_commit
):
    ret = request_return(order, line(order))
    with on_commit():
        return_approve(return_request=ret, by=staff, note="Use the prepaid label")
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.APPROVED
    assert ret.decided_by == staff and ret.decided_at is not None
    assert ret.decision_note == "Use the prepaid label"
    event = ret.history.last()
    assert (event.status, event.actor, event.note) == ("approved", "staff", "Use the prepaid label")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [customer.email]
    assert "approved" in mail.outbox[0].subject and "prepaid label" in mail.outbox[0].body


def test_return_approve_twice_or_after_rejection_is_an_invalid_transition(order):
    ret = request_return(order, line(order))
    return_approve(return_request=ret)
    with pytest.raises(InvalidTransition):
        return_approve(return_request=ret)
    with pytest.raises(InvalidTransition):
        return_reject(return_request=ret, note="Too late")
    rejected = request_return(order, line(order))
    return_reject(return_request=rejected, note="No")
    with pytest.raises(InvalidTransition):
        return_approve(return_request=rejected)


def test_return_reject_requires_a_note_and_emails_it(order, staff, on_commit):
    ret = request_return(order, line(order))
    with pytest.raises(ValidationFailed) as exc:
        return_reject(return_request=ret, by=staff, note="  ")
    assert "note" in exc.value.details
    mail.outbox.clear()
    with on_commit():
        return_reject(return_request=ret, by=staff, note="Opened and used")
    assert ret.status == ReturnStatus.REJECTED and ret.decided_by == staff
    assert "Opened and used" in mail.outbox[0].body


def test_decision_emails_honour_transactional_email_preference(order, customer, on_commit):
    customer.transactional_email = False
    customer.save(update_fields=["transactional_email"])
    ret = request_return(order, line(order))
    mail.outbox.clear()
    with on_commit() as callbacks:
        return_approve(return_request=ret)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_return_receive_needs_an_approved_return(order):
    ret = request_return(order, line(order))
    with pytest.raises(InvalidTransition):
        return_receive(return_request=ret)


def test_return_receive_refunds_through_the_provider_and_partially_refunds_the_order(order, staff, on_commit):
    ret = request_return(order, line(order, 0, quantity=1))
    return_approve(return_request=ret, by=staff)
    mail.outbox.clear()
    with on_commit():
        return_receive(return_request=ret, by=staff)
    ret.refresh_from_db()
    order.refresh_from_db()
    assert ret.status == ReturnStatus.REFUNDED and ret.received_by == staff and ret.received_at
    refund = ret.refund
    assert (refund.amount, refund.mode, refund.status) == (
        Decimal("20.00"),
        RefundMode.ORIGINAL_PAYMENT_MODE,
        TransactionStatus.SUCCEEDED,
    )
    assert order.amount_refunded == Decimal("20.00")
    assert order.status == OrderStatus.PARTIALLY_REFUNDED
    assert order.payment_status == PaymentStatus.PARTIALLY_REFUNDED
    assert [e.status for e in ret.history.all()] == ["requested", "approved", "received", "refunded"]
    assert "refunded" in mail.outbox[0].subject


def test_return_receive_of_every_item_refunds_the_order(order):
    ret = request_return(order, line(order, 0, quantity=2), line(order, 1, quantity=1))
    return_approve(return_request=ret)
    return_receive(return_request=ret)
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert order.amount_refunded == Decimal("50.00")
    assert order.is_return_allowed is False


def test_return_receive_refunds_a_bank_transfer_order_by_transfer(customer):
    order = delivered_order(customer, payment={"method": "bank_transfer", "status": "succeeded"})
    account = BankAccount.objects.create(
        customer=customer, holder_name="Jane Smith", iban="DE89370400440532013000"
    )
    ret = request_return(order, line(order, 1))
    return_approve(return_request=ret)
    return_receive(return_request=ret)
    ret.refresh_from_db()
    assert ret.refund.mode == RefundMode.BANK_TRANSFER
    assert ret.refund.bank_account == account
    assert ret.refund.status == TransactionStatus.PENDING
    assert "bank transfer" in ret.history.last().note


def test_return_receive_by_transfer_without_a_saved_account_says_the_transfer_waits(customer):
    order = delivered_order(customer, payment={"method": "bank_transfer", "status": "succeeded"})
    ret = request_return(order, line(order, 1))
    return_approve(return_request=ret)
    return_receive(return_request=ret)
    ret.refresh_from_db()
    assert ret.refund.bank_account is None and ret.refund.status == TransactionStatus.PENDING
    assert "waits for one" in ret.history.last().note


def test_return_receive_replacement_creates_a_zero_priced_linked_order(order, customer, on_commit):
    ret = request_return(order, line(order, 0, quantity=2, resolution="replacement"))
    assert ret.refund_amount == Decimal("0.00")
    return_approve(return_request=ret)
    mail.outbox.clear()
    with on_commit():
        return_receive(return_request=ret)
    ret.refresh_from_db()
    order.refresh_from_db()
    replacement = ret.replacement_order
    assert ret.status == ReturnStatus.REPLACED and ret.refund is None
    assert replacement.customer == customer and replacement.total == Decimal("0.00")
    assert replacement.status == OrderStatus.PAID
    assert list(replacement.items.values_list("sku", "quantity", "unit_price")) == [
        (order.items.first().sku, 2, Decimal("0.00"))
    ]
    assert replacement.shipping_address["line1"] == order.shipping_address["line1"]
    assert order.status == OrderStatus.DELIVERED and order.amount_refunded == 0
    assert replacement.number in ret.history.last().note
    assert "replacement" in mail.outbox[0].subject.lower()


def test_return_receive_reverses_the_points_earned_on_the_returned_items(order, customer):
    earning = OrderEarning.objects.get(order_number=order.number)
    assert earning.points_earned > 0
    ret = request_return(order, line(order, 0, quantity=1))
    return_approve(return_request=ret)
    return_receive(return_request=ret)
    earning.refresh_from_db()
    entry = LedgerEntry.objects.get(idempotency_key=f"order:{order.number}:reverse:return:{ret.public_id}")
    assert entry.type == LedgerEntry.Type.REVERSE
    # 20.00 of 55.00 paid: that share of the points comes back.
    expected = round(earning.points_earned * Decimal("20.00") / Decimal("55.00"))
    assert earning.points_reversed == expected and -entry.points - entry.shortfall_points == expected


def test_return_receive_on_account_releases_credit_instead_of_refunding(db):
    from tests.factories import BusinessCustomerFactory

    business = BusinessCustomerFactory(credit_limit=Decimal("1000.00"))
    order = delivered_order(business, payment=None, on_account=True)
    business.refresh_from_db()
    balance = business.current_balance
    ret = request_return(order, line(order, 1))
    return_approve(return_request=ret)
    return_receive(return_request=ret)
    business.refresh_from_db()
    order.refresh_from_db()
    assert business.current_balance == balance - Decimal("10.00")
    assert order.credit_used == order.total - Decimal("10.00")
    assert order.status == OrderStatus.PARTIALLY_REFUNDED and ret.refund is None


def test_every_transition_of_another_customers_return_is_independent(order):
    other = delivered_order(CustomerFactory())
    mine = request_return(order, line(order))
    theirs = request_return(other, line(other))
    return_approve(return_request=mine)
    theirs.refresh_from_db()
    assert theirs.status == ReturnStatus.REQUESTED


def test_gdpr_export_and_erasure_cover_returns(order, customer):
    from customers import registry

    address = make_address(customer)
    ret = request_return(order, line(order, comment="Smells of smoke"), pickup_address_id=address.public_id)
    exported = registry.export_sections()["returns"](customer)
    assert exported[0]["id"] == ret.public_id and exported[0]["items"][0]["comment"] == "Smells of smoke"
    registry.erasers()["returns"](customer)
    ret.refresh_from_db()
    assert ret.pickup_address == {} and ret.items.get().comment == ""
