"""What customers records in the event outbox (`integrations`), and how erasure scrubs it.

`customer.created` and `customer.updated` carry the customer as the staff route
`GET /api/customers/{id}` answers it; `customer.updated` is recorded when a value that record
shows changes through a service (profile, staff update, a verified email or phone, an approved
credit limit, a default address, a contact); preferences and the profile image are not on that
record, so they record nothing. `customer.erased` carries only the id. `credit_check.decided` carries the check as
its routes answer it, for every check that ends decided (approved, rejected, or `not_required`
from the start).
"""

from __future__ import annotations

from typing import Any

from customers.models import CreditCheck, Customer
from integrations import events
from integrations.services import events_data_rewrite, record_event

DEFAULT_ADDRESSES, CONTACTS = "default_addresses", "contacts"
# What the staff customer record shows: profile columns (`name` is derived from them) and more.
RECORD_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "company_name",
        "email",
        "phone_number",
        "website",
        "tax_id",
        "fax",
        "payment_terms",
        "currency",
        "credit_limit",
        "discount_rate",
        "preferred_shipping",
        "notes",
        "is_active",
        # Not columns: the record's default billing and shipping addresses, and its contacts.
        DEFAULT_ADDRESSES,
        CONTACTS,
    }
)


def customer_event_data(customer: Customer) -> dict[str, Any]:
    """The customer as the staff detail route answers it (a fixed handful of queries)."""
    from customers.selectors.business import customer_order_totals, with_related
    from customers.serializers.business import CustomerOutputSerializer

    fresh = with_related(Customer.objects.filter(pk=customer.pk)).get()
    totals = customer_order_totals([fresh])
    return dict(CustomerOutputSerializer(fresh, context={"totals": totals}).data)


def customer_event_record(event_type: str, *, customer: Customer) -> None:
    record_event(event_type, customer_event_data(customer))


def customer_updated_record(*, customer: Customer, changed) -> None:
    """`customer.updated` when one of `changed` is a value the staff record shows."""
    if RECORD_FIELDS.intersection(changed):
        customer_event_record(events.CUSTOMER_UPDATED, customer=customer)


def credit_check_decided_record(*, credit_check: CreditCheck) -> None:
    from customers.serializers.business import CreditCheckOutputSerializer

    record_event(events.CREDIT_CHECK_DECIDED, dict(CreditCheckOutputSerializer(credit_check).data))


def customer_events_erase(*, customer: Customer) -> None:
    """Scrub the customer's own events and record `customer.erased` (id only).

    Earlier `customer.*` payloads keep only the id; credit-check payloads lose their note (as the
    checks do). Other apps scrub their own payloads in their erasers.
    """
    customer_id = customer.public_id
    events_data_rewrite(
        customer_id=customer_id,
        types=[events.CUSTOMER_CREATED, events.CUSTOMER_UPDATED],
        rewrite=lambda data: {"id": customer_id},
    )
    events_data_rewrite(
        customer_id=customer_id,
        types=[events.CREDIT_CHECK_DECIDED],
        rewrite=lambda data: {**data, "note": ""},
    )
    record_event(events.CUSTOMER_ERASED, {"id": customer_id})
