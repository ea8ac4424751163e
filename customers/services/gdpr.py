"""GDPR erasure: anonymize a customer account in one transaction.

Personal values are scrubbed wherever customers stores them (the customer and its login, the
audit history, addresses, bank accounts, contacts, OTP codes, stored idempotent answers,
login-attempt records, the admin's log) and every app's registered eraser scrubs its own (order
address snapshots, review author names, ...). Orders, ledgers and their amounts stay, for
accounting. Login is disabled and every refresh token is blacklisted; access tokens die with
the login because authentication refuses inactive users.
"""

from __future__ import annotations

from functools import partial

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from config.api.idempotency import idempotency_records_erase
from config.errors import Conflict, ValidationFailed
from customers import registry
from customers.models import Customer, OTPCode, User
from customers.services.events import customer_events_erase
from customers.services.profile import stored_file_delete

# Scrubbed values of the customer's columns (and of its historical rows).
_BLANK = {
    "salutation": "",
    "first_name": "",
    "last_name": "",
    "phone_number": "",
    "date_of_birth": None,
    "gender": "",
    "profile_image": "",
    "company_name": "",
    "website": "",
    "tax_id": "",
    "fax": "",
    "notes": "",
    "preferred_shipping": "",
}


def erased_email(customer: Customer) -> str:
    """A unique address that can never receive mail (`.invalid` is reserved, RFC 2606)."""
    return f"erased-{customer.public_id.lower()}@erased.invalid"


def _axes_records_erase(emails: set[str]) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        for email in emails:
            model.objects.filter(username__iexact=email).delete()


def _tokens_blacklist(user: User) -> None:
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )


@transaction.atomic
def customer_erase(*, customer: Customer, by: User | None) -> Customer:
    """Anonymize `customer` (GDPR erasure); 409 when it is already erased."""
    # Lock order: the customer, then its login.
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.erased_at is not None:
        raise Conflict("This customer has already been erased.")
    user = User.objects.select_for_update().get(pk=customer.user_id) if customer.user_id else None
    emails = {customer.email.lower()}
    if user is not None:
        emails.add(user.email.lower())

    # Other apps first, while the values they may need to find their copies are still here.
    for eraser in registry.erasers().values():
        eraser(customer)

    placeholder = erased_email(customer)
    old_image = customer.profile_image.name or ""
    image_storage = customer.profile_image.storage

    customer.addresses.all().delete()
    customer.bank_accounts.all().delete()
    contacts = getattr(customer, "contacts", None)
    if contacts is not None:
        contacts.all().delete()

    for field, value in _BLANK.items():
        setattr(customer, field, value)
    customer.email = placeholder
    customer.phone_verified = False
    customer.is_active = False
    customer.erased_at = timezone.now()
    for field in ("email_marketing", "sms_marketing", "promotional_whatsapp", "transactional_sms"):
        setattr(customer, field, False)
    for field in ("transactional_whatsapp", "newsletter_email", "newsletter_sms", "newsletter_whatsapp"):
        setattr(customer, field, False)
    if isinstance(by, User) and by.pk is not None:
        customer._history_user = by
    customer._change_reason = "GDPR erasure"
    customer.save()
    # The audit history keeps who changed what and when, without the personal values.
    Customer.history.filter(id=customer.pk).update(email=placeholder, **_BLANK)

    if user is not None:
        user.email = placeholder
        user.full_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["email", "full_name", "is_active", "password"])
        OTPCode.objects.filter(user=user).delete()
        idempotency_records_erase(caller=f"user:{user.pk}")
        _tokens_blacklist(user)

    _axes_records_erase(emails)
    customer_events_erase(customer=customer)
    # The admin's log names objects by their str(), which held the name and email.
    for model, pk in ((Customer, customer.pk), (User, customer.user_id)):
        if pk is None:
            continue
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=str(pk)
        ).update(object_repr=f"Erased customer {customer.public_id}")

    if old_image:
        transaction.on_commit(partial(stored_file_delete, image_storage, old_image))
    return customer


def customer_self_erase(*, customer: Customer, password: str) -> Customer:
    """The customer's own erasure request, confirmed with their password."""
    user = customer.user
    if user is None or not password or not user.check_password(password):
        raise ValidationFailed.on("password", "The password is not correct.")
    return customer_erase(customer=customer, by=user)
