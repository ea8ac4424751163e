"""Every write on returns: request, cancel, approve, reject, receive (refund or replacement).

Each transition locks, re-checks the state, records who and when, and appends a history row the
customer can read. Locks are taken in the order the orders app uses everywhere: customer, then
order, then the return. Emails go out through Celery after the commit.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from config.errors import Conflict, InvalidTransition, ValidationFailed
from customers.models import Address, Customer
from customers.services.addresses import ADDRESS_FIELDS
from integrations import events
from loyalty.services import loyalty_points_reverse_for_order
from orders import services
from orders.models import (
    RETURNABLE_STATUSES,
    Order,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    RefundMode,
)
from orders.models_returns import (
    Return,
    ReturnEvent,
    ReturnItem,
    ReturnReason,
    ReturnResolution,
    ReturnStatus,
)
from orders.selectors_returns import order_returnable_quantities
from orders.services_events import return_event_record, return_events_erase

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
COMMENT_MAX = 2000


def _notify(*, return_request: Return, kind: str) -> None:
    from orders.tasks_returns import send_return_email

    return_id = return_request.pk
    transaction.on_commit(lambda: send_return_email.delay(return_id=return_id, kind=kind))


def _actor(by) -> str:
    if by is None or not getattr(by, "pk", None):
        return ReturnEvent.Actor.INTEGRATION
    return ReturnEvent.Actor.STAFF if by.is_staff else ReturnEvent.Actor.CUSTOMER


def _user(by):
    return by if getattr(by, "pk", None) else None


def _record(*, return_request: Return, status: str, by, note: str = "", at=None) -> ReturnEvent:
    return ReturnEvent.objects.create(
        return_request=return_request,
        status=status,
        note=note,
        actor=_actor(by),
        by=_user(by),
        created_at=at or timezone.now(),
    )


def _lock(return_request: Return) -> Return:
    """Lock the return's order, then the return, and re-read the return."""
    Order.objects.select_for_update().filter(pk=return_request.order_id).values_list("pk").first()
    return_request.refresh_from_db(from_queryset=Return.objects.select_for_update())
    return return_request


def return_item_value(*, order: Order, order_item, quantity: int) -> Decimal:
    """What `quantity` units of an order line were paid: its price less its share of order discounts."""
    discounts = order.discount_total + order.points_discount
    line_paid = order_item.total
    if discounts > 0 and order.subtotal > 0:
        line_paid = order_item.total - discounts * order_item.total / order.subtotal
    value = line_paid * quantity / order_item.quantity
    return max(value.quantize(CENT, rounding=ROUND_HALF_UP), ZERO)


def _check_returnable(order: Order) -> None:
    if order.status not in RETURNABLE_STATUSES or order.delivered_at is None:
        raise InvalidTransition(
            f"Order {order.number} is {order.status}; only delivered orders can be returned."
        )
    closes = order.delivered_at + timedelta(days=settings.ORDER_RETURN_WINDOW_DAYS)
    if timezone.now() > closes:
        raise InvalidTransition(f"The return window of order {order.number} closed on {closes:%Y-%m-%d}.")


def _clean_lines(*, order: Order, items: list[dict]) -> list[dict]:
    if not items:
        raise ValidationFailed.on("return_items", "Name at least one item to return.")
    order_items = {item.public_id: item for item in order.items.all()}
    lines, seen, errors = [], set(), {}
    for index, line in enumerate(items):
        prefix = f"return_items[{index}]"
        item = order_items.get(str(line.get("item_id") or ""))
        quantity = line.get("quantity")
        resolution = line.get("resolution")
        reason = line.get("return_reason")
        comment = str(line.get("comment") or "").strip()
        if item is None:
            errors[f"{prefix}.item_id"] = ["No such item on this order."]
        elif item.pk in seen:
            errors[f"{prefix}.item_id"] = ["Each item may appear once in a return."]
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            errors[f"{prefix}.quantity"] = ["The quantity must be a positive whole number."]
        if resolution not in ReturnResolution.values:
            errors[f"{prefix}.resolution"] = [f"One of {', '.join(ReturnResolution.values)}."]
        if reason not in ReturnReason.values:
            errors[f"{prefix}.return_reason"] = [f"One of {', '.join(ReturnReason.values)}."]
        if len(comment) > COMMENT_MAX:
            errors[f"{prefix}.comment"] = [f"At most {COMMENT_MAX} characters."]
        if item is not None:
            seen.add(item.pk)
        lines.append(
            {
                "item": item,
                "quantity": quantity,
                "resolution": resolution,
                "reason": reason,
                "comment": comment,
            }
        )
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], details=errors)
    return lines


def _pickup_snapshot(*, customer: Customer, pickup_address_id: str | None) -> dict:
    if not pickup_address_id:
        return {}
    address = Address.objects.filter(public_id=pickup_address_id, customer=customer).first()
    if address is None:
        raise ValidationFailed.on("pickup_address_id", "No such address in your address book.")
    snapshot = {key: getattr(address, key) for key in ADDRESS_FIELDS}
    snapshot["country"] = str(address.country)
    snapshot["phone"] = str(address.phone or "")
    return snapshot


@transaction.atomic
def return_create(
    *, order: Order, items: list[dict], pickup_address_id: str | None = None, by=None
) -> Return:
    """Request a return of delivered items; quantities are checked under a lock on the order.

    Each line may claim at most what was delivered minus what earlier returns that were not
    rejected or cancelled claim. `refund_amount` is what the refund lines were paid.
    """
    lines = _clean_lines(order=order, items=items)
    pickup = _pickup_snapshot(customer=order.customer, pickup_address_id=pickup_address_id)
    services._lock_order(order)
    _check_returnable(order)
    returnable = order_returnable_quantities(order=order)
    errors = {}
    for index, line in enumerate(lines):
        left = returnable.get(line["item"].pk, 0)
        if line["quantity"] > left:
            errors[f"return_items[{index}].quantity"] = [
                f"Only {left} of {line['item'].sku} can still be returned."
            ]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], details=errors)
    for line in lines:
        line["value"] = return_item_value(order=order, order_item=line["item"], quantity=line["quantity"])
    refund_amount = sum(
        (line["value"] for line in lines if line["resolution"] == ReturnResolution.REFUND), ZERO
    )
    return_request = Return.objects.create(
        order=order,
        customer_id=order.customer_id,
        refund_amount=refund_amount,
        currency=order.currency,
        pickup_address=pickup,
        requested_by=_user(by),
    )
    ReturnItem.objects.bulk_create(
        [
            ReturnItem(
                return_request=return_request,
                order_item=line["item"],
                quantity=line["quantity"],
                resolution=line["resolution"],
                reason=line["reason"],
                comment=line["comment"],
                value=line["value"],
            )
            for line in lines
        ]
    )
    _record(return_request=return_request, status=ReturnStatus.REQUESTED, by=by, at=return_request.created_at)
    return_event_record(events.RETURN_REQUESTED, return_request=return_request)
    return return_request


@transaction.atomic
def return_cancel(*, return_request: Return, by=None) -> Return:
    """The customer withdraws a requested return; its quantities are free again."""
    _lock(return_request)
    if not return_request.can_cancel():
        raise InvalidTransition(
            f"Return {return_request.public_id} is {return_request.status}; only a requested return can be withdrawn."
        )
    now = timezone.now()
    return_request.status, return_request.cancelled_at = ReturnStatus.CANCELLED, now
    return_request.save(update_fields=["status", "cancelled_at", "updated_at"])
    _record(return_request=return_request, status=ReturnStatus.CANCELLED, by=by, at=now)
    return return_request


def _decide(*, return_request: Return, by, note: str, status: str) -> Return:
    now = timezone.now()
    return_request.status = status
    return_request.decided_by, return_request.decided_at = _user(by), now
    return_request.decision_note = note
    return_request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    _record(return_request=return_request, status=status, by=by, note=note, at=now)
    event_type = events.RETURN_APPROVED if status == ReturnStatus.APPROVED else events.RETURN_REJECTED
    return_event_record(event_type, return_request=return_request)
    _notify(return_request=return_request, kind=status)
    return return_request


@transaction.atomic
def return_approve(*, return_request: Return, by=None, note: str = "") -> Return:
    """Staff accept a requested return; the customer sends the goods back."""
    note = (note or "").strip()
    if len(note) > COMMENT_MAX:
        raise ValidationFailed.on("note", f"At most {COMMENT_MAX} characters.")
    _lock(return_request)
    if not return_request.can_approve():
        raise InvalidTransition(
            f"Return {return_request.public_id} is {return_request.status}; it cannot be approved."
        )
    return _decide(return_request=return_request, by=by, note=note, status=ReturnStatus.APPROVED)


@transaction.atomic
def return_reject(*, return_request: Return, note: str, by=None) -> Return:
    """Staff refuse a requested return, saying why; its quantities are free again."""
    note = (note or "").strip()
    if not note:
        raise ValidationFailed.on("note", "Say why the return is rejected.")
    if len(note) > COMMENT_MAX:
        raise ValidationFailed.on("note", f"At most {COMMENT_MAX} characters.")
    _lock(return_request)
    if not return_request.can_reject():
        raise InvalidTransition(
            f"Return {return_request.public_id} is {return_request.status}; it cannot be rejected."
        )
    return _decide(return_request=return_request, by=by, note=note, status=ReturnStatus.REJECTED)


def _order_fully_refunded(*, order: Order) -> bool:
    """True when every unit of the order came back for a refund."""
    refunded = dict(
        ReturnItem.objects.filter(
            return_request__order=order,
            return_request__status=ReturnStatus.REFUNDED,
            resolution=ReturnResolution.REFUND,
        )
        .values("order_item_id")
        .annotate(quantity=Sum("quantity"))
        .values_list("order_item_id", "quantity")
    )
    return all(refunded.get(pk, 0) >= quantity for pk, quantity in order.items.values_list("pk", "quantity"))


def _refund_money(*, customer: Customer, order: Order, return_request: Return) -> str:
    """Give back what the refund lines were paid; answers the history note."""
    amount = return_request.refund_amount
    if order.payment_method == PaymentMethod.ON_ACCOUNT:
        # Nothing was paid yet: the customer's account is credited instead.
        credit = min(amount, order.credit_used)
        if credit > 0:
            # A balance movement on the locked customer, not a profile change: a plain update.
            customer.current_balance = max(customer.current_balance - credit, ZERO)
            Customer.objects.filter(pk=customer.pk).update(current_balance=customer.current_balance)
            order.credit_used -= credit
        return f"{credit} {order.currency} credited to the account."
    amount = min(amount, order.amount_refundable)
    if amount <= 0:
        return "Nothing left to refund on this order."
    if order.payment_method == PaymentMethod.BANK_TRANSFER:
        mode = RefundMode.BANK_TRANSFER
        bank_account = customer.bank_accounts.order_by("-created_at", "-id").first()
    else:
        mode, bank_account = RefundMode.ORIGINAL_PAYMENT_MODE, None
    refund = services._refund(
        order=order,
        amount=amount,
        mode=mode,
        bank_account=bank_account,
        reason=f"Return {return_request.public_id}",
    )
    return_request.refund = refund
    note = f"Refund of {amount} {order.currency} ({refund.get_mode_display().lower()})."
    if mode == RefundMode.BANK_TRANSFER and bank_account is None:
        note += " No bank account is saved yet: the transfer waits for one."
    return note


def _replacement_order(*, order: Order, lines: list[ReturnItem]) -> Order:
    try:
        return services.order_create(
            customer=order.customer,
            items=[
                {"sku": line.order_item.product.sku, "quantity": line.quantity, "unit_price": ZERO}
                for line in lines
            ],
            currency=order.currency,
            shipping_address=dict(order.shipping_address) or None,
            billing_address=dict(order.billing_address) or None,
            payment={"method": PaymentMethod.OTHER, "status": "succeeded", "amount": ZERO},
        )
    except ValidationFailed as exc:
        raise Conflict(f"The replacement order could not be created: {exc.message}", details=exc.details)


@transaction.atomic
def return_receive(*, return_request: Return, by=None) -> Return:
    """The goods are back: refund the refund lines, send a replacement for the others.

    The order becomes `partially_refunded` or `refunded`; the points earned on the returned
    items are reversed.
    """
    order = return_request.order
    customer = Customer.objects.select_for_update(no_key=True).get(pk=order.customer_id)
    services._lock_order(order)
    return_request.refresh_from_db(from_queryset=Return.objects.select_for_update())
    if not return_request.can_receive():
        raise InvalidTransition(
            f"Return {return_request.public_id} is {return_request.status}; it cannot be received."
        )
    now = timezone.now()
    return_request.status = ReturnStatus.RECEIVED
    return_request.received_by, return_request.received_at = _user(by), now
    _record(return_request=return_request, status=ReturnStatus.RECEIVED, by=by, at=now)

    lines = list(return_request.items.select_related("order_item__product"))
    refund_lines = [line for line in lines if line.resolution == ReturnResolution.REFUND]
    replace_lines = [line for line in lines if line.resolution == ReturnResolution.REPLACEMENT]
    notes = []
    if refund_lines:
        notes.append(_refund_money(customer=customer, order=order, return_request=return_request))
    if replace_lines:
        replacement = _replacement_order(order=order, lines=replace_lines)
        return_request.replacement_order = replacement
        notes.append(f"Replacement order {replacement.number}.")

    final = ReturnStatus.REFUNDED if refund_lines else ReturnStatus.REPLACED
    return_request.status, return_request.resolved_at = final, now
    return_request.save()
    if refund_lines:
        fully = _order_fully_refunded(order=order)
        order.status = OrderStatus.REFUNDED if fully else OrderStatus.PARTIALLY_REFUNDED
        if order.payment_method == PaymentMethod.ON_ACCOUNT:
            # Card and transfer refunds set payment_status from the money (`services._refund`).
            order.payment_status = PaymentStatus.REFUNDED if fully else PaymentStatus.PARTIALLY_REFUNDED
        order.save(update_fields=["status", "payment_status", "amount_refunded", "credit_used", "updated_at"])

    value = sum((line.value for line in lines), ZERO)
    if value > 0:
        loyalty_points_reverse_for_order(
            customer=customer,
            order_number=order.number,
            amount=value,
            reason=f"Items returned ({return_request.public_id})",
            key_suffix=f"return:{return_request.public_id}",
        )
    _record(return_request=return_request, status=final, by=by, note=" ".join(notes), at=now)
    _notify(return_request=return_request, kind=final)
    return return_request


def returns_erase_personal_data(customer: Customer) -> None:
    """Scrub pickup address snapshots and the customer's comments on their returns (amounts stay)."""
    Return.objects.filter(customer=customer).update(pickup_address={})
    ReturnItem.objects.filter(return_request__customer=customer).update(comment="")
    return_events_erase(customer_public_id=customer.public_id)
