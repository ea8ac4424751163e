"""The one pricing service of the cart and checkout: line totals, discount codes, loyalty points,
shipping methods and the tax the prices contain.

Pure computation over objects the caller loaded (no queries). Prices include tax everywhere:
`total = subtotal - discount_total - points_discount + shipping_total`, and `tax_total` is the tax
that total contains, computed by the configured calculator (`settings.TAX_CALCULATOR`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- tax -------------------------------------------------------------------------------------


class TaxCalculator:
    """The interface: how much tax a tax-inclusive amount contains for a shipping country."""

    def contained_tax(self, *, amount: Decimal, country: str | None) -> Decimal:
        raise NotImplementedError


class VatTableTaxCalculator(TaxCalculator):
    """EU-style VAT: a percentage per country from `TAX_VAT_RATES` (else `TAX_DEFAULT_RATE`)."""

    def rate(self, country: str | None) -> Decimal:
        rates = settings.TAX_VAT_RATES
        return Decimal(str(rates.get((country or "").upper(), settings.TAX_DEFAULT_RATE)))

    def contained_tax(self, *, amount, country):
        rate = self.rate(country)
        if rate <= 0 or amount <= 0:
            return ZERO
        return money(amount * rate / (Decimal(100) + rate))


@cache
def _calculator_class(path: str) -> type[TaxCalculator]:
    return import_string(path)


def get_tax_calculator() -> TaxCalculator:
    return _calculator_class(settings.TAX_CALCULATOR)()


# --- shipping --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShippingMethod:
    code: str
    name: str
    price: Decimal
    estimated_days: int


def shipping_methods(*, country: str | None, goods_total: Decimal) -> list[ShippingMethod]:
    """Methods for a shipping country: the defaults, the country's prices, and free standard
    shipping when the goods (after codes) reach `SHIPPING_FREE_STANDARD_OVER`."""
    overrides = settings.SHIPPING_COUNTRY_PRICES.get((country or "").upper(), {})
    methods = []
    for code, method in settings.SHIPPING_METHODS.items():
        price = money(overrides.get(code, method["price"]))
        if code == "standard" and goods_total >= settings.SHIPPING_FREE_STANDARD_OVER:
            price = ZERO
        methods.append(
            ShippingMethod(
                code=code, name=method["name"], price=price, estimated_days=int(method["estimated_days"])
            )
        )
    return methods


# --- discounts and points ---------------------------------------------------------------------


def discount_amount(*, kind: str, value: Decimal, base: Decimal) -> Decimal:
    """What a code takes off `base` (the subtotal left after earlier codes), never more than it."""
    if base <= 0:
        return ZERO
    amount = money(base * value / Decimal(100)) if kind == "percentage" else money(value)
    return min(amount, base)


def points_value(points: int) -> Decimal:
    return money(Decimal(points) * settings.LOYALTY_POINT_VALUE)


def points_usable(*, points: int, room: Decimal) -> int:
    """How many of the held points fit into `room` (the subtotal after codes)."""
    if points <= 0 or room <= 0:
        return 0
    fit = int((room / settings.LOYALTY_POINT_VALUE).to_integral_value(rounding=ROUND_FLOOR))
    return max(0, min(points, fit))


# --- the quote -------------------------------------------------------------------------------


@dataclass
class PricedLine:
    key: object
    variant: object
    quantity: int
    unit_price: Decimal
    total: Decimal


@dataclass
class CodeAmount:
    code: object
    amount: Decimal


@dataclass
class Quote:
    currency: str
    lines: list[PricedLine] = field(default_factory=list)
    subtotal: Decimal = ZERO
    codes: list[CodeAmount] = field(default_factory=list)
    discount_total: Decimal = ZERO
    points_applied: int = 0
    points_discount: Decimal = ZERO
    shipping_method: str = ""
    shipping_total: Decimal = ZERO
    tax_total: Decimal = ZERO
    total: Decimal = ZERO


def quote(
    *,
    lines: list[tuple[object, object, int, Decimal]],
    codes: list,
    points: int,
    country: str | None,
    shipping_method: str,
    currency: str,
) -> Quote:
    """Price a basket. `lines` are `(key, variant, quantity, unit_price)`; `codes` DiscountCode
    objects in the order they were applied; `points` the points held."""
    result = Quote(currency=currency)
    for key, variant, quantity, unit_price in lines:
        unit_price = money(unit_price)
        result.lines.append(PricedLine(key, variant, quantity, unit_price, unit_price * quantity))
    result.subtotal = sum((line.total for line in result.lines), ZERO)

    remaining = result.subtotal
    for code in codes:
        amount = discount_amount(kind=code.kind, value=code.value, base=remaining)
        remaining -= amount
        result.codes.append(CodeAmount(code, amount))
    result.discount_total = result.subtotal - remaining

    result.points_applied = points_usable(points=points, room=remaining)
    result.points_discount = points_value(result.points_applied)

    if shipping_method and result.lines:
        methods = {m.code: m for m in shipping_methods(country=country, goods_total=remaining)}
        method = methods.get(shipping_method)
        if method is not None:
            result.shipping_method = method.code
            result.shipping_total = method.price

    result.total = result.subtotal - result.discount_total - result.points_discount + result.shipping_total
    result.tax_total = get_tax_calculator().contained_tax(amount=result.total, country=country)
    return result
