"""Demo addresses: Jane's Home and Work, seeded once however often the seeder runs."""

import pytest

from customers.demo_addresses import seed_addresses
from customers.models import Address

pytestmark = pytest.mark.django_db


def test_seed_addresses_gives_home_and_work_with_one_default_each_and_is_idempotent(customer):
    home, work = seed_addresses(customer)
    seed_addresses(customer)
    assert Address.objects.filter(customer=customer).count() == 2
    home.refresh_from_db()
    work.refresh_from_db()
    assert (home.name, work.name) == ("Home", "Work")
    assert home.is_default_shipping and not home.is_default_billing
    assert work.is_default_billing and not work.is_default_shipping
