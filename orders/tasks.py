"""Emails about an order, sent by Celery after the change commits."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

SUBJECTS = {
    "confirmation": "Thank you for your order {number}",
    "cancelled": "Your order {number} is cancelled",
    "shipped": "Your order {number} is on its way",
    "delivered": "Your order {number} has been delivered",
    "payment_failed": "The payment for order {number} did not go through",
}


@shared_task
def send_order_email(*, order_id: int, kind: str) -> bool:
    """Email the customer about their order, if they want transactional email."""
    from orders.models import Order

    order = Order.objects.select_related("customer").filter(pk=order_id).first()
    if order is None or kind not in SUBJECTS:
        return False
    customer = order.customer
    if not customer.transactional_email or not customer.email or customer.erased_at:
        return False
    context = {
        "order": order,
        "customer": customer,
        "order_url": f"{settings.SITE_URL}/account/orders/{order.number}/",
    }
    send_mail(
        SUBJECTS[kind].format(number=order.number),
        render_to_string(f"orders/email/{kind}.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [customer.email],
    )
    return True


@shared_task
def complete_orders_after_return_window() -> int:
    """Periodic: delivered orders past their return window become `completed`."""
    from orders.services import orders_complete_after_return_window

    return orders_complete_after_return_window()


from orders.tasks_returns import send_return_email  # noqa: E402, F401 - registers the task with workers


@shared_task
def clear_abandoned_carts() -> int:
    """Periodic: carts untouched for CART_ABANDONED_AFTER_DAYS are deleted."""
    from orders.services_cart import carts_clear_abandoned

    return carts_clear_abandoned()
