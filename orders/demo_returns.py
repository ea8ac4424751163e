"""Demo data: Jane's returns on her delivered order, one waiting for support and one refunded."""

from django.db import transaction

from customers.models import User
from orders.models import Order
from orders.models_returns import Return
from orders.services_returns import return_approve, return_create, return_receive

ORDER_NUMBER = "MNKY-0901"
SUPPORT_EMAIL = "support@moodmnky.example"


def _item(order: Order, sku: str):
    return order.items.get(sku=sku)


def seed_returns(report) -> None:
    """On MNKY-0901: a refunded return of the perfume oil and a requested one of a candle (idempotent)."""
    order = Order.objects.filter(number=ORDER_NUMBER).select_related("customer").first()
    if order is None:
        return
    if Return.objects.filter(order=order).exists():
        report.note(f"Returns: Jane's returns on {ORDER_NUMBER} already exist.")
        return
    if not order.is_return_allowed:
        report.note(f"Returns: {ORDER_NUMBER} is past its return window; no demo returns were made.")
        return
    support = User.objects.filter(email__iexact=SUPPORT_EMAIL).first()
    jane = order.customer.user
    with transaction.atomic():
        refunded = return_create(
            order=order,
            items=[
                {
                    "item_id": _item(order, "OIL-AMB-10").public_id,
                    "quantity": 1,
                    "resolution": "refund",
                    "return_reason": "changed_mind",
                    "comment": "The scent is too strong for me.",
                }
            ],
            by=jane,
        )
        return_approve(
            return_request=refunded, by=support, note="Please use the prepaid label in the parcel."
        )
        return_receive(return_request=refunded, by=support)
        return_create(
            order=order,
            items=[
                {
                    "item_id": _item(order, "CNDL-LAV-200").public_id,
                    "quantity": 1,
                    "resolution": "replacement",
                    "return_reason": "damaged",
                    "comment": "The glass arrived cracked.",
                }
            ],
            by=jane,
        )
    report.note(
        f"Returns: on {ORDER_NUMBER} Jane has a refunded return (perfume oil) and a requested one "
        "(a cracked candle) waiting in the admin's Returns queue for Customer support."
    )
