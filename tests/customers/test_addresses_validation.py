"""`address_normalize`: required fields, postal codes and areas per country, phones in E.164."""

import pytest

from config.errors import ValidationFailed
from customers.services.addresses import address_normalize
from tests.customers.conftest import address_data


def test_address_normalize_refuses_a_us_postal_code_that_is_not_a_zip_code():
    with pytest.raises(ValidationFailed) as caught:
        address_normalize(data=address_data(postal_code="ABCDE"))
    assert list(caught.value.details) == ["postal_code"]
    assert "United States" in caught.value.details["postal_code"][0]
    assert "95014" in caught.value.details["postal_code"][0]  # an example of the right form


def test_address_normalize_accepts_a_german_postal_code():
    cleaned = address_normalize(
        data={"line1": "Invalidenstraße 117", "city": "Berlin", "postal_code": "10115", "country": "DE"}
    )
    assert cleaned["postal_code"] == "10115"
    assert cleaned["city"] == "Berlin"
    assert cleaned["country"] == "DE"


@pytest.mark.parametrize("written", ["SW1A 1AA", "sw1a1aa", " sw1a  1aa "])
def test_address_normalize_accepts_a_british_postcode_in_its_canonical_form(written):
    cleaned = address_normalize(
        data={"line1": "10 Downing Street", "city": "London", "postal_code": written, "country": "gb"}
    )
    assert cleaned["postal_code"] == "SW1A 1AA"
    assert cleaned["country"] == "GB"


def test_address_normalize_needs_no_postal_code_in_a_country_without_them():
    cleaned = address_normalize(
        data={"line1": "Sheikh Zayed Road 1", "city": "Dubai", "state": "Dubai", "country": "AE"}
    )
    assert cleaned["postal_code"] == ""


def test_address_normalize_reports_every_missing_required_field_of_the_country():
    with pytest.raises(ValidationFailed) as caught:
        address_normalize(data={"line1": "", "country": "US"})
    assert set(caught.value.details) == {"line1", "city", "state", "postal_code"}
    assert caught.value.details["state"] == ["The state / area is required for United States of America."]


def test_address_normalize_refuses_an_unknown_state_and_canonicalises_a_known_one():
    with pytest.raises(ValidationFailed) as caught:
        address_normalize(data=address_data(state="Atlantis"))
    assert list(caught.value.details) == ["state"]
    assert address_normalize(data=address_data(state="California"))["state"] == "CA"


def test_address_normalize_refuses_an_unknown_country():
    with pytest.raises(ValidationFailed) as caught:
        address_normalize(data=address_data(country="XX"))
    assert list(caught.value.details) == ["country"]


def test_address_normalize_stores_phones_in_e164_reading_national_numbers_for_the_country():
    assert address_normalize(data=address_data(phone="(415) 555-0123"))["phone"] == "+14155550123"
    assert address_normalize(data=address_data(phone="+49 30 901820"))["phone"] == "+4930901820"


def test_address_normalize_refuses_an_invalid_phone():
    with pytest.raises(ValidationFailed) as caught:
        address_normalize(data=address_data(phone="12"))
    assert list(caught.value.details) == ["phone"]


def test_address_normalize_refuses_values_longer_than_their_column():
    with pytest.raises(ValidationFailed) as caught:
        address_normalize(data=address_data(name="x" * 65))
    assert caught.value.details == {"name": ["Use at most 64 characters."]}
