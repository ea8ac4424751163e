"""Saved bank accounts for bank-transfer refunds: IBANs validated by their ISO 13616 checksum."""

import re

from django.db import IntegrityError, transaction

from config.errors import Conflict, NotFound, ValidationFailed
from customers.models import BankAccount, Customer

_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")

# Lengths of the IBAN countries most likely here; others are checked by format and checksum only.
_LENGTHS = {
    "AT": 20, "BE": 16, "CH": 21, "CZ": 24, "DE": 22, "DK": 18, "ES": 24, "FI": 18, "FR": 27,
    "GB": 22, "GR": 27, "IE": 22, "IT": 27, "LU": 20, "NL": 18, "NO": 15, "PL": 28, "PT": 25,
    "SE": 24,
}  # fmt: skip


def iban_normalize(value: str) -> str:
    """The IBAN without spaces, upper case; raises `ValidationFailed` naming `iban` when invalid."""
    iban = re.sub(r"[\s-]+", "", value or "").upper()
    if not _IBAN.match(iban):
        raise ValidationFailed.on("iban", "Enter a valid IBAN (country code, check digits, account).")
    expected = _LENGTHS.get(iban[:2])
    if expected and len(iban) != expected:
        raise ValidationFailed.on("iban", f"An IBAN of {iban[:2]} has {expected} characters.")
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    if int(digits) % 97 != 1:
        raise ValidationFailed.on("iban", "This IBAN's check digits are wrong; check for a typo.")
    return iban


@transaction.atomic
def bank_account_create(*, customer: Customer, holder_name: str, iban: str) -> BankAccount:
    """Save a bank account for refunds; the same IBAN twice is 409."""
    holder_name = (holder_name or "").strip()
    if not holder_name:
        raise ValidationFailed.on("holder_name", "The account holder's name is required.")
    iban = iban_normalize(iban)
    if BankAccount.objects.filter(customer=customer, iban=iban).exists():
        raise Conflict("This bank account is already saved.", details={"iban": ["Already saved."]})
    try:
        with transaction.atomic():
            return BankAccount.objects.create(customer=customer, holder_name=holder_name, iban=iban)
    except IntegrityError:
        raise Conflict("This bank account is already saved.", details={"iban": ["Already saved."]})


@transaction.atomic
def bank_account_delete(*, customer: Customer, public_id: str) -> None:
    """Remove one of the customer's saved accounts (another customer's is 404)."""
    deleted, _ = BankAccount.objects.filter(customer=customer, public_id=public_id).delete()
    if not deleted:
        raise NotFound("No such bank account.")
