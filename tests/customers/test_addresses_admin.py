"""`AddressInline`: per-country validation in the admin, and saves through the address services."""

import pytest

from customers.models import Address
from customers.services.addresses import address_create
from tests.customers.conftest import address_data

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.customers.admin_urls")]

FIELDS = [
    "name", "first_name", "last_name", "company", "line1", "line2", "line3", "city", "state",
    "postal_code", "country", "phone",
]  # fmt: skip


def change_url(customer) -> str:
    return f"/test-admin/customers/customer/{customer.pk}/change/"


def post_data(customer, forms: list[dict], initial: int) -> dict:
    """The admin change form's POST: the customer's fields and the address inline's forms."""
    data = {
        "email": customer.email,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "addresses-TOTAL_FORMS": str(len(forms)),
        "addresses-INITIAL_FORMS": str(initial),
        "addresses-MIN_NUM_FORMS": "0",
        "addresses-MAX_NUM_FORMS": "1000",
    }
    for i, form in enumerate(forms):
        for key, value in form.items():
            if value is True:
                value = "on"
            if value is False:
                continue
            data[f"addresses-{i}-{key}"] = value
        data[f"addresses-{i}-customer"] = str(customer.pk)
    return data


def existing_form(address: Address, **changes) -> dict:
    form = {field: str(getattr(address, field) or "") for field in FIELDS}
    form["country"] = address.country.code
    form["id"] = str(address.pk)
    form["is_default_billing"] = address.is_default_billing
    form["is_default_shipping"] = address.is_default_shipping
    form.update(changes)
    return form


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_inline_shows_the_customers_addresses(admin_client, customer):
    address = address_create(customer=customer, data=address_data())
    response = admin_client.get(change_url(customer))
    assert response.status_code == 200
    assert address.public_id in response.content.decode()


def test_inline_adds_the_first_address_as_both_defaults_through_the_service(admin_client, customer):
    form = address_data(postal_code="sw1a1aa", country="GB", city="London", state="", line1="10 Downing St")
    response = admin_client.post(change_url(customer), post_data(customer, [form], initial=0))
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    address = Address.objects.get(customer=customer)
    assert address.postal_code == "SW1A 1AA"
    assert address.is_default_billing and address.is_default_shipping
    assert address.fingerprint


def test_inline_shows_the_services_per_country_errors(admin_client, customer):
    form = address_data(postal_code="ABCDE")
    response = admin_client.post(change_url(customer), post_data(customer, [form], initial=0))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "postal_code" in formset.errors[0]
    assert "United States" in formset.errors[0]["postal_code"][0]
    assert not Address.objects.exists()


def test_inline_refuses_a_duplicate(admin_client, customer):
    existing = address_create(customer=customer, data=address_data())
    forms = [existing_form(existing), address_data(name="Again", line1="1 MARKET STREET")]
    response = admin_client.post(change_url(customer), post_data(customer, forms, initial=1))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert existing.public_id in errors[1]["__all__"][0]
    assert Address.objects.count() == 1


def test_inline_moves_a_default_by_ticking_another_address(admin_client, customer):
    first = address_create(customer=customer, data=address_data())
    second = address_create(customer=customer, data=address_data(line1="2 Market Street"))
    forms = [
        existing_form(first, is_default_billing=False),
        existing_form(second, is_default_billing=True),
    ]
    response = admin_client.post(change_url(customer), post_data(customer, forms, initial=2))
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.is_default_billing and not first.is_default_billing
    assert first.is_default_shipping


def test_inline_refuses_unticking_the_only_default(admin_client, customer):
    first = address_create(customer=customer, data=address_data())
    forms = [existing_form(first, is_default_shipping=False)]
    response = admin_client.post(change_url(customer), post_data(customer, forms, initial=1))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert "is_default_shipping" in errors[0]
    first.refresh_from_db()
    assert first.is_default_shipping


def test_inline_refuses_two_defaults_of_a_kind(admin_client, customer):
    first = address_create(customer=customer, data=address_data())
    second = address_create(customer=customer, data=address_data(line1="2 Market Street"))
    forms = [existing_form(first), existing_form(second, is_default_billing=True)]
    response = admin_client.post(change_url(customer), post_data(customer, forms, initial=2))
    assert response.status_code == 200
    assert "Only one address" in str(response.context["inline_admin_formsets"][0].formset.non_form_errors())


def test_inline_delete_of_the_default_hands_it_over(admin_client, customer):
    first = address_create(customer=customer, data=address_data())
    second = address_create(customer=customer, data=address_data(line1="2 Market Street"))
    forms = [existing_form(first, DELETE=True), existing_form(second)]
    response = admin_client.post(change_url(customer), post_data(customer, forms, initial=2))
    assert response.status_code == 302
    assert not Address.objects.filter(pk=first.pk).exists()
    second.refresh_from_db()
    assert second.is_default_billing and second.is_default_shipping


def test_inline_on_the_add_page_gives_the_new_customer_its_first_default_address(admin_client):
    from customers.models import Customer

    new = Customer(email="new.customer@example.com", first_name="New", last_name="Customer")
    data = post_data(new, [address_data()], initial=0)
    data.pop("addresses-0-customer")
    response = admin_client.post("/test-admin/customers/customer/add/", data)
    assert response.status_code == 302
    customer = Customer.objects.get(email="new.customer@example.com")
    address = Address.objects.get(customer=customer)
    assert address.is_default_billing and address.is_default_shipping
