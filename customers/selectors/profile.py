"""Reads of the customer profile: the profile with its registered sections, and the GDPR export."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, Prefetch, prefetch_related_objects
from django.utils import timezone

from customers import registry
from customers.models import Address, Customer
from customers.selectors.notifications import notification_preferences_get

# The address book's order, served by the `customers_address_book_order` index.
ADDRESS_BOOK_ORDER = (
    F("is_default_billing").desc(),
    F("is_default_shipping").desc(),
    F("updated_at").desc(),
    F("id").desc(),
)

# Customer columns holding personal values: exported, and scrubbed by the erasure.
PERSONAL_FIELDS = [
    "email",
    "salutation",
    "first_name",
    "last_name",
    "phone_number",
    "date_of_birth",
    "gender",
    "profile_image",
    "company_name",
    "website",
    "tax_id",
    "fax",
    "notes",
    "preferred_shipping",
]

# What the history export shows of each change; business columns are included because they
# are the customer's own record, internal columns (ids, timestamps) are not.
_HISTORY_FIELDS = [
    *PERSONAL_FIELDS,
    "phone_verified",
    "kind",
    "preferred_currency",
    "reminder_frequency",
    "email_marketing",
    "sms_marketing",
    "promotional_whatsapp",
    "transactional_email",
    "transactional_sms",
    "transactional_whatsapp",
    "newsletter_email",
    "newsletter_sms",
    "newsletter_whatsapp",
    "payment_terms",
    "currency",
    "credit_limit",
    "current_balance",
    "discount_rate",
    "is_active",
    "erased_at",
]


def address_book_queryset():
    return Address.objects.order_by(*ADDRESS_BOOK_ORDER)


def profile_sections_attach(*, customers: list[Customer]) -> None:
    """Run each registered profile section once for all `customers` and attach the values.

    Sets `customer.profile_sections = {name: value}`; a section with nothing for a customer is
    None, a section nobody registered is absent.
    """
    values: dict[int, dict[str, Any]] = {customer.pk: {} for customer in customers}
    for section in registry.profile_sections():
        found = section.selector(customers) if customers else {}
        for customer in customers:
            values[customer.pk][section.name] = found.get(customer.pk)
    for customer in customers:
        customer.profile_sections = values[customer.pk]


def customer_profiles_prepare(*, customers: list[Customer]) -> list[Customer]:
    """Everything the profile shows, for many customers at once: addresses and sections."""
    prefetch_related_objects(customers, Prefetch("addresses", queryset=address_book_queryset()))
    profile_sections_attach(customers=customers)
    return customers


def customer_profile_get(*, customer: Customer) -> Customer:
    """The customer ready to serialise as a profile (a constant number of queries)."""
    return customer_profiles_prepare(customers=[customer])[0]


def _iso(value) -> Any:
    """A stored value as JSON: dates and times in ISO 8601, decimals and phones as strings."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return str(value)


def _value(customer, field: str) -> Any:
    value = getattr(customer, field)
    if field in ("phone_number", "fax") and not value:
        return ""
    return _iso(value)


def profile_image_url(customer: Customer, request=None) -> str | None:
    """The absolute URL of the profile picture (from the request's host, else SITE_URL), or None."""
    if not customer.profile_image:
        return None
    url = customer.profile_image.url
    if "://" in url:
        return url
    if request is not None:
        return request.build_absolute_uri(url)
    return settings.SITE_URL.rstrip("/") + url


def _history(customer: Customer) -> list[dict]:
    rows = list(Customer.history.filter(id=customer.pk).order_by("history_date", "history_id"))
    out = []
    previous = None
    for row in rows:
        changes = {}
        for field in _HISTORY_FIELDS:
            new = _value(row, field)
            old = _value(previous, field) if previous is not None else None
            if previous is None or old != new:
                changes[field] = {"old": old, "new": new} if previous is not None else {"new": new}
        if row.history_user_id is None:
            by = "system"
        elif row.history_user_id == customer.user_id:
            by = "you"
        else:
            by = "staff"
        out.append(
            {
                "changed_at": _iso(row.history_date),
                "change": {"+": "created", "~": "changed", "-": "deleted"}[row.history_type],
                "changed_by": by,
                "changes": changes,
            }
        )
        previous = row
    return out


PROTECTED_EXPORT_KEYS = {"exported_at", "user", "customer", "preferences", "history"}


def customer_export(*, customer: Customer) -> dict:
    """Every personal value the system holds on `customer`, from every app, as one document."""
    user = customer.user
    document: dict[str, Any] = {
        "exported_at": _iso(timezone.now()),
        "user": None
        if user is None
        else {
            "email": user.email,
            "full_name": user.full_name,
            "is_active": user.is_active,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "customer": {
            "id": customer.public_id,
            "kind": customer.kind,
            **{field: _value(customer, field) for field in PERSONAL_FIELDS},
            "profile_image_url": profile_image_url(customer),
            "phone_verified": customer.phone_verified,
            "referred_by_code": customer.referred_by_code,
            "accepted_terms_at": _iso(customer.accepted_terms_at),
            "payment_terms": customer.payment_terms,
            "currency": customer.currency,
            "credit_limit": str(customer.credit_limit),
            "current_balance": str(customer.current_balance),
            "discount_rate": str(customer.discount_rate),
            "is_active": customer.is_active,
            "customer_since": _iso(customer.customer_since),
            "created_at": _iso(customer.created_at),
            "updated_at": _iso(customer.updated_at),
        },
        "preferences": {
            "email_marketing": customer.email_marketing,
            "sms_marketing": customer.sms_marketing,
            "preferred_currency": customer.preferred_currency,
            "reminder_frequency": customer.reminder_frequency,
            "notifications": notification_preferences_get(customer=customer),
        },
        "addresses": [
            {
                "id": address.public_id,
                "name": address.name,
                "first_name": address.first_name,
                "last_name": address.last_name,
                "company": address.company,
                "line1": address.line1,
                "line2": address.line2,
                "line3": address.line3,
                "city": address.city,
                "state": address.state,
                "postal_code": address.postal_code,
                "country": str(address.country),
                "phone": str(address.phone) if address.phone else "",
                "is_default_billing": address.is_default_billing,
                "is_default_shipping": address.is_default_shipping,
                "created_at": _iso(address.created_at),
                "updated_at": _iso(address.updated_at),
            }
            for address in address_book_queryset().filter(customer=customer)
        ],
        "bank_accounts": [
            {
                "id": account.public_id,
                "holder_name": account.holder_name,
                "iban_last4": account.iban_last4,
                "created_at": _iso(account.created_at),
            }
            for account in customer.bank_accounts.order_by("-created_at")
        ],
        "history": _history(customer),
    }
    contacts = getattr(customer, "contacts", None)
    if contacts is not None:
        # Business contacts, once that model exists; exported with every concrete value they hold.
        document["contacts"] = [
            {
                field.name: _iso(getattr(contact, field.attname))
                for field in contact._meta.concrete_fields
                if field.name not in ("id", "customer")
            }
            for contact in contacts.all()
        ]
    for name, exporter in registry.export_sections().items():
        if name in PROTECTED_EXPORT_KEYS:
            raise ImproperlyConfigured(f"Export section {name!r} clashes with a core key of the export.")
        # An app that owns a part (e.g. `addresses`) may register it; its version replaces ours.
        document[name] = exporter(customer)
    return document
