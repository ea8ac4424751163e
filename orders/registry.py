"""Registries that let higher apps (scents, reviews) extend the catalog without orders importing them.

- Product fields: `register_product_field("notes", selector, schema=serializers.ListField(...))`.
  A selector takes a list of Product objects and returns `{product.pk: value}` (one query for
  the whole page, never one per product). `select_related="rating"` names a one-to-one row of
  the higher app that the product queries join, so a selector reading it costs no query at all.
- Product filters: `register_product_filter("note", apply, schema=OpenApiParameter(...))`;
  `apply(queryset, value)` returns the filtered queryset.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProductField:
    name: str
    selector: Callable[[list], dict[int, Any]]
    schema: Any = None
    select_related: str | None = None


@dataclass(frozen=True)
class ProductFilter:
    name: str
    apply: Callable
    schema: Any = None


_fields: dict[str, ProductField] = {}
_filters: dict[str, ProductFilter] = {}


def register_product_field(
    name: str, selector: Callable, *, schema: Any = None, select_related: str | None = None
) -> None:
    _fields[name] = ProductField(name=name, selector=selector, schema=schema, select_related=select_related)


def register_product_filter(name: str, apply: Callable, *, schema: Any = None) -> None:
    _filters[name] = ProductFilter(name=name, apply=apply, schema=schema)


def product_fields() -> list[ProductField]:
    return list(_fields.values())


def product_select_related() -> list[str]:
    """The relations the registered fields read, for the product queries to join."""
    return sorted({f.select_related for f in _fields.values() if f.select_related})


def product_filters() -> list[ProductFilter]:
    return list(_filters.values())


# Product writers: `register_product_writer("notes", write)`; `write(product, value)` stores a
# value another app owns (e.g. the scents app's note slugs) when staff create or change a product.
_writers: dict[str, Callable] = {}


def register_product_writer(name: str, write: Callable) -> None:
    _writers[name] = write


def product_writers() -> dict[str, Callable]:
    return dict(_writers)
