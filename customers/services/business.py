"""Business customers: staff create and update, contacts, and credit checks with approval.

Credit limits change in exactly two ways: the opening limit when a customer is created, and an
approved credit check. Both are recorded in the customer's audit history (who, when, why).

Credit checks are a small state machine: `pending_approval` → `approved` | `rejected`, or
`not_required` from the start when the recommendation equals the current limit. A decision locks
the customer row, then the check (the same order everywhere), re-checks the state and records who
decided and when.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from config.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from customers.models import Address, Contact, CreditCheck, Customer, User
from customers.services.addresses import address_normalize
from customers.services.events import (
    CONTACTS,
    credit_check_decided_record,
    customer_event_record,
    customer_updated_record,
)
from integrations import events

APPROVE_PERMISSION = "customers.approve_credit"
CENT = Decimal("0.01")

# Fields staff may set on create and change on update (credit_limit only on create).
PROFILE_FIELDS = [
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
    "discount_rate",
    "preferred_shipping",
    "notes",
    "is_active",
]


# --- credit-check providers --------------------------------------------------------------------


@dataclass(frozen=True)
class CreditAssessment:
    """What a provider answers: a 300–850 score, its band, a risk assessment and a limit."""

    credit_score: int
    credit_rating: str
    risk_assessment: str
    recommended_credit_limit: Decimal
    factors: dict[str, Any] = field(default_factory=dict)


class CreditCheckProvider(Protocol):
    name: str

    def assess(self, *, customer: Customer) -> CreditAssessment: ...


def credit_provider_get() -> CreditCheckProvider:
    """The provider named by `CREDIT_CHECK_PROVIDER`."""
    return import_string(settings.CREDIT_CHECK_PROVIDER)()


# --- customers -----------------------------------------------------------------------------------


def _email_taken(email: str, *, exclude_pk: int | None = None) -> bool:
    customers = Customer.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        customers = customers.exclude(pk=exclude_pk)
    return customers.exists()


def _check_money(name: str, value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    value = Decimal(value).quantize(CENT)
    if value < 0:
        raise ValidationFailed.on(name, "Must be zero or more.")
    return value


def _normalized_address(field_name: str, data: dict) -> dict:
    try:
        return address_normalize(data=data)
    except ValidationFailed as exc:
        raise ValidationFailed(f"{field_name}: {exc.message}", details={field_name: exc.details})


def _contacts_check(contacts: list[dict]) -> list[dict]:
    primaries = [index for index, c in enumerate(contacts) if c.get("is_primary")]
    if len(primaries) > 1:
        raise ValidationFailed.on("contacts", "Only one contact can be primary.")
    for index, contact in enumerate(contacts):
        if not str(contact.get("name") or "").strip():
            raise ValidationFailed.on(f"contacts[{index}].name", "The contact's name is required.")
    if contacts and not primaries:
        contacts = [{**contacts[0], "is_primary": True}, *contacts[1:]]
    return contacts


@transaction.atomic
def customer_create(
    *,
    by: User | None,
    kind: str,
    email: str,
    credit_limit: Decimal = Decimal("0.00"),
    billing_address: dict | None = None,
    shipping_address: dict | None = None,
    contacts: list[dict] | None = None,
    **fields: Any,
) -> Customer:
    """Create a customer (business ones with contacts and addresses) in one transaction.

    `credit_limit` is the opening limit; the creation's history row records it with its author.
    """
    email = User.objects.normalize_email((email or "").strip())
    if not email:
        raise ValidationFailed.on("email", "The email address is required.")
    if kind not in Customer.Kind.values:
        raise ValidationFailed.on("kind", "One of individual, business.")
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if kind == Customer.Kind.BUSINESS and not str(fields.get("company_name") or "").strip():
        raise ValidationFailed.on("name", "A business customer needs its company name.")
    if kind == Customer.Kind.INDIVIDUAL and (credit_limit or contacts):
        raise ValidationFailed.on("kind", "Credit limits and contacts are for business customers.")
    credit_limit = _check_money("credit_limit", credit_limit) or Decimal("0.00")
    contacts = _contacts_check(list(contacts or []))
    billing = _normalized_address("billing_address", billing_address) if billing_address else None
    shipping = _normalized_address("shipping_address", shipping_address) if shipping_address else None
    if _email_taken(email):
        raise Conflict("A customer with this email already exists.", details={"email": ["Already used."]})

    customer = Customer(kind=kind, email=email, credit_limit=credit_limit, **fields)
    customer._history_user = by
    customer._change_reason = f"Created with opening credit limit {credit_limit}"
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError:
        raise Conflict("A customer with this email already exists.", details={"email": ["Already used."]})

    if billing and shipping and billing != shipping:
        Address.objects.create(customer=customer, is_default_billing=True, **billing)
        Address.objects.create(customer=customer, is_default_shipping=True, **shipping)
    elif billing or shipping:
        Address.objects.create(
            customer=customer, is_default_billing=True, is_default_shipping=True, **(billing or shipping)
        )
    Contact.objects.bulk_create(
        [
            Contact(
                customer=customer,
                name=str(c["name"]).strip(),
                title=str(c.get("title") or "").strip(),
                email=str(c.get("email") or "").strip(),
                phone=c.get("phone") or "",
                is_primary=bool(c.get("is_primary")),
            )
            for c in contacts
        ]
    )
    customer_event_record(events.CUSTOMER_CREATED, customer=customer)
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, by: User | None, data: dict[str, Any]) -> Customer:
    """Change a customer's profile and terms; `credit_limit` only through an approved credit check."""
    customer.refresh_from_db(from_queryset=Customer.objects.select_for_update())
    requested_limit = data.get("credit_limit")
    if requested_limit is not None and Decimal(requested_limit).quantize(CENT) != customer.credit_limit:
        raise ValidationFailed.on(
            "credit_limit",
            "The credit limit changes only through an approved credit check: "
            f"POST /api/customers/{customer.public_id}/credit-check.",
        )
    changes = {key: value for key, value in data.items() if key in PROFILE_FIELDS}
    if "email" in changes:
        changes["email"] = User.objects.normalize_email(str(changes["email"]).strip())
        if _email_taken(changes["email"], exclude_pk=customer.pk):
            raise Conflict("A customer with this email already exists.", details={"email": ["Already used."]})
    if (
        customer.kind == Customer.Kind.BUSINESS
        and "company_name" in changes
        and not str(changes["company_name"] or "").strip()
    ):
        raise ValidationFailed.on("name", "A business customer needs its company name.")
    changed = [key for key, value in changes.items() if getattr(customer, key) != value]
    for key, value in changes.items():
        setattr(customer, key, value)
    customer._history_user = by
    customer._change_reason = "Updated by staff"
    customer.save()
    customer_updated_record(customer=customer, changed=changed)
    return customer


def customer_get(*, public_id: str) -> Customer:
    customer = Customer.objects.filter(public_id=public_id, erased_at__isnull=True).first()
    if customer is None:
        raise NotFound("No such customer.")
    return customer


# --- contacts ------------------------------------------------------------------------------------


def _lock_customer(customer: Customer) -> None:
    Customer.objects.select_for_update().filter(pk=customer.pk).first()


@transaction.atomic
def contact_create(
    *,
    customer: Customer,
    name: str,
    title: str = "",
    email: str = "",
    phone: str = "",
    is_primary: bool = False,
) -> Contact:
    """Add a contact; the first one, or one made primary, becomes the only primary."""
    if not (name or "").strip():
        raise ValidationFailed.on("name", "The contact's name is required.")
    _lock_customer(customer)
    has_primary = Contact.objects.filter(customer=customer, is_primary=True).exists()
    if is_primary or not has_primary:
        Contact.objects.filter(customer=customer, is_primary=True).update(is_primary=False)
        is_primary = True
    contact = Contact.objects.create(
        customer=customer,
        name=name.strip(),
        title=(title or "").strip(),
        email=(email or "").strip(),
        phone=phone or "",
        is_primary=is_primary,
    )
    customer_updated_record(customer=customer, changed=[CONTACTS])
    return contact


def contact_get(*, customer: Customer, public_id: str) -> Contact:
    contact = Contact.objects.filter(customer=customer, public_id=public_id).first()
    if contact is None:
        raise NotFound("No such contact.")
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, data: dict[str, Any]) -> Contact:
    """Change a contact; making it primary clears the previous primary. The primary stays primary
    until another is made primary (there is always exactly one)."""
    _lock_customer(contact.customer)
    contact.refresh_from_db(from_queryset=Contact.objects.select_for_update())
    if "name" in data and not str(data["name"] or "").strip():
        raise ValidationFailed.on("name", "The contact's name is required.")
    if data.get("is_primary") is False and contact.is_primary:
        raise ValidationFailed.on("is_primary", "Make another contact primary instead.")
    if data.get("is_primary") and not contact.is_primary:
        Contact.objects.filter(customer_id=contact.customer_id, is_primary=True).update(is_primary=False)
        contact.is_primary = True
    for key in ("name", "title", "email", "phone"):
        if key in data:
            setattr(contact, key, str(data[key] or "").strip())
    contact.save()
    customer_updated_record(customer=contact.customer, changed=[CONTACTS])
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    """Delete a contact; deleting the primary promotes the most recently updated remaining one."""
    _lock_customer(contact.customer)
    was_primary = Contact.objects.filter(pk=contact.pk, is_primary=True).exists()
    contact.delete()
    if was_primary:
        successor = (
            Contact.objects.filter(customer_id=contact.customer_id).order_by("-updated_at", "-id").first()
        )
        if successor is not None:
            Contact.objects.filter(pk=successor.pk).update(is_primary=True)
    customer_updated_record(customer=contact.customer, changed=[CONTACTS])


# --- credit checks -------------------------------------------------------------------------------


@transaction.atomic
def credit_check_run(*, customer: Customer, by: User | None) -> CreditCheck:
    """Score the customer with the configured provider and record the check.

    A recommendation that differs from the current limit waits for approval; an equal one is
    `not_required`. One check at a time may wait for approval per customer (409).
    """
    customer.refresh_from_db(from_queryset=Customer.objects.select_for_update())
    if customer.kind != Customer.Kind.BUSINESS:
        raise Conflict("Credit checks are for business customers.")
    if CreditCheck.objects.filter(customer=customer, status=CreditCheck.Status.PENDING_APPROVAL).exists():
        raise Conflict("A credit check of this customer is already waiting for approval.")
    provider = credit_provider_get()
    assessment = provider.assess(customer=customer)
    if not 300 <= assessment.credit_score <= 850:
        raise ValueError(f"{provider.name} scored {assessment.credit_score}, outside 300–850.")
    recommended = Decimal(assessment.recommended_credit_limit).quantize(CENT)
    status = (
        CreditCheck.Status.NOT_REQUIRED
        if recommended == customer.credit_limit
        else CreditCheck.Status.PENDING_APPROVAL
    )
    try:
        with transaction.atomic():
            credit_check = CreditCheck.objects.create(
                customer=customer,
                provider=getattr(provider, "name", type(provider).__name__),
                credit_score=assessment.credit_score,
                credit_rating=assessment.credit_rating,
                risk_assessment=assessment.risk_assessment,
                factors=assessment.factors,
                recommended_credit_limit=recommended,
                current_credit_limit=customer.credit_limit,
                status=status,
                requested_by=by if getattr(by, "pk", None) else None,
            )
    except IntegrityError:
        raise Conflict("A credit check of this customer is already waiting for approval.")
    if credit_check.status == CreditCheck.Status.NOT_REQUIRED:
        # Nothing waits for a decision: the check is decided (the limit stays) as it is made.
        credit_check_decided_record(credit_check=credit_check)
    return credit_check


def _decide_lock(credit_check: CreditCheck, by: User | None) -> Customer:
    if by is None or not by.is_active or not by.is_staff or not by.has_perm(APPROVE_PERMISSION):
        raise PermissionDenied("Deciding credit checks needs the credit-approval permission.")
    # Lock order: the customer, then the check.
    customer = Customer.objects.select_for_update().get(pk=credit_check.customer_id)
    credit_check.refresh_from_db(from_queryset=CreditCheck.objects.select_for_update())
    if not credit_check.can_decide():
        raise InvalidTransition(
            f"Credit check {credit_check.public_id} is {credit_check.status}; only a pending one can be decided."
        )
    return customer


@transaction.atomic
def credit_check_approve(*, credit_check: CreditCheck, by: User, note: str = "") -> CreditCheck:
    """Approve a pending check: the customer's credit limit becomes the recommended one (audited)."""
    customer = _decide_lock(credit_check, by)
    previous = customer.credit_limit
    customer.credit_limit = credit_check.recommended_credit_limit
    customer._history_user = by
    customer._change_reason = (
        f"Credit check {credit_check.public_id} approved: {previous} → {customer.credit_limit}"
    )[:100]
    customer.save()
    credit_check.status = CreditCheck.Status.APPROVED
    credit_check.decided_by, credit_check.decided_at = by, timezone.now()
    credit_check.note = (note or "").strip()
    credit_check.save(update_fields=["status", "decided_by", "decided_at", "note"])
    credit_check.customer = customer
    credit_check_decided_record(credit_check=credit_check)
    customer_updated_record(customer=customer, changed=["credit_limit"])
    return credit_check


@transaction.atomic
def credit_check_reject(*, credit_check: CreditCheck, by: User, note: str) -> CreditCheck:
    """Reject a pending check with a note; the credit limit stays."""
    note = (note or "").strip()
    if not note:
        raise ValidationFailed.on("note", "Say why the recommendation is rejected.")
    customer = _decide_lock(credit_check, by)
    credit_check.status = CreditCheck.Status.REJECTED
    credit_check.decided_by, credit_check.decided_at = by, timezone.now()
    credit_check.note = note
    credit_check.save(update_fields=["status", "decided_by", "decided_at", "note"])
    credit_check.customer = customer
    credit_check_decided_record(credit_check=credit_check)
    return credit_check


def credit_check_get(*, public_id: str) -> CreditCheck:
    credit_check = CreditCheck.objects.select_related("customer").filter(public_id=public_id).first()
    if credit_check is None:
        raise NotFound("No such credit check.")
    return credit_check


# --- GDPR ----------------------------------------------------------------------------------------


def contacts_export(customer: Customer) -> list[dict[str, Any]]:
    """A business customer's contacts as plain data, for the GDPR export."""
    return [
        {
            "name": c.name,
            "title": c.title,
            "email": c.email,
            "phone": str(c.phone or ""),
            "is_primary": c.is_primary,
        }
        for c in customer.contacts.order_by("-is_primary", "name", "id")
    ]


def contacts_erase(customer: Customer) -> None:
    """Scrub the contacts' personal values inside the erasure's transaction (the rows stay, one primary)."""
    for contact in customer.contacts.select_for_update().order_by("pk"):
        contact.name, contact.title, contact.email, contact.phone = "Erased contact", "", "", ""
        contact.save(update_fields=["name", "title", "email", "phone", "updated_at"])
    customer.credit_checks.update(note="")
