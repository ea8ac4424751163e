"""The address book API: wiring, owner filtering, staff access and scopes, error bodies, queries."""

import pytest

from customers.models import Address
from customers.services.addresses import address_create
from tests.customers.conftest import address_data
from tests.customers.factories import AddressFactory

pytestmark = pytest.mark.django_db

ME = "/api/customers/addresses"


def staff_url(customer, address=None) -> str:
    url = f"/api/customers/{customer.public_id}/addresses"
    return f"{url}/{address.public_id}" if address else url


def error_of(response):
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


def add(customer, n: int = 1, **overrides) -> Address:
    return address_create(customer=customer, data=address_data(line1=f"{n} Market Street", **overrides))


def test_post_address_creates_the_first_address_as_both_defaults(customer_client, customer):
    response = customer_client.post(ME, address_data(), format="json")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "id", "name", "first_name", "last_name", "company", "line1", "line2", "line3", "city", "state",
        "postal_code", "country", "phone", "is_default_billing", "is_default_shipping", "created_at",
        "updated_at",
    }  # fmt: skip
    assert body["id"].startswith("addr_")
    assert body["is_default_billing"] is True and body["is_default_shipping"] is True
    assert body["country"] == "US" and body["phone"] == "+14155550123"
    assert body["created_at"].endswith("Z")
    assert Address.objects.get(public_id=body["id"]).customer == customer


def test_post_address_ignores_read_only_and_unknown_fields(customer_client):
    data = address_data(
        id="addr_chosenByClient0000", created_at="2001-01-01T00:00:00Z", customer=999, fingerprint="x"
    )
    response = customer_client.post(ME, data, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["id"] != "addr_chosenByClient0000"
    assert not body["created_at"].startswith("2001")


def test_post_invalid_address_is_400_naming_the_fields(customer_client):
    response = customer_client.post(ME, address_data(postal_code="ABCDE", phone="12"), format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert set(error["details"]) == {"postal_code", "phone"}


def test_post_without_country_or_line1_is_400(customer_client):
    response = customer_client.post(ME, {"city": "Berlin"}, format="json")
    assert response.status_code == 400
    assert set(error_of(response)["details"]) == {"line1", "country"}


def test_post_duplicate_address_is_409_naming_the_existing_address(customer_client, customer):
    existing = add(customer)
    response = customer_client.post(ME, address_data(line1="1 market street.", name="Work"), format="json")
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "conflict"
    assert error["details"] == {"address_id": [existing.public_id]}


def test_get_addresses_lists_only_own_addresses_defaults_first_in_the_envelope(
    customer_client, customer, other_customer
):
    first = add(customer, 1)
    second = add(customer, 2, is_default_shipping=True)
    add(other_customer, 3)
    response = customer_client.get(ME)
    assert response.status_code == 200
    body = response.json()
    assert [a["id"] for a in body["data"]] == [first.public_id, second.public_id]
    assert body["pagination"] == {"page": 1, "limit": 20, "total": 2, "pages": 1, "has_more": False}


def test_get_addresses_is_paginated(customer_client, customer):
    AddressFactory.create_batch(3, customer=customer)
    body = customer_client.get(ME, {"limit": 2, "page": 2}).json()
    assert len(body["data"]) == 1
    assert body["pagination"]["total"] == 3 and body["pagination"]["pages"] == 2


@pytest.mark.parametrize("count", [1, 50])
def test_get_addresses_runs_a_constant_number_of_queries(
    customer_client, customer, count, django_assert_max_num_queries
):
    AddressFactory.create_batch(count, customer=customer)
    with django_assert_max_num_queries(4):  # user, customer, count, page
        response = customer_client.get(ME, {"limit": 100})
    assert len(response.json()["data"]) == count


def test_get_one_address(customer_client, customer):
    address = add(customer)
    response = customer_client.get(f"{ME}/{address.public_id}")
    assert response.status_code == 200
    assert response.json()["id"] == address.public_id


@pytest.mark.parametrize("method", ["get", "patch", "put", "delete"])
def test_another_customers_address_is_404(customer_client, other_customer, method):
    theirs = add(other_customer)
    response = getattr(customer_client, method)(f"{ME}/{theirs.public_id}", address_data(), format="json")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.line1 == "1 Market Street"


def test_patch_changes_only_the_given_fields(customer_client, customer):
    address = add(customer)
    response = customer_client.patch(
        f"{ME}/{address.public_id}", {"name": "Office", "updated_at": "2001-01-01T00:00:00Z"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Office" and body["line1"] == "1 Market Street"
    assert not body["updated_at"].startswith("2001")


def test_patch_default_true_moves_the_default(customer_client, customer):
    first = add(customer, 1)
    second = add(customer, 2)
    response = customer_client.patch(f"{ME}/{second.public_id}", {"is_default_billing": True}, format="json")
    assert response.status_code == 200
    assert response.json()["is_default_billing"] is True
    first.refresh_from_db()
    assert first.is_default_billing is False and first.is_default_shipping is True


def test_patch_default_false_on_the_current_default_is_409_with_a_clear_message(customer_client, customer):
    first = add(customer)
    response = customer_client.patch(f"{ME}/{first.public_id}", {"is_default_billing": False}, format="json")
    assert response.status_code == 409
    error = error_of(response)
    assert "Make another address the default billing address" in error["message"]
    assert list(error["details"]) == ["is_default_billing"]


def test_put_replaces_the_address_and_blanks_what_is_left_out(customer_client, customer):
    address = add(customer, company="MOOD MNKY")
    data = {"line1": "Invalidenstraße 117", "city": "Berlin", "postal_code": "10115", "country": "DE"}
    response = customer_client.put(f"{ME}/{address.public_id}", data, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["country"], body["company"], body["state"], body["phone"]) == ("DE", "", "", "")
    assert body["is_default_billing"] is True  # flags left out keep their value


def test_put_without_required_fields_is_400(customer_client, customer):
    address = add(customer)
    response = customer_client.put(f"{ME}/{address.public_id}", {"name": "Only a label"}, format="json")
    assert response.status_code == 400


def test_delete_default_hands_it_over_and_answers_204(customer_client, customer):
    first = add(customer, 1)
    second = add(customer, 2)
    response = customer_client.delete(f"{ME}/{first.public_id}")
    assert response.status_code == 204
    second.refresh_from_db()
    assert second.is_default_billing and second.is_default_shipping


def test_me_routes_need_a_customer(api_client, staff_client, make_key_client):
    assert api_client.get(ME).status_code == 401
    assert staff_client.get(ME).status_code == 403
    assert make_key_client("customers:read").get(ME).status_code == 403


def test_staff_can_manage_a_customers_address_book(staff_client, customer):
    created = staff_client.post(staff_url(customer), address_data(), format="json")
    assert created.status_code == 201
    address = Address.objects.get(public_id=created.json()["id"])
    assert address.customer == customer and address.is_default_billing
    assert staff_client.get(staff_url(customer)).json()["data"][0]["id"] == address.public_id
    assert (
        staff_client.patch(staff_url(customer, address), {"name": "HQ"}, format="json").json()["name"] == "HQ"
    )
    put = staff_client.put(staff_url(customer, address), address_data(line1="2 Market Street"), format="json")
    assert put.status_code == 200 and put.json()["line1"] == "2 Market Street"
    assert staff_client.delete(staff_url(customer, address)).status_code == 204
    assert not Address.objects.filter(customer=customer).exists()


def test_staff_route_refuses_a_duplicate_with_409(staff_client, customer):
    existing = add(customer)
    response = staff_client.post(staff_url(customer), address_data(), format="json")
    assert response.status_code == 409
    assert error_of(response)["details"] == {"address_id": [existing.public_id]}


def test_staff_route_for_an_unknown_customer_is_404(staff_client):
    response = staff_client.get("/api/customers/cust_doesNotExist000000/addresses")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_staff_route_with_another_customers_address_is_404(staff_client, customer, other_customer):
    theirs = add(other_customer)
    assert staff_client.get(staff_url(customer, theirs)).status_code == 404


def test_staff_route_is_403_for_customers(customer_client, customer):
    response = customer_client.get(staff_url(customer))
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


def test_staff_user_needs_the_address_permissions(make_staff_client, customer):
    address = add(customer)
    viewer = make_staff_client("customers.view_address")
    assert viewer.get(staff_url(customer)).status_code == 200
    assert viewer.patch(staff_url(customer, address), {"name": "x"}, format="json").status_code == 403
    assert viewer.delete(staff_url(customer, address)).status_code == 403
    editor = make_staff_client("customers.change_address")
    assert editor.patch(staff_url(customer, address), {"name": "x"}, format="json").status_code == 200
    assert make_staff_client().get(staff_url(customer)).status_code == 403


def test_customer_support_group_may_manage_addresses(customer):
    from django.contrib.auth.models import Group

    from tests.conftest import bearer_client
    from tests.factories import StaffUserFactory

    agent = StaffUserFactory()
    agent.groups.add(Group.objects.get(name="Customer support"))
    client = bearer_client(agent)
    assert client.post(staff_url(customer), address_data(), format="json").status_code == 201


def test_api_key_scopes_cover_reads_and_writes(make_key_client, customer):
    address = add(customer)
    reader = make_key_client("customers:read")
    assert reader.get(staff_url(customer)).status_code == 200
    assert reader.get(staff_url(customer, address)).status_code == 200
    assert (
        reader.post(staff_url(customer), address_data(line1="2 Market Street"), format="json").status_code
        == 403
    )
    assert reader.delete(staff_url(customer, address)).status_code == 403
    writer = make_key_client("customers:write")
    assert writer.get(staff_url(customer)).status_code == 403
    assert (
        writer.post(staff_url(customer), address_data(line1="2 Market Street"), format="json").status_code
        == 201
    )
    assert writer.patch(staff_url(customer, address), {"name": "Dock"}, format="json").status_code == 200
    assert make_key_client("orders:read").get(staff_url(customer)).status_code == 403


@pytest.mark.parametrize("count", [1, 50])
def test_staff_list_runs_a_constant_number_of_queries(
    staff_client, customer, count, django_assert_max_num_queries
):
    AddressFactory.create_batch(count, customer=customer)
    with django_assert_max_num_queries(4):  # user, customer, count, page
        response = staff_client.get(staff_url(customer), {"limit": 100})
    assert len(response.json()["data"]) == count


def test_schema_documents_the_address_routes(staff_client):
    schema = staff_client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/customers/addresses", "/api/customers/{id}/addresses/{address_id}"):
        assert path in schema
    assert "AddressOutput" in schema and "AddressInputRequest" in schema


@pytest.mark.parametrize(
    ("address", "status", "postal_code"),
    [
        (
            {
                "line1": "1 Market Street",
                "city": "San Francisco",
                "state": "CA",
                "postal_code": "ABCDE",
                "country": "US",
            },
            400,
            None,
        ),
        (
            {"line1": "Invalidenstraße 117", "city": "Berlin", "postal_code": "10115", "country": "DE"},
            201,
            "10115",
        ),
        (
            {"line1": "10 Downing Street", "city": "London", "postal_code": "SW1A 1AA", "country": "GB"},
            201,
            "SW1A 1AA",
        ),
        ({"line1": "Sheikh Zayed Road 1", "city": "Dubai", "state": "Dubai", "country": "AE"}, 201, ""),
    ],
    ids=["US ABCDE refused", "DE 10115", "GB SW1A 1AA", "AE without postal code"],
)
def test_post_address_validates_postal_codes_per_country(customer_client, address, status, postal_code):
    response = customer_client.post(ME, address, format="json")
    assert response.status_code == status
    if status == 201:
        assert response.json()["postal_code"] == postal_code
    else:
        assert list(error_of(response)["details"]) == ["postal_code"]
