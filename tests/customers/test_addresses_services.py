"""The address book's rules: first address is the default, one default of each kind, hand-over on
delete, no duplicates; and the selectors' order."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.errors import Conflict, ValidationFailed
from customers.models import Address
from customers.selectors.addresses import (
    address_default_for_customer,
    address_get_for_customer,
    address_list_for_customer,
    address_lists_for_customers,
)
from customers.services.addresses import (
    address_create,
    address_delete,
    address_set_default,
    address_update,
)
from tests.customers.conftest import address_data

pytestmark = pytest.mark.django_db


def defaults(customer):
    billing = Address.objects.filter(customer=customer, is_default_billing=True)
    shipping = Address.objects.filter(customer=customer, is_default_shipping=True)
    return list(billing.values_list("pk", flat=True)), list(shipping.values_list("pk", flat=True))


def make(customer, n: int, **overrides) -> Address:
    return address_create(customer=customer, data=address_data(line1=f"{n} Market Street", **overrides))


def test_address_create_makes_the_first_address_default_billing_and_shipping(customer):
    # given an empty book, when an address is added with the flags false
    address = address_create(
        customer=customer, data=address_data(is_default_billing=False, is_default_shipping=False)
    )
    # then it is both defaults anyway
    assert address.is_default_billing and address.is_default_shipping
    assert address.public_id.startswith("addr_")


def test_address_create_keeps_the_existing_defaults_for_later_addresses(customer):
    first = make(customer, 1)
    second = make(customer, 2)
    assert not second.is_default_billing and not second.is_default_shipping
    assert defaults(customer) == ([first.pk], [first.pk])


def test_address_create_with_default_flag_moves_that_default_only(customer):
    first = make(customer, 1)
    second = make(customer, 2, is_default_shipping=True)
    assert defaults(customer) == ([first.pk], [second.pk])


def test_address_create_stores_the_normalised_address(customer):
    address = address_create(
        customer=customer,
        data={"line1": " 10  Downing Street ", "city": "London", "postal_code": "sw1a1aa", "country": "gb"},
    )
    address.refresh_from_db()
    assert (address.line1, address.postal_code, address.country.code) == (
        "10 Downing Street",
        "SW1A 1AA",
        "GB",
    )


def test_address_create_refuses_an_invalid_address_and_writes_nothing(customer):
    with pytest.raises(ValidationFailed):
        address_create(customer=customer, data=address_data(postal_code="ABCDE"))
    assert not Address.objects.exists()


def test_address_create_refuses_a_duplicate_after_normalisation_naming_the_existing_address(customer):
    # given an address in the book
    existing = make(customer, 1)
    # when the same address comes again, spelled differently and with another label
    with pytest.raises(Conflict) as caught:
        address_create(
            customer=customer,
            data=address_data(
                name="Work",
                line1="1  MARKET street",
                city="san francisco",
                state="California",
                phone="(415) 555-0123",
            ),
        )
    # then it is refused, naming the existing address
    assert caught.value.details == {"address_id": [existing.public_id]}
    assert existing.public_id in caught.value.message
    assert Address.objects.filter(customer=customer).count() == 1


def test_address_create_allows_the_same_address_for_another_customer(customer, other_customer):
    make(customer, 1)
    assert make(other_customer, 1).customer == other_customer


def test_duplicate_addresses_are_refused_by_the_database_too(customer):
    existing = make(customer, 1)
    clone = Address(customer=customer, line1="elsewhere", country="US", fingerprint=existing.fingerprint)
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_two_defaults_of_a_kind_are_refused_by_the_database(customer):
    make(customer, 1)
    second = make(customer, 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Address.objects.filter(pk=second.pk).update(is_default_billing=True)


def test_address_update_changes_only_the_given_fields_and_renormalises(customer):
    address = make(customer, 1)
    updated = address_update(address=address, data={"postal_code": "94105-1234", "name": "Office"})
    updated.refresh_from_db()
    assert (updated.name, updated.postal_code, updated.city) == ("Office", "94105-1234", "San Francisco")


def test_address_update_validates_the_merged_address(customer):
    # given a US address, when only the country changes to GB, then its zip code is not a postcode
    address = make(customer, 1)
    with pytest.raises(ValidationFailed) as caught:
        address_update(address=address, data={"country": "GB"})
    assert list(caught.value.details) == ["postal_code"]
    address.refresh_from_db()
    assert address.country.code == "US"


def test_address_update_refuses_turning_into_a_duplicate_of_another_address(customer):
    first = make(customer, 1)
    second = make(customer, 2)
    with pytest.raises(Conflict) as caught:
        address_update(address=second, data={"line1": "1 Market Street"})
    assert caught.value.details == {"address_id": [first.public_id]}


def test_address_update_may_save_an_address_unchanged(customer):
    address = make(customer, 1)
    assert address_update(address=address, data={"name": "Home"}).pk == address.pk


def test_address_update_with_default_true_moves_the_default(customer):
    first = make(customer, 1)
    second = make(customer, 2)
    address_update(address=second, data={"is_default_billing": True})
    assert defaults(customer) == ([second.pk], [first.pk])


def test_address_update_refuses_unsetting_the_current_default(customer):
    first = make(customer, 1)
    with pytest.raises(Conflict) as caught:
        address_update(address=first, data={"is_default_shipping": False, "name": "Renamed"})
    assert list(caught.value.details) == ["is_default_shipping"]
    first.refresh_from_db()
    assert first.is_default_shipping and first.name == "Home"


def test_address_update_accepts_false_on_an_address_that_is_not_default(customer):
    make(customer, 1)
    second = make(customer, 2)
    assert not address_update(address=second, data={"is_default_billing": False}).is_default_billing


def test_address_set_default_clears_the_previous_default(customer):
    first = make(customer, 1)
    second = make(customer, 2)
    address_set_default(address=second, kind="shipping")
    assert defaults(customer) == ([first.pk], [second.pk])
    address_set_default(address=second, kind="both")
    assert defaults(customer) == ([second.pk], [second.pk])


def test_address_set_default_refuses_an_unknown_kind(customer):
    with pytest.raises(ValidationFailed):
        address_set_default(address=make(customer, 1), kind="gift")


def test_address_delete_hands_the_defaults_to_the_most_recently_updated_address(customer):
    first = make(customer, 1)
    second = make(customer, 2)
    third = make(customer, 3)
    now = timezone.now()
    Address.objects.filter(pk=second.pk).update(updated_at=now + timedelta(minutes=5))
    Address.objects.filter(pk=third.pk).update(updated_at=now - timedelta(minutes=5))
    address_delete(address=first)
    assert defaults(customer) == ([second.pk], [second.pk])
    assert not Address.objects.filter(pk=first.pk).exists()


def test_address_delete_hands_each_default_over_separately(customer):
    first = make(customer, 1)
    second = make(customer, 2, is_default_shipping=True)
    address_delete(address=second)
    assert defaults(customer) == ([first.pk], [first.pk])


def test_address_delete_of_a_plain_address_keeps_the_defaults(customer):
    first = make(customer, 1)
    second = make(customer, 2)
    address_delete(address=second)
    assert defaults(customer) == ([first.pk], [first.pk])


def test_address_delete_of_the_last_address_leaves_an_empty_book(customer):
    address_delete(address=make(customer, 1))
    assert not Address.objects.filter(customer=customer).exists()


def test_address_list_for_customer_puts_defaults_first_then_most_recently_updated(customer, other_customer):
    first = make(customer, 1)
    second = make(customer, 2)
    third = make(customer, 3, is_default_shipping=True)
    fourth = make(customer, 4)
    make(other_customer, 9)
    now = timezone.now()
    Address.objects.filter(pk=second.pk).update(updated_at=now + timedelta(minutes=1))
    Address.objects.filter(pk=fourth.pk).update(updated_at=now - timedelta(minutes=1))
    assert list(address_list_for_customer(customer=customer)) == [first, third, second, fourth]


def test_address_get_for_customer_hides_another_customers_address(customer, other_customer):
    from config.errors import NotFound

    theirs = make(other_customer, 1)
    with pytest.raises(NotFound):
        address_get_for_customer(customer=customer, public_id=theirs.public_id)


def test_address_lists_for_customers_reads_many_books_in_one_query(
    customer, other_customer, django_assert_num_queries
):
    mine = [make(customer, 1), make(customer, 2)]
    with django_assert_num_queries(1):
        books = address_lists_for_customers(customers=[customer, other_customer])
    assert books == {customer.pk: mine, other_customer.pk: []}


def test_address_default_for_customer_finds_each_kind(customer):
    first = make(customer, 1)
    second = make(customer, 2, is_default_shipping=True)
    assert address_default_for_customer(customer=customer, kind="billing") == first
    assert address_default_for_customer(customer=customer, kind="shipping") == second


def test_gdpr_registry_exports_and_erases_the_address_book(customer, other_customer):
    from customers.registry import erasers, export_sections

    mine = make(customer, 1)
    theirs = make(other_customer, 1)
    exported = export_sections()["addresses"](customer)
    assert [a["id"] for a in exported] == [mine.public_id]
    assert exported[0]["line1"] == "1 Market Street"
    erasers()["addresses"](customer)
    assert list(Address.objects.all()) == [theirs]
