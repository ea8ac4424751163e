"""Reads of the address book, already filtered to one customer."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from config.errors import NotFound
from customers.models import Address, Customer

# Defaults first (billing, then shipping), then the most recently updated; served by the
# `customers_address_book_order` index.
BOOK_ORDER = ("-is_default_billing", "-is_default_shipping", "-updated_at", "-pk")


def address_list_for_customer(*, customer: Customer) -> QuerySet[Address]:
    """The customer's addresses, defaults first, then the most recently updated."""
    return Address.objects.filter(customer=customer).order_by(*BOOK_ORDER)


def address_get_for_customer(*, customer: Customer, public_id: str) -> Address:
    """One of the customer's addresses; another customer's (or none) is `NotFound`."""
    address = (
        Address.objects.filter(customer=customer, public_id=public_id).select_related("customer").first()
    )
    if address is None:
        raise NotFound("No such address.")
    return address


def address_lists_for_customers(*, customers: list[Customer]) -> dict[int, list[Address]]:
    """The address books of many customers in one query: `{customer.pk: [addresses]}` (profile lists)."""
    books: dict[int, list[Address]] = defaultdict(list)
    for address in Address.objects.filter(customer__in=customers).order_by("customer_id", *BOOK_ORDER):
        books[address.customer_id].append(address)
    return {customer.pk: books.get(customer.pk, []) for customer in customers}


def address_default_for_customer(*, customer: Customer, kind: str) -> Address | None:
    """The customer's default `billing` or `shipping` address, if any (checkout, order ingest)."""
    field = {"billing": "is_default_billing", "shipping": "is_default_shipping"}[kind]
    return Address.objects.filter(customer=customer, **{field: True}).first()
