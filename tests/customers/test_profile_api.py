"""GET/PATCH /api/customers/profile: the contract's fields, nested partial updates, audit history."""

import datetime

import pytest
from rest_framework import serializers

from customers import registry
from customers.models import Address, Customer
from tests.customers.profile_support import registry_restored_fixture  # noqa: F401 - a fixture
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

URL = "/api/customers/profile"


def make_address(customer, **extra):
    values = {"line1": "1 Ember Lane", "city": "London", "postal_code": "SW1A 1AA", "country": "GB"}
    values.update(extra)
    return Address.objects.create(customer=customer, **values)


@pytest.fixture
def fake_section(registry_restored):
    """A registered profile section, as another app would register it, removed afterwards."""
    calls = []

    def selector(customers):
        calls.append([c.pk for c in customers])
        return {c.pk: {"total_orders": 3} for c in customers}

    registry.register_profile_section(
        "fake_stats", selector, schema=serializers.DictField(child=serializers.IntegerField())
    )
    return calls


def test_profile_get_answers_the_contract_fields(customer_client, customer):
    make_address(customer, name="Home", is_default_billing=True, is_default_shipping=True)

    response = customer_client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert {
        "id",
        "email",
        "first_name",
        "last_name",
        "salutation",
        "phone_number",
        "phone_verified",
        "date_of_birth",
        "profile_image_url",
        "created_at",
        "updated_at",
        "addresses",
        "preferences",
    } <= set(body)
    assert body["id"] == customer.public_id
    assert body["preferences"] == {
        "email_marketing": False,
        "sms_marketing": False,
        "preferred_currency": "USD",
        "reminder_frequency": "monthly",
    }
    assert body["addresses"][0]["name"] == "Home"
    assert body["addresses"][0]["id"].startswith("addr_")
    assert body["addresses"][0]["country"] == "GB"
    assert body["created_at"].endswith("Z")


def test_profile_get_shows_exactly_the_registered_sections(customer_client):
    registered = {section.name for section in registry.profile_sections()}

    body = customer_client.get(URL).json()

    for name in (
        "order_stats",
        "membership_tier",
        "tokens",
        "loyalty_points",
        "referral_code",
        "scent_profile",
    ):
        assert (name in body) == (name in registered)


def test_profile_get_includes_registered_sections(customer_client, fake_section):
    body = customer_client.get(URL).json()

    assert body["fake_stats"] == {"total_orders": 3}
    assert len(fake_section) == 1


def test_profile_get_is_a_bounded_number_of_queries_however_many_addresses(
    customer, customer_client, django_assert_max_num_queries, fake_section
):
    make_address(customer)
    with django_assert_max_num_queries(12) as one:
        customer_client.get(URL)
    for index in range(25):
        make_address(customer, name=f"Address {index}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = customer_client.get(URL)
    assert len(response.json()["addresses"]) == 26


def test_profile_addresses_list_defaults_first(customer, customer_client):
    make_address(customer, name="Old")
    make_address(customer, name="Default", is_default_billing=True)

    names = [address["name"] for address in customer_client.get(URL).json()["addresses"]]

    assert names == ["Default", "Old"]


def test_profile_patch_nested_preferences_keeps_untouched_keys(customer, customer_client):
    Customer.objects.filter(pk=customer.pk).update(
        email_marketing=True, preferred_currency="EUR", reminder_frequency="weekly"
    )

    response = customer_client.patch(URL, {"preferences": {"sms_marketing": True}}, format="json")

    assert response.status_code == 200
    assert response.json()["preferences"] == {
        "email_marketing": True,
        "sms_marketing": True,
        "preferred_currency": "EUR",
        "reminder_frequency": "weekly",
    }
    customer.refresh_from_db()
    assert (customer.email_marketing, customer.sms_marketing, customer.preferred_currency) == (
        True,
        True,
        "EUR",
    )


def test_profile_patch_updates_names_and_keeps_other_fields(customer, customer_client):
    before = customer_client.get(URL).json()

    response = customer_client.patch(URL, {"first_name": " Juniper "}, format="json")

    body = response.json()
    assert body["first_name"] == "Juniper"
    assert body["last_name"] == before["last_name"]
    assert body["preferences"] == before["preferences"]


def test_profile_patch_ignores_read_only_and_unknown_fields(customer, customer_client):
    original = (customer.email, customer.public_id, customer.created_at)

    response = customer_client.patch(
        URL,
        {
            "id": "cust_forged",
            "email": "forged@example.com",
            "phone_verified": True,
            "created_at": "2001-01-01T00:00:00Z",
            "profile_image_url": "https://evil.example/x.png",
            "erased_at": "2001-01-01T00:00:00Z",
            "credit_limit": "99999.00",
            "fake_stats": {"total_orders": 999},
            "preferences": {"unknown": 1},
            "last_name": "Moss",
        },
        format="json",
    )

    assert response.status_code == 200
    customer.refresh_from_db()
    assert (customer.email, customer.public_id, customer.created_at) == original
    assert customer.phone_verified is False
    assert customer.erased_at is None
    assert str(customer.credit_limit) == "0.00"
    assert customer.profile_image.name == ""
    assert customer.last_name == "Moss"
    assert response.json()["email"] == original[0]


def test_profile_patch_normalises_phone_to_e164_and_stores_it_unverified(customer, customer_client):
    Customer.objects.filter(pk=customer.pk).update(phone_number="+14155550100", phone_verified=True)

    response = customer_client.patch(URL, {"phone_number": "+44 20 7183 8750"}, format="json")

    assert response.status_code == 200
    assert response.json()["phone_number"] == "+442071838750"
    assert response.json()["phone_verified"] is False
    customer.refresh_from_db()
    assert customer.phone_number.as_e164 == "+442071838750"
    assert customer.phone_verified is False


def test_profile_patch_same_phone_keeps_it_verified(customer, customer_client):
    Customer.objects.filter(pk=customer.pk).update(phone_number="+442071838750", phone_verified=True)

    response = customer_client.patch(URL, {"phone_number": "+44 (0)20 7183 8750"}, format="json")

    assert response.json()["phone_verified"] is True


@pytest.mark.parametrize("phone", ["12345", "not a phone", "+44 20", "+999 1234 5678"])
def test_profile_patch_invalid_phone_is_400(customer, customer_client, phone):
    response = customer_client.patch(URL, {"phone_number": phone, "first_name": "Changed"}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert "phone_number" in error["details"]
    customer.refresh_from_db()
    assert customer.first_name != "Changed"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"preferences": {"preferred_currency": "XYZ"}}, "preferences"),
        ({"preferences": {"reminder_frequency": "hourly"}}, "preferences"),
        ({"preferences": {"email_marketing": "maybe"}}, "preferences"),
        ({"salutation": "lord"}, "salutation"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"date_of_birth": "not-a-date"}, "date_of_birth"),
        ({"first_name": "x" * 151}, "first_name"),
        ({"first_name": "<script>"}, "first_name"),
    ],
)
def test_profile_patch_invalid_values_are_400_naming_the_field(customer_client, body, field):
    response = customer_client.patch(URL, body, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["details"]


def test_profile_patch_records_who_changed_what_in_the_history(customer, customer_client):
    customer_client.patch(
        URL, {"last_name": "Birch", "preferences": {"email_marketing": True}}, format="json"
    )

    latest = customer.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == customer.user
    previous = latest.prev_record
    delta = latest.diff_against(previous)
    assert {change.field for change in delta.changes} == {"last_name", "email_marketing"}


def test_profile_patch_without_changes_writes_no_history(customer, customer_client):
    count = customer.history.count()

    customer_client.patch(URL, {"first_name": customer.first_name}, format="json")

    assert customer.history.count() == count


def test_profile_date_of_birth_round_trips(customer_client):
    response = customer_client.patch(URL, {"date_of_birth": "1990-05-17"}, format="json")

    assert response.json()["date_of_birth"] == "1990-05-17"


def test_profile_routes_need_a_customer(api_client, staff_client):
    assert api_client.get(URL).status_code == 401
    assert staff_client.get(URL).status_code == 403


def test_profile_is_the_callers_own(customer_client, other_customer):
    body = customer_client.get(URL).json()

    assert body["id"] != other_customer.public_id


def test_profile_of_another_customer_is_unchanged_by_a_patch(customer_client, other_customer):
    name = other_customer.first_name

    customer_client.patch(URL, {"first_name": "Hijack"}, format="json")

    other_customer.refresh_from_db()
    assert other_customer.first_name == name


def test_profile_schema_documents_the_erasure_body(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/customers/profile"]["delete"]
    content = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][content.rsplit("/", 1)[1]]
    assert "password" in component["properties"]
    assert "password" in component["required"]


def test_profile_data_is_usable_without_a_request(customer):
    from customers.serializers.profile import ProfileOutputSerializer, profile_data

    assert profile_data(customer)["id"] == customer.public_id
    assert ProfileOutputSerializer(CustomerFactory()).data["addresses"] == []


def test_profile_date_fields_are_iso(customer, customer_client):
    Customer.objects.filter(pk=customer.pk).update(date_of_birth=datetime.date(1985, 1, 2))

    assert customer_client.get(URL).json()["date_of_birth"] == "1985-01-02"


def test_profile_phone_is_null_when_absent_and_can_be_cleared(customer, customer_client):
    assert customer_client.get(URL).json()["phone_number"] is None
    customer_client.patch(URL, {"phone_number": "+14155550123"}, format="json")

    response = customer_client.patch(URL, {"phone_number": None}, format="json")

    assert response.json()["phone_number"] is None
    customer.refresh_from_db()
    assert not customer.phone_number
