"""Factories of the customers app's own tests."""

import factory

from customers.models import Address
from tests.factories import CustomerFactory


class AddressFactory(factory.django.DjangoModelFactory):
    """A valid US address written straight to the table (no service rules: tests set flags)."""

    class Meta:
        model = Address

    customer = factory.SubFactory(CustomerFactory)
    name = "Home"
    first_name = "Jane"
    last_name = "Smith"
    line1 = factory.Sequence(lambda n: f"{100 + n} Market Street")
    city = "San Francisco"
    state = "CA"
    postal_code = "94103"
    country = "US"
