"""Staff customer API: wiring, permissions, error bodies and query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from customers.models import Address, Contact, CreditCheck, Customer
from tests.business.factories import bulk_orders, business_customer, finance_user
from tests.factories import CustomerFactory
from tests.orders.factories import ProductFactory

pytestmark = pytest.mark.django_db

ADDRESS = {
    "line1": "1 Main St",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
    "country": "US",
}


def _create_body(**overrides):
    return {
        "name": "Customer XYZ",
        "email": "buyer@xyz.example",
        "phone": "+12025550143",
        "website": "https://xyz.example",
        "tax_id": "US-123",
        "payment_terms": "net_30",
        "currency": "usd",
        "credit_limit": "10000.00",
        "discount_rate": "5.00",
        "billing_address": ADDRESS,
        "shipping_address": {**ADDRESS, "line1": "9 Dock Rd"},
        "contacts": [
            {"name": "Ann Buyer", "title": "Purchasing", "email": "ann@xyz.example"},
            {"name": "Bob Pay", "title": "Accounts", "is_primary": True},
        ],
        **overrides,
    }


# --- create, retrieve, update --------------------------------------------------------------------


def test_create_business_customer_with_contacts_addresses_and_opening_limit(staff_client, staff_user):
    # when staff create a business customer
    response = staff_client.post("/api/customers", _create_body(), format="json")
    # then it answers 201 with the record, the contacts, and the default addresses
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id"].startswith("cust_")
    assert (body["kind"], body["name"], body["currency"], body["credit_limit"]) == (
        "business", "Customer XYZ", "USD", "10000.00",
    )  # fmt: skip
    assert (body["current_balance"], body["lifetime_value"], body["total_orders"]) == ("0.00", "0.00", 0)
    assert [(c["name"], c["is_primary"]) for c in body["contacts"]] == [
        ("Bob Pay", True),
        ("Ann Buyer", False),
    ]
    assert body["billing_address"]["line1"] == "1 Main St"
    assert body["shipping_address"]["line1"] == "9 Dock Rd"
    # and the opening limit is in the audit history with its author
    customer = Customer.objects.get(public_id=body["id"])
    created = customer.history.get()
    assert (created.credit_limit, created.history_user) == (Decimal("10000.00"), staff_user)


def test_create_with_an_invalid_address_writes_nothing(staff_client):
    body = _create_body(shipping_address={**ADDRESS, "postal_code": "ABC"})
    response = staff_client.post("/api/customers", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert "shipping_address" in response.json()["error"]["details"]
    assert not Customer.objects.exists() and not Contact.objects.exists() and not Address.objects.exists()


def test_create_duplicate_email_is_409(staff_client):
    CustomerFactory(email="Buyer@XYZ.example")
    response = staff_client.post("/api/customers", _create_body(), format="json")
    assert response.status_code == 409


def test_update_credit_limit_other_than_current_is_400_pointing_to_credit_check(staff_client, business):
    response = staff_client.patch(
        f"/api/customers/{business.public_id}", {"credit_limit": "20000.00"}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "credit-check" in error["details"]["credit_limit"][0]
    # the current value is accepted (a PUT may echo it back)
    response = staff_client.patch(
        f"/api/customers/{business.public_id}", {"credit_limit": "10000.00", "notes": "VIP"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["notes"] == "VIP"


def test_put_replaces_fields_and_records_history(staff_client, business, staff_user):
    body = {"name": "XYZ Holdings", "email": business.email, "payment_terms": "net_60", "is_active": False}
    response = staff_client.put(f"/api/customers/{business.public_id}", body, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["name"], response.json()["payment_terms"], response.json()["is_active"]) == (
        "XYZ Holdings", "net_60", False,
    )  # fmt: skip
    assert business.history.order_by("-history_id").first().history_user == staff_user


def test_retrieve_unknown_customer_is_404(staff_client):
    assert staff_client.get("/api/customers/cust_doesnotexist").status_code == 404


def test_customer_jwt_cannot_use_staff_routes(customer_client, business):
    assert customer_client.get("/api/customers").status_code == 403
    assert customer_client.get(f"/api/customers/{business.public_id}").status_code == 403


def test_api_key_scopes(make_key_client, business):
    reader = make_key_client("customers:read")
    assert reader.get(f"/api/customers/{business.public_id}").status_code == 200
    assert (
        reader.patch(f"/api/customers/{business.public_id}", {"notes": "x"}, format="json").status_code == 403
    )
    writer = make_key_client("customers:write")
    assert (
        writer.patch(f"/api/customers/{business.public_id}", {"notes": "x"}, format="json").status_code == 200
    )
    assert make_key_client("orders:read").get("/api/customers").status_code == 403


# --- list ------------------------------------------------------------------------------------------


def test_list_filters_search_and_sort(staff_client):
    acme = business_customer(company_name="Acme Scents", email="orders@acme.example")
    business_customer(company_name="Zeta Wax", email="hi@zeta.example", is_active=False)
    person = CustomerFactory(first_name="Jane", last_name="Smith", phone_number="+12025550188")
    old = CustomerFactory(last_name="Old")
    Customer.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))

    def ids(query):
        response = staff_client.get(f"/api/customers?{query}")
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["data"]]

    assert ids("kind=business&is_active=true") == [acme.public_id]
    assert ids("search=acme") == [acme.public_id]
    assert ids("search=jane smith") == [person.public_id]
    assert ids("search=5550188") == [person.public_id]
    assert ids(f"created_to={(timezone.now() - timedelta(days=30)).date()}") == [old.public_id]
    assert old.public_id not in ids(f"created_from={(timezone.now() - timedelta(days=1)).date()}")
    assert ids("kind=business&sort=-company_name") == ids("kind=business&sort=company_name")[::-1]
    assert staff_client.get("/api/customers?kind=robot").status_code == 400


@pytest.mark.parametrize("orders", [10, 1000])
def test_list_answers_in_a_bounded_number_of_queries(staff_client, django_assert_max_num_queries, orders):
    # given 5 business customers, one with many orders, each with contacts and addresses
    product = ProductFactory()
    customers = [business_customer() for _ in range(5)]
    for customer in customers:
        Contact.objects.create(customer=customer, name="Primary", is_primary=True)
        Contact.objects.create(customer=customer, name="Other")
        Address.objects.create(customer=customer, line1="1 Main", country="US", is_default_billing=True)
    bulk_orders(customers[0], product, orders, start=timezone.now() - timedelta(days=365))
    # when the list is read, then the number of queries does not depend on rows or orders:
    # auth user, count, page, contacts, addresses, order totals
    with django_assert_max_num_queries(7):
        response = staff_client.get("/api/customers?kind=business")
    assert response.status_code == 200
    row = next(r for r in response.json()["data"] if r["id"] == customers[0].public_id)
    assert row["total_orders"] == orders
    assert row["lifetime_value"] == f"{product.price * orders:.2f}"


# --- analytics --------------------------------------------------------------------------------------


def test_analytics_route_answers_the_contract_fields(staff_client, history):
    response = staff_client.get(f"/api/customers/{history['customer'].public_id}/analytics?period=all")
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"customer", "overview", "financial_summary", "order_history", "top_products",
                         "customer_segment", "risk_score"}  # fmt: skip
    assert body["overview"]["lifetime_value"] == "800.00"
    assert body["financial_summary"]["credit_utilization"] == "2.00"
    assert body["financial_summary"]["avg_payment_days"] == "30.0"
    assert body["top_products"][0]["revenue"] == "500.00"
    assert body["risk_score"] == 16


def test_analytics_invalid_period_is_400(staff_client, business):
    response = staff_client.get(f"/api/customers/{business.public_id}/analytics?period=2w")
    assert response.status_code == 400
    assert "period" in response.json()["error"]["details"]


@pytest.mark.parametrize("orders", [10, 1000])
def test_analytics_answers_in_a_bounded_number_of_queries(
    staff_client, django_assert_max_num_queries, orders
):
    customer = business_customer(customer_since=(timezone.now() - timedelta(days=400)).date())
    bulk_orders(
        customer, ProductFactory(price=Decimal("10.00")), orders, start=timezone.now() - timedelta(days=364)
    )
    # auth user, customer, aggregate row, monthly history, top products
    with django_assert_max_num_queries(5):
        response = staff_client.get(f"/api/customers/{customer.public_id}/analytics")
    assert response.status_code == 200
    body = response.json()
    assert body["overview"]["total_orders"] == orders
    assert sum(month["orders"] for month in body["order_history"]) == orders
    assert body["financial_summary"]["avg_payment_days"] == "20.0"


# --- contacts ---------------------------------------------------------------------------------------


def test_contacts_first_is_primary_and_making_another_primary_clears_it(staff_client, business):
    url = f"/api/customers/{business.public_id}/contacts"
    first = staff_client.post(url, {"name": "Ann"}, format="json").json()
    second = staff_client.post(url, {"name": "Bob", "phone": "+12025550143"}, format="json").json()
    assert (first["is_primary"], second["is_primary"]) == (True, False)
    assert first["id"].startswith("cont_")
    response = staff_client.patch(f"{url}/{second['id']}", {"is_primary": True}, format="json")
    assert response.status_code == 200
    listed = staff_client.get(url).json()["data"]
    assert [(c["name"], c["is_primary"]) for c in listed] == [("Bob", True), ("Ann", False)]


def test_contacts_unsetting_the_primary_is_400_and_deleting_it_promotes_another(staff_client, business):
    url = f"/api/customers/{business.public_id}/contacts"
    first = staff_client.post(url, {"name": "Ann"}, format="json").json()
    staff_client.post(url, {"name": "Bob"}, format="json")
    assert staff_client.patch(f"{url}/{first['id']}", {"is_primary": False}, format="json").status_code == 400
    assert staff_client.delete(f"{url}/{first['id']}").status_code == 204
    assert [(c["name"], c["is_primary"]) for c in staff_client.get(url).json()["data"]] == [("Bob", True)]


def test_contacts_of_another_customer_are_404(staff_client, business):
    other = business_customer()
    contact = Contact.objects.create(customer=other, name="Eve", is_primary=True)
    assert (
        staff_client.get(f"/api/customers/{business.public_id}/contacts/{contact.public_id}").status_code
        == 404
    )


def test_contacts_database_allows_only_one_primary(business):
    from django.db import IntegrityError, transaction

    Contact.objects.create(customer=business, name="A", is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(customer=business, name="B", is_primary=True)


# --- credit checks ----------------------------------------------------------------------------------


def test_credit_check_route_is_201_and_idempotent(staff_client, history):
    url = f"/api/customers/{history['customer'].public_id}/credit-check"
    first = staff_client.post(url, HTTP_IDEMPOTENCY_KEY="cc-1")
    assert first.status_code == 201
    body = first.json()
    assert set(body) >= {"id", "customer_id", "credit_score", "credit_rating", "recommended_credit_limit",
                         "current_credit_limit", "risk_assessment", "status", "last_checked"}  # fmt: skip
    assert (body["status"], body["credit_score"], body["current_credit_limit"]) == (
        "pending_approval",
        652,
        "10000.00",
    )
    replay = staff_client.post(url, HTTP_IDEMPOTENCY_KEY="cc-1")
    assert (replay.status_code, replay.json()["id"]) == (201, body["id"])
    assert CreditCheck.objects.count() == 1


def test_credit_check_approve_and_reject_routes(staff_client, history, finance_client):
    customer = history["customer"]
    check = staff_client.post(f"/api/customers/{customer.public_id}/credit-check").json()
    response = finance_client.post(f"/api/credit-checks/{check['id']}/approve", {}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    customer.refresh_from_db()
    assert customer.credit_limit == Decimal(check["recommended_credit_limit"])
    # approving twice is 409
    again = finance_client.post(f"/api/credit-checks/{check['id']}/approve", {}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"


def test_credit_check_reject_needs_a_note(history, finance_client, staff_client):
    check = staff_client.post(f"/api/customers/{history['customer'].public_id}/credit-check").json()
    missing = finance_client.post(f"/api/credit-checks/{check['id']}/reject", {}, format="json")
    assert missing.status_code == 400 and "note" in missing.json()["error"]["details"]
    response = finance_client.post(
        f"/api/credit-checks/{check['id']}/reject", {"note": "Wait a quarter"}, format="json"
    )
    assert (response.status_code, response.json()["status"], response.json()["note"]) == (
        200,
        "rejected",
        "Wait a quarter",
    )
    history["customer"].refresh_from_db()
    assert history["customer"].credit_limit == Decimal("10000.00")


def test_support_user_and_api_keys_cannot_approve_credit(
    history, staff_client, make_staff_client, make_key_client
):
    check = staff_client.post(f"/api/customers/{history['customer'].public_id}/credit-check").json()
    support = make_staff_client("customers.view_customer")
    assert support.post(f"/api/credit-checks/{check['id']}/approve").status_code == 403
    key = make_key_client("customers:read", "customers:write")
    assert key.post(f"/api/credit-checks/{check['id']}/approve").status_code == 403
    assert (
        key.post(f"/api/credit-checks/{check['id']}/reject", {"note": "x"}, format="json").status_code == 403
    )
    assert CreditCheck.objects.get(public_id=check["id"]).status == "pending_approval"


def test_finance_group_holds_the_approve_credit_permission(db):
    assert finance_user().has_perm("customers.approve_credit")


def test_credit_check_unknown_is_404(finance_client):
    assert finance_client.post("/api/credit-checks/cc_nope/approve").status_code == 404


def test_staff_routes_do_not_shadow_me_routes(customer_client):
    # a "me" route under /api/customers/ is not taken for a customer id
    assert customer_client.get("/api/customers/bank-accounts").status_code == 200


def test_schema_documents_the_business_routes(staff_client):
    schema = staff_client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "/api/customers" in paths and "/api/credit-checks/{credit_check_id}/approve" in paths
    assert any(p.endswith("/analytics") for p in paths)


@pytest.mark.postgres
def test_search_uses_the_trigram_indexes_on_postgresql(db):
    from django.db import connection

    from customers.selectors.business import CustomerFilters, customer_list

    # the filter as the list's count runs it (without the sort, which an empty table serves by index)
    queryset = customer_list(filters=CustomerFilters(search="acme")).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for index in ("email", "company", "first_name", "last_name"):
        assert f"customers_cust_{index}_trgm" in plan, plan


def test_registered_list_filter_narrows_the_list(staff_client, monkeypatch):
    # given an app (loyalty) that registers the membership_tier filter
    from customers import registry

    gold = business_customer(notes="gold")
    business_customer(notes="silver")
    monkeypatch.setattr(registry, "_customer_filters", {})
    registry.register_customer_filter("membership_tier", lambda qs, value: qs.filter(notes=value))
    # when staff filter by it, then only matching customers are listed
    response = staff_client.get("/api/customers?membership_tier=gold")
    assert [row["id"] for row in response.json()["data"]] == [gold.public_id]


@pytest.mark.parametrize("count", [1, 30])
def test_contacts_list_answers_in_a_bounded_number_of_queries(
    staff_client, django_assert_max_num_queries, count
):
    customer = business_customer()
    Contact.objects.bulk_create(
        [Contact(customer=customer, name=f"C{n}", is_primary=n == 0) for n in range(count)]
    )
    # auth user, customer, count, page
    with django_assert_max_num_queries(4):
        response = staff_client.get(f"/api/customers/{customer.public_id}/contacts")
    assert response.json()["pagination"]["total"] == count


def test_contacts_take_part_in_gdpr_export_and_erasure(business):
    from customers import registry

    Contact.objects.create(customer=business, name="Ann Buyer", email="ann@xyz.example", phone="+12025550143",
                           is_primary=True)  # fmt: skip
    assert registry.export_sections()["contacts"](business)[0]["email"] == "ann@xyz.example"
    registry.erasers()["contacts"](business)
    contact = business.contacts.get()
    assert (contact.name, contact.email, str(contact.phone), contact.is_primary) == (
        "Erased contact",
        "",
        "",
        True,
    )


# --- staff roles: each staff route needs its model permission ------------------------------------


def _support_client():
    from django.contrib.auth.models import Group

    from tests.conftest import bearer_client
    from tests.factories import StaffUserFactory

    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name="Customer support"))
    return bearer_client(user)


def test_staff_without_customer_permissions_is_refused_every_staff_customer_route(
    business, make_staff_client
):
    # Given a staff user without any permission
    client = make_staff_client()
    cid = business.public_id
    # When it calls the staff customer routes, then each is 403 and nothing changes
    assert client.get("/api/customers").status_code == 403
    assert client.get(f"/api/customers/{cid}").status_code == 403
    assert client.get(f"/api/customers/{cid}/analytics").status_code == 403
    assert client.patch(f"/api/customers/{cid}", {"notes": "x"}, format="json").status_code == 403
    assert client.post(f"/api/customers/{cid}/contacts", {"name": "Al"}, format="json").status_code == 403
    assert client.post(f"/api/customers/{cid}/credit-check").status_code == 403
    assert client.post("/api/customers", _create_body(), format="json").status_code == 403
    business.refresh_from_db()
    assert business.notes == "" and not business.contacts.exists() and not CreditCheck.objects.exists()


def test_support_group_reads_and_edits_customers_and_contacts_but_runs_no_credit_check(business):
    # Given a member of "Customer support"
    client = _support_client()
    cid = business.public_id
    # Then it reads and edits the customer and keeps its contacts
    assert client.get("/api/customers").status_code == 200
    assert client.get(f"/api/customers/{cid}/analytics").status_code == 200
    assert client.patch(f"/api/customers/{cid}", {"notes": "Called"}, format="json").status_code == 200
    created = client.post(f"/api/customers/{cid}/contacts", {"name": "Al Buyer"}, format="json")
    assert created.status_code == 201, created.content
    contact = f"/api/customers/{cid}/contacts/{created.json()['id']}"
    assert client.patch(contact, {"title": "Buyer"}, format="json").status_code == 200
    assert client.delete(contact).status_code == 204
    # But neither creates customers nor runs credit checks (Finance's work)
    assert client.post("/api/customers", _create_body(), format="json").status_code == 403
    assert client.post(f"/api/customers/{cid}/credit-check").status_code == 403


def test_finance_group_reads_customers_and_runs_credit_checks_but_edits_nothing(business, finance_client):
    cid = business.public_id
    assert finance_client.get(f"/api/customers/{cid}").status_code == 200
    assert finance_client.get(f"/api/customers/{cid}/contacts").status_code == 200
    assert finance_client.post(f"/api/customers/{cid}/credit-check").status_code == 201
    assert finance_client.patch(f"/api/customers/{cid}", {"notes": "x"}, format="json").status_code == 403
    assert (
        finance_client.post(f"/api/customers/{cid}/contacts", {"name": "Al"}, format="json").status_code
        == 403
    )
