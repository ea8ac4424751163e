"""Rules of the business-customer services and the on-account payment service."""

from datetime import timedelta
from decimal import Decimal

import pytest

from config.errors import InvalidTransition, ValidationFailed
from customers.models import Contact, Customer
from customers.services.business import contact_create, contact_delete, contact_update, customer_create
from tests.business.factories import account_order, pay
from tests.orders.factories import ProductFactory, make_order

pytestmark = pytest.mark.django_db


def test_customer_create_with_two_primary_contacts_is_refused():
    with pytest.raises(ValidationFailed):
        customer_create(by=None, kind="business", email="a@b.example", company_name="AB",
                        contacts=[{"name": "A", "is_primary": True}, {"name": "B", "is_primary": True}])  # fmt: skip
    assert not Customer.objects.exists()


def test_customer_create_makes_the_first_contact_primary_when_none_is():
    customer = customer_create(by=None, kind="business", email="a@b.example", company_name="AB",
                               contacts=[{"name": "A"}, {"name": "B"}])  # fmt: skip
    assert list(customer.contacts.values_list("name", "is_primary")) == [("A", True), ("B", False)]


def test_customer_create_business_needs_a_name_and_individuals_get_no_credit():
    with pytest.raises(ValidationFailed):
        customer_create(by=None, kind="business", email="a@b.example")
    with pytest.raises(ValidationFailed):
        customer_create(by=None, kind="individual", email="c@d.example", credit_limit=Decimal("100"))


def test_customer_create_one_address_is_default_for_billing_and_shipping():
    address = {
        "line1": "1 Main St",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62701",
        "country": "US",
    }
    customer = customer_create(by=None, kind="business", email="a@b.example", company_name="AB",
                               billing_address=address)  # fmt: skip
    only = customer.addresses.get()
    assert (only.is_default_billing, only.is_default_shipping) == (True, True)


def test_contact_make_primary_clears_the_previous_and_delete_promotes(business):
    first = contact_create(customer=business, name="A")
    second = contact_create(customer=business, name="B", is_primary=True)
    first.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)
    contact_update(contact=first, data={"is_primary": True})
    assert Contact.objects.get(is_primary=True) == first
    contact_delete(contact=first)
    assert Contact.objects.get(is_primary=True) == second
    contact_delete(contact=second)
    assert not Contact.objects.exists()


def test_account_payment_releases_credit_and_marks_the_order_paid(business, now):
    order = account_order(
        business, [(ProductFactory(price=Decimal("300.00")), 1)], placed_at=now - timedelta(days=5)
    )
    business.refresh_from_db()
    assert business.current_balance == Decimal("300.00")
    pay(order, at=now - timedelta(days=2), amount=Decimal("100.00"))
    order.refresh_from_db()
    assert (order.credit_used, order.amount_paid, order.payment_status) == (
        Decimal("200.00"),
        Decimal("100.00"),
        "on_account",
    )
    pay(order, at=now)
    order.refresh_from_db()
    business.refresh_from_db()
    assert (order.credit_used, order.payment_status, business.current_balance) == (
        Decimal("0.00"),
        "paid",
        Decimal("0.00"),
    )


def test_account_payment_cannot_exceed_what_is_open_or_precede_the_order(business, now):
    order = account_order(
        business, [(ProductFactory(price=Decimal("50.00")), 1)], placed_at=now - timedelta(days=5)
    )
    with pytest.raises(ValidationFailed):
        pay(order, at=now, amount=Decimal("50.01"))
    with pytest.raises(ValidationFailed):
        pay(order, at=now - timedelta(days=6))


def test_account_payment_on_a_card_order_is_an_invalid_transition(business):
    order = make_order(business)
    with pytest.raises(InvalidTransition):
        pay(order, at=order.placed_at + timedelta(days=1), amount=Decimal("1.00"))
