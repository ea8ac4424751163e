"""Settling on-account (B2B) orders: a payment received against an order's open credit.

An on-account order adds its total to the customer's `current_balance` when it is placed and
records it as the order's `credit_used`. A payment received later (a bank transfer, usually)
lowers both; when nothing is left open the order's payment status becomes `paid`. The payment's
`created_at` is the day the money arrived: the credit check and the analytics measure days to pay
from it.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from config.errors import InvalidTransition, ValidationFailed
from customers.models import Customer
from integrations import events
from orders.models import Order, OrderStatus, Payment, PaymentMethod, PaymentStatus, TransactionStatus
from orders.services_events import order_event_record

CENT = Decimal("0.01")


@transaction.atomic
def order_account_payment_record(
    *,
    order: Order,
    amount: Decimal,
    method: str = PaymentMethod.BANK_TRANSFER,
    paid_at: datetime | None = None,
    reference: str = "",
) -> Payment:
    """Record money received for an on-account order; releases that much of the customer's credit."""
    amount = Decimal(amount).quantize(CENT)
    if amount <= 0:
        raise ValidationFailed.on("amount", "The amount must be more than zero.")
    if method not in (PaymentMethod.BANK_TRANSFER, PaymentMethod.CARD, PaymentMethod.OTHER):
        raise ValidationFailed.on("method", "One of bank_transfer, card, other.")
    # Lock order as everywhere: customer (credit) first, then the order.
    customer = Customer.objects.select_for_update(no_key=True).get(pk=order.customer_id)
    order.refresh_from_db(from_queryset=Order.objects.select_for_update())
    if order.payment_method != PaymentMethod.ON_ACCOUNT or order.status == OrderStatus.CANCELLED:
        raise InvalidTransition(f"Order {order.number} is not an open on-account order.")
    if amount > order.credit_used:
        raise ValidationFailed.on("amount", f"Only {order.credit_used} is open on order {order.number}.")
    paid_at = paid_at or timezone.now()
    if paid_at < order.placed_at:
        raise ValidationFailed.on("paid_at", "A payment cannot arrive before the order was placed.")
    payment = Payment.objects.create(
        order=order,
        amount=amount,
        method=method,
        status=TransactionStatus.SUCCEEDED,
        provider_reference=reference[:128],
        created_at=paid_at,
    )
    order.amount_paid += amount
    order.credit_used -= amount
    if order.credit_used == 0:
        order.payment_status = PaymentStatus.PAID
    order.save(update_fields=["amount_paid", "credit_used", "payment_status", "updated_at"])
    if order.payment_status == PaymentStatus.PAID:
        # Settled: for an integration this order is now paid, like a card order at checkout.
        order_event_record(events.ORDER_PAID, order=order)
    # A balance movement, not a profile change: a plain update (no audit-history row).
    customer.current_balance = max(customer.current_balance - amount, Decimal("0.00"))
    Customer.objects.filter(pk=customer.pk).update(current_balance=customer.current_balance)
    return payment
