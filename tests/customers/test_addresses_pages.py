"""`/account/addresses/`: list, add, edit, delete, make default, through the same services."""

import pytest

from customers.models import Address
from customers.services.addresses import address_create
from tests.customers.conftest import address_data

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.customers.pages_urls")]

LIST = "/account/addresses/"
ADD = "/account/addresses/add/"


@pytest.fixture
def page_client(client, customer):
    client.force_login(customer.user)
    return client


def add(customer, n: int = 1, **overrides) -> Address:
    return address_create(customer=customer, data=address_data(line1=f"{n} Market Street", **overrides))


def form_data(**overrides) -> dict:
    data = address_data()
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not False}


def test_address_pages_need_a_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_address_pages_are_404_for_staff_without_a_customer_account(client, staff_user):
    client.force_login(staff_user)
    assert client.get(LIST).status_code == 404


def test_address_list_shows_own_addresses_only_defaults_marked(page_client, customer, other_customer):
    mine = add(customer, 1)
    theirs = add(other_customer, 2)
    response = page_client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert mine.public_id in html and theirs.public_id not in html
    assert "Default billing" in html and "Default shipping" in html
    assert "Content-Security-Policy" in response


def test_add_page_creates_the_first_address_as_default(page_client, customer):
    response = page_client.post(ADD, form_data(country="DE", line1="Invalidenstraße 117", city="Berlin",
                                               state="", postal_code="10115", phone="+49 30 901820"))  # fmt: skip
    assert response.status_code == 302 and response["Location"] == LIST
    address = Address.objects.get(customer=customer)
    assert address.is_default_billing and address.is_default_shipping
    assert str(address.phone) == "+4930901820"


def test_add_page_shows_the_services_errors_on_their_fields(page_client, customer):
    response = page_client.post(ADD, form_data(postal_code="ABCDE", state=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert "postal_code" in form.errors and "state" in form.errors
    assert "United States" in form.errors["postal_code"][0]
    assert 'id="id_postal_code-errors"' in response.content.decode()
    assert not Address.objects.exists()


def test_add_page_refuses_a_duplicate_naming_the_existing_address(page_client, customer):
    existing = add(customer, 1)
    response = page_client.post(ADD, form_data(line1="1 market street", name="Again"))
    assert response.status_code == 200
    assert existing.public_id in response.context["form"].non_field_errors()[0]


def test_add_form_fits_labels_and_required_marks_to_the_country(page_client):
    response = page_client.post(ADD, {"country": "US", "line1": "1 Main", "refresh": "1"})
    form = response.context["form"]
    assert form.fields["postal_code"].label == "ZIP code (required)"
    assert form.fields["state"].label == "State (required)"
    assert not form.errors  # a refresh does not validate
    assert form["line1"].value() == "1 Main"
    form = page_client.post(ADD, {"country": "AE", "refresh": "1"}).context["form"]
    assert form.fields["state"].label == "Emirate (required)"
    assert "Not used" in form.fields["postal_code"].help_text


def test_edit_page_changes_the_address(page_client, customer):
    address = add(customer, 1)
    url = f"/account/addresses/{address.public_id}/edit/"
    assert page_client.get(url).context["form"]["line1"].value() == "1 Market Street"
    response = page_client.post(url, form_data(name="Studio", line1="5 Market Street"))
    assert response.status_code == 302
    address.refresh_from_db()
    assert (address.name, address.line1) == ("Studio", "5 Market Street")
    assert address.is_default_billing  # a disabled box keeps the default


def test_edit_page_of_another_customers_address_is_404(page_client, other_customer):
    theirs = add(other_customer, 1)
    assert page_client.get(f"/account/addresses/{theirs.public_id}/edit/").status_code == 404
    assert page_client.post(f"/account/addresses/{theirs.public_id}/delete/").status_code == 404
    assert (
        page_client.post(f"/account/addresses/{theirs.public_id}/default/", {"kind": "both"}).status_code
        == 404
    )
    assert Address.objects.filter(pk=theirs.pk).exists()


def test_make_default_page_action_moves_the_default(page_client, customer):
    first = add(customer, 1)
    second = add(customer, 2)
    response = page_client.post(f"/account/addresses/{second.public_id}/default/", {"kind": "shipping"})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.is_default_shipping and not first.is_default_shipping and first.is_default_billing


def test_make_default_with_an_unknown_kind_shows_an_error(page_client, customer):
    address = add(customer, 1)
    response = page_client.post(
        f"/account/addresses/{address.public_id}/default/", {"kind": "x"}, follow=True
    )
    assert "Choose billing, shipping or both." in response.content.decode()


def test_delete_page_confirms_then_hands_the_default_over(page_client, customer):
    first = add(customer, 1)
    second = add(customer, 2)
    url = f"/account/addresses/{first.public_id}/delete/"
    assert "your most recently updated other address" in page_client.get(url).content.decode()
    response = page_client.post(url)
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.is_default_billing and second.is_default_shipping
    assert not Address.objects.filter(pk=first.pk).exists()


@pytest.mark.parametrize("count", [1, 20])
def test_address_list_page_runs_a_constant_number_of_queries(
    page_client, customer, count, django_assert_max_num_queries
):
    from tests.customers.factories import AddressFactory

    AddressFactory.create_batch(count, customer=customer)
    with django_assert_max_num_queries(5):  # session, user, customer, count, page
        response = page_client.get(LIST)
    assert len(response.context["addresses"]) == count
