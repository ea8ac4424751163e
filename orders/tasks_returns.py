"""Emails about a return decision, sent by Celery after the change commits."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

SUBJECTS = {
    "approved": "Your return for order {number} is approved",
    "rejected": "Your return for order {number} was not accepted",
    "refunded": "Your return for order {number} is refunded",
    "replaced": "A replacement for order {number} is on its way",
}


@shared_task
def send_return_email(*, return_id: int, kind: str) -> bool:
    """Email the customer about a decision on their return, if they want transactional email."""
    from orders.models_returns import Return

    found = (
        Return.objects.select_related("order", "customer", "replacement_order").filter(pk=return_id).first()
    )
    if found is None or kind not in SUBJECTS:
        return False
    customer = found.customer
    if not customer.transactional_email or not customer.email or customer.erased_at:
        return False
    context = {
        "return": found,
        "order": found.order,
        "customer": customer,
        "returns_url": f"{settings.SITE_URL}/account/returns/",
    }
    send_mail(
        SUBJECTS[kind].format(number=found.order.number),
        render_to_string(f"orders/email/return_{kind}.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [customer.email],
    )
    return True
