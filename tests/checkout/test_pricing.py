"""The pricing service: line totals, codes, points, shipping methods and contained tax."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from orders.pricing import VatTableTaxCalculator, discount_amount, points_usable, quote, shipping_methods


def _code(kind, value):
    return SimpleNamespace(kind=kind, value=Decimal(value))


def _lines(*prices_quantities):
    return [(i, None, q, Decimal(p)) for i, (p, q) in enumerate(prices_quantities)]


def test_quote_totals_follow_the_contract_formula():
    # given 2 × 20.00 + 1 × 15.50, 10% off, 500 points and standard shipping to the US
    result = quote(
        lines=_lines(("20.00", 2), ("15.50", 1)),
        codes=[_code("percentage", "10")],
        points=500,
        country="US",
        shipping_method="standard",
        currency="USD",
    )
    assert result.subtotal == Decimal("55.50")
    assert result.discount_total == Decimal("5.55")
    assert result.points_applied == 500
    assert result.points_discount == Decimal("5.00")
    assert result.shipping_total == Decimal("4.95")
    assert result.total == Decimal("55.50") - Decimal("5.55") - Decimal("5.00") + Decimal("4.95")
    assert result.tax_total == Decimal("0.00")  # no VAT table entry for the US


def test_quote_caps_points_at_the_subtotal_after_codes():
    result = quote(
        lines=_lines(("10.00", 1)),
        codes=[_code("fixed", "4.00")],
        points=5000,
        country="US",
        shipping_method="",
        currency="USD",
    )
    assert result.discount_total == Decimal("4.00")
    assert result.points_applied == 600
    assert result.points_discount == Decimal("6.00")
    assert result.total == Decimal("0.00")


def test_quote_tax_is_the_vat_contained_in_the_total(settings):
    settings.TAX_VAT_RATES = {"DE": "19"}
    result = quote(
        lines=_lines(("119.00", 1)),
        codes=[],
        points=0,
        country="DE",
        shipping_method="standard",
        currency="EUR",
    )
    # free standard shipping over 75.00; 119.00 contains 19.00 VAT
    assert result.shipping_total == Decimal("0.00")
    assert result.tax_total == Decimal("19.00")


def test_shipping_methods_use_country_prices_and_free_standard_over_the_threshold(settings):
    settings.SHIPPING_FREE_STANDARD_OVER = Decimal("50.00")
    below = {m.code: m.price for m in shipping_methods(country="CA", goods_total=Decimal("49.99"))}
    above = {m.code: m.price for m in shipping_methods(country="CA", goods_total=Decimal("50.00"))}
    assert below == {"standard": Decimal("9.95"), "express": Decimal("19.95")}
    assert above == {"standard": Decimal("0.00"), "express": Decimal("19.95")}


@pytest.mark.parametrize(
    ("kind", "value", "base", "expected"),
    [("percentage", "25", "40.00", "10.00"), ("fixed", "50", "40.00", "40.00"), ("fixed", "5", "0", "0.00")],
)
def test_discount_amount_never_exceeds_its_base(kind, value, base, expected):
    assert discount_amount(kind=kind, value=Decimal(value), base=Decimal(base)) == Decimal(expected)


def test_points_usable_rounds_down_to_whole_points():
    assert points_usable(points=1000, room=Decimal("3.456")) == 345


def test_vat_calculator_uses_the_default_rate_elsewhere(settings):
    settings.TAX_VAT_RATES = {}
    settings.TAX_DEFAULT_RATE = Decimal("10")
    assert VatTableTaxCalculator().contained_tax(amount=Decimal("110.00"), country="XX") == Decimal("10.00")
