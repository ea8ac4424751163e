"""The payment provider interface and the deterministic development provider.

`settings.PAYMENT_PROVIDER` names the class (dotted path). A provider has two methods:

- `charge(*, amount, currency, method, token, reference) -> ProviderResult`
- `refund(*, amount, currency, mode, payment_reference, reference) -> ProviderResult`

`DevelopmentProvider` (the default) never talks to a network and always answers the same way:

- card charges with the token `tok_decline` fail ("Card declined."); any other token succeeds;
- bank-transfer charges stay `pending` until the transfer arrives;
- refunds to the original payment succeed; refunds by bank transfer stay `pending` until sent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

DECLINE_TOKEN = "tok_decline"  # noqa: S105 - a documented test token, not a secret


@dataclass(frozen=True)
class ProviderResult:
    """What the provider answered: `succeeded`, `pending` or `failed`."""

    status: str
    reference: str = ""
    failure_reason: str = ""


class PaymentProvider:
    """The interface every provider implements."""

    def charge(
        self, *, amount: Decimal, currency: str, method: str, token: str, reference: str
    ) -> ProviderResult:
        raise NotImplementedError

    def refund(
        self, *, amount: Decimal, currency: str, mode: str, payment_reference: str, reference: str
    ) -> ProviderResult:
        raise NotImplementedError


def _ref(prefix: str, *parts: object) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:16]
    return f"{prefix}_{digest}"


class DevelopmentProvider(PaymentProvider):
    """Deterministic, offline provider for development, demos and tests (see the module docstring)."""

    def charge(self, *, amount, currency, method, token, reference):
        if method == "bank_transfer":
            return ProviderResult(status="pending", reference=_ref("dev_ch", reference, amount))
        if token == DECLINE_TOKEN:
            return ProviderResult(status="failed", failure_reason="Card declined.")
        return ProviderResult(status="succeeded", reference=_ref("dev_ch", reference, amount, token))

    def refund(self, *, amount, currency, mode, payment_reference, reference):
        if mode == "bank_transfer":
            return ProviderResult(status="pending", reference=_ref("dev_tr", reference, amount))
        return ProviderResult(status="succeeded", reference=_ref("dev_re", reference, amount))


@cache
def _provider_class(path: str) -> type[PaymentProvider]:
    return import_string(path)


def get_payment_provider() -> PaymentProvider:
    """The provider configured in `settings.PAYMENT_PROVIDER`."""
    return _provider_class(settings.PAYMENT_PROVIDER)()
