"""Registries that let higher apps (orders, loyalty, scents, reviews) extend what customers shows.

`customers` sits below those apps and must not import them. Each app fills these registries in
its `AppConfig.ready()`; customers calls them without knowing who is behind them.

- Profile sections: `register_profile_section("order_stats", selector, schema=Serializer())`.
  A selector takes a list of Customer objects and returns `{customer.pk: value}`, so composing
  a list of profiles never costs a query per customer.
- GDPR export sections: `register_export_section("orders", exporter)`; an exporter takes one
  customer and returns JSON-serialisable data.
- GDPR erasure steps: `register_eraser("orders", eraser)`; an eraser takes one customer and
  scrubs that app's personal values, inside the erasure's transaction.
- Registration hooks: `register_signup_hook("loyalty", hook)`; a hook takes the new customer
  and runs inside the registration's transaction (e.g. a pending referral).
- Customer order totals (staff customer API): `register_customer_order_totals(selector)`; the
  selector takes a list of customers and returns `{customer.pk: {"lifetime_value", "total_orders"}}`
  in one aggregate query. Without one (orders not installed) both are zero. Its optional
  `annotate(queryset)` puts the same figures on a list's own query (two correlated subqueries),
  so a page of customers costs no extra query; the selector reads them when they are there.
- Customer analytics (staff API and admin): `register_customer_analytics(selector)`; the selector
  takes `customer=` and `period=` (`30d`, `90d`, `1y`, `all`) and returns the analytics document.
- Staff customer list filters: `register_customer_filter("membership_tier", apply)`; `apply(queryset,
  value)` narrows the staff customer list (e.g. loyalty's tier), so customers needn't know loyalty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProfileSection:
    name: str
    selector: Callable[[list], dict[int, Any]]
    schema: Any = None  # a serializer field or instance describing the value, for the OpenAPI schema


_profile_sections: dict[str, ProfileSection] = {}
_export_sections: dict[str, Callable] = {}
_erasers: dict[str, Callable] = {}
_signup_hooks: dict[str, Callable] = {}
_customer_order_totals: list[Callable] = []
_customer_order_totals_annotate: list[Callable] = []
_customer_analytics: list[Callable] = []
_customer_filters: dict[str, Callable] = {}


def register_profile_section(name: str, selector: Callable, *, schema: Any = None) -> None:
    _profile_sections[name] = ProfileSection(name=name, selector=selector, schema=schema)


def register_export_section(name: str, exporter: Callable) -> None:
    _export_sections[name] = exporter


def register_eraser(name: str, eraser: Callable) -> None:
    _erasers[name] = eraser


def register_signup_hook(name: str, hook: Callable) -> None:
    _signup_hooks[name] = hook


def profile_sections() -> list[ProfileSection]:
    return list(_profile_sections.values())


def export_sections() -> dict[str, Callable]:
    return dict(_export_sections)


def erasers() -> dict[str, Callable]:
    return dict(_erasers)


def signup_hooks() -> dict[str, Callable]:
    return dict(_signup_hooks)


def register_customer_order_totals(selector: Callable, *, annotate: Callable | None = None) -> None:
    _customer_order_totals[:] = [selector]
    _customer_order_totals_annotate[:] = [annotate] if annotate else []


def register_customer_analytics(selector: Callable) -> None:
    _customer_analytics[:] = [selector]


def register_customer_filter(name: str, apply: Callable) -> None:
    _customer_filters[name] = apply


def customer_order_totals() -> Callable | None:
    return _customer_order_totals[0] if _customer_order_totals else None


def customer_order_totals_annotate() -> Callable | None:
    return _customer_order_totals_annotate[0] if _customer_order_totals_annotate else None


def customer_analytics() -> Callable | None:
    return _customer_analytics[0] if _customer_analytics else None


def customer_filters() -> dict[str, Callable]:
    return dict(_customer_filters)
