"""Fixtures of the customers app's tests."""

import pytest


def address_data(**overrides) -> dict:
    """A valid US address in the API's shape."""
    data = {
        "name": "Home",
        "first_name": "Jane",
        "last_name": "Smith",
        "line1": "1 Market Street",
        "city": "San Francisco",
        "state": "CA",
        "postal_code": "94105",
        "country": "US",
        "phone": "+14155550123",
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_address_data():
    return address_data
