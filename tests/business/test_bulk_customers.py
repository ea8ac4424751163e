"""`POST /api/customers/bulk`: customers created or updated by email, per-item results."""

from decimal import Decimal

import pytest

from customers.models import Customer
from integrations.models import Event
from tests.business.factories import business_customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

URL = "/api/customers/bulk"
ADDRESS = {
    "line1": "1 Main St",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
    "country": "US",
}


def _item(email, **extra):
    return {"kind": "business", "name": f"Co {email.split('@')[0]}", "email": email, **extra}


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_mixed_items_create_update_and_report_errors(staff_client):
    known = business_customer(
        email="known@b.example", company_name="Old Name", credit_limit=Decimal("500.00")
    )
    items = [
        _item("new@b.example", credit_limit="1000.00", billing_address=ADDRESS),
        _item("KNOWN@b.example", name="New Name", notes="VIP"),
        _item("not-an-email"),
        _item("known@b.example", credit_limit="9999.00"),
        {"kind": "business", "email": "noname@b.example"},
    ]
    results = _results(staff_client.post(URL, {"items": items}, format="json"))

    assert [r["status"] for r in results] == ["created", "updated", "error", "error", "error"]
    assert [r["email"] for r in results] == [i["email"] for i in items]
    created = Customer.objects.get(email="new@b.example")
    assert results[0]["id"] == created.public_id
    assert created.credit_limit == Decimal("1000.00")
    assert created.addresses.count() == 1
    assert results[1]["id"] == known.public_id
    known.refresh_from_db()
    assert (known.company_name, known.notes) == ("New Name", "VIP")
    assert "email" in results[2]["error"]["details"]
    # a different credit limit on an update is that item's error, as on PATCH
    assert results[3]["error"]["code"] == "validation_error"
    assert "credit_limit" in results[3]["error"]["details"]
    assert known.credit_limit == Decimal("500.00")
    assert results[4]["error"]["details"] == {"name": ["A business customer needs its company name."]}
    assert not Customer.objects.filter(email="noname@b.example").exists()


def test_a_replayed_request_updates_and_duplicates_nothing(staff_client):
    body = {"items": [_item(f"c{i}@b.example") for i in range(3)]}
    first = _results(staff_client.post(URL, body, format="json"))
    second = _results(staff_client.post(URL, body, format="json"))

    assert [r["status"] for r in first] == ["created"] * 3
    assert [r["status"] for r in second] == ["updated"] * 3
    assert [r["id"] for r in second] == [r["id"] for r in first]
    assert Customer.objects.filter(email__endswith="@b.example").count() == 3


def test_atomic_writes_nothing_when_one_item_fails(staff_client):
    known = CustomerFactory(email="known@b.example", first_name="Old")
    items = [
        _item("a@b.example"),
        {"kind": "individual", "email": "known@b.example", "first_name": "New"},
        _item("bad"),
    ]
    events = Event.objects.count()
    response = staff_client.post(URL, {"items": items, "atomic": True}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    results = error["details"]["results"]
    assert [r["status"] for r in results] == ["valid", "valid", "error"]
    assert [r["id"] for r in results[:2]] == [None, None]
    assert not Customer.objects.filter(email="a@b.example").exists()
    known.refresh_from_db()
    assert known.first_name == "Old"
    assert Event.objects.count() == events


def test_atomic_writes_everything_when_every_item_is_valid(staff_client):
    items = [_item("a@b.example"), _item("b@b.example")]
    results = _results(staff_client.post(URL, {"items": items, "atomic": True}, format="json"))
    assert [r["status"] for r in results] == ["created", "created"]
    assert Customer.objects.filter(email__in=["a@b.example", "b@b.example"]).count() == 2


def test_more_than_500_items_is_413(staff_client):
    items = [_item(f"c{i}@b.example") for i in range(501)]
    response = staff_client.post(URL, {"items": items}, format="json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert not Customer.objects.filter(email__endswith="@b.example").exists()


def test_customers_are_refused(customer_client):
    response = customer_client.post(URL, {"items": [_item("x@b.example")]}, format="json")
    assert response.status_code == 403
    assert not Customer.objects.filter(email="x@b.example").exists()


@pytest.mark.parametrize("scopes", [(), ("customers:read",), ("orders:write",)])
def test_a_key_without_customers_write_is_403(make_key_client, scopes):
    response = make_key_client(*scopes).post(URL, {"items": [_item("x@b.example")]}, format="json")
    assert response.status_code == 403


def test_staff_need_both_add_and_change(make_staff_client):
    body = {"items": [_item("x@b.example")]}
    assert make_staff_client("customers.add_customer").post(URL, body, format="json").status_code == 403
    assert make_staff_client("customers.change_customer").post(URL, body, format="json").status_code == 403
    both = make_staff_client("customers.add_customer", "customers.change_customer")
    assert _results(both.post(URL, body, format="json"))[0]["status"] == "created"


def test_a_key_with_customers_write_may_upsert(make_key_client):
    results = _results(
        make_key_client("customers:write").post(URL, {"items": [_item("k@b.example")]}, format="json")
    )
    assert results[0]["status"] == "created"


def test_each_item_records_its_event_and_a_failed_one_none(staff_client):
    business_customer(email="known@b.example")
    items = [_item("new@b.example"), _item("known@b.example", notes="changed"), _item("bad")]
    _results(staff_client.post(URL, {"items": items}, format="json"))
    assert Event.objects.filter(type="customer.created").count() == 1
    assert Event.objects.filter(type="customer.updated").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_concurrent_requests_create_each_email_once(staff_user):
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    from tests.concurrency import run_concurrently

    body = {"items": [_item(f"race{i}@b.example") for i in range(20)]}
    token = str(RefreshToken.for_user(staff_user).access_token)

    def post(index):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        response = client.post(URL, body, format="json")
        return response.status_code, response.json()["results"]

    answers = run_concurrently(2, post)
    assert all(isinstance(a, tuple) and a[0] == 200 for a in answers), answers
    assert Customer.objects.filter(email__startswith="race").count() == 20
    statuses = [r["status"] for _, results in answers for r in results]
    # each email is created by one request and updated (not duplicated) by the other
    assert statuses.count("created") == 20
    assert statuses.count("updated") == 20
    assert [r["id"] for r in answers[0][1]] == [r["id"] for r in answers[1][1]]
