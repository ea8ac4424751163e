"""Staff admin for users, customers (history, addresses inline) and API keys."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from customers.models import Address, APIKey, Customer, User
from tests.factories import CustomerFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def support_client(client):
    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name="Customer support"))
    client.force_login(user)
    return client


def customer_change_data(customer, **overrides):
    """The change form's POST body for `customer`, with no address rows."""
    data = {
        "user": customer.user_id or "",
        "kind": customer.kind,
        "is_active": "on",
        "customer_since": customer.customer_since.isoformat(),
        "email": customer.email,  # read-only for a customer with a login, ignored then
        "salutation": customer.salutation,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "phone_number": "",
        "date_of_birth": "",
        "gender": "",
        "preferred_currency": "USD",
        "reminder_frequency": customer.reminder_frequency,
        "transactional_email": "on",
        "payment_terms": customer.payment_terms,
        "currency": "USD",
        "credit_limit": "0.00",
        "discount_rate": "0.00",
        "addresses-TOTAL_FORMS": "0",
        "addresses-INITIAL_FORMS": "0",
        "addresses-MIN_NUM_FORMS": "0",
        "addresses-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def address_row(index=0, **values):
    row = {
        "line1": "1 Infinite Loop",
        "city": "Cupertino",
        "state": "CA",
        "postal_code": "95014",
        "country": "US",
    }
    row.update(values)
    return {f"addresses-{index}-{key}": value for key, value in row.items()}


def test_customer_changelist_search_by_email_and_name_finds_the_customer(admin_client):
    wanted = CustomerFactory(email="ylang@example.com", last_name="Ylang")
    CustomerFactory(email="other@example.com", last_name="Other")
    url = reverse("admin:customers_customer_changelist")

    by_email = admin_client.get(url, {"q": "ylang@"})
    by_name = admin_client.get(url, {"q": "ylang"})

    assert by_email.status_code == 200
    assert list(by_email.context["cl"].result_list) == [wanted]
    assert list(by_name.context["cl"].result_list) == [wanted]


def test_customer_changelist_search_by_phone_and_company(admin_client):
    phoned = CustomerFactory(phone_number="+14155550199")
    business = CustomerFactory(kind=Customer.Kind.BUSINESS, company_name="Oud & Co")
    url = reverse("admin:customers_customer_changelist")

    assert list(admin_client.get(url, {"q": "4155550199"}).context["cl"].result_list) == [phoned]
    assert list(admin_client.get(url, {"q": "oud &"}).context["cl"].result_list) == [business]


def test_customer_changelist_search_by_public_id_is_exact(admin_client):
    wanted = CustomerFactory()
    CustomerFactory()
    url = reverse("admin:customers_customer_changelist")

    assert list(admin_client.get(url, {"q": wanted.public_id}).context["cl"].result_list) == [wanted]
    assert list(admin_client.get(url, {"q": wanted.public_id[:-1]}).context["cl"].result_list) == []


def test_customer_changelist_filters_by_kind(admin_client):
    CustomerFactory()
    business = CustomerFactory(kind=Customer.Kind.BUSINESS, company_name="Musk Ltd")

    response = admin_client.get(reverse("admin:customers_customer_changelist"), {"kind__exact": "business"})

    assert list(response.context["cl"].result_list) == [business]


def test_customer_changelist_query_count_does_not_grow_with_rows(admin_client, django_assert_max_num_queries):
    url = reverse("admin:customers_customer_changelist")
    CustomerFactory()
    with django_assert_max_num_queries(20) as one_row:
        assert admin_client.get(url).status_code == 200
    CustomerFactory.create_batch(15)

    with django_assert_max_num_queries(len(one_row.captured_queries)):
        assert admin_client.get(url).status_code == 200


def test_user_changelist_query_count_does_not_grow_with_rows(admin_client, django_assert_max_num_queries):
    url = reverse("admin:customers_user_changelist")
    CustomerFactory()
    with django_assert_max_num_queries(20) as one_row:
        assert admin_client.get(url, {"q": "example.com"}).status_code == 200
    CustomerFactory.create_batch(15)

    with django_assert_max_num_queries(len(one_row.captured_queries)):
        assert admin_client.get(url, {"q": "example.com"}).status_code == 200


def test_customer_change_is_kept_in_the_history_page(admin_client, staff_user):
    customer = CustomerFactory(first_name="Iris")
    url = reverse("admin:customers_customer_change", args=[customer.pk])

    response = admin_client.post(url, customer_change_data(customer, first_name="Irene"))

    assert response.status_code == 302, response.context["errors"] if response.context else response
    customer.refresh_from_db()
    assert customer.first_name == "Irene"
    latest = customer.history.first()
    assert latest.first_name == "Irene" and latest.history_user == staff_user
    history = admin_client.get(reverse("admin:customers_customer_history", args=[customer.pk]))
    assert history.status_code == 200
    assert "Irene" in history.content.decode()


def test_customer_address_inline_normalizes_a_valid_address(admin_client):
    customer = CustomerFactory()
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    data = customer_change_data(
        customer, **{"addresses-TOTAL_FORMS": "1"}, **address_row(postal_code="95014", state="ca")
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302
    address = Address.objects.get(customer=customer)
    assert (address.state, address.postal_code, address.country.code) == ("CA", "95014", "US")


def test_customer_address_inline_refuses_a_bad_postal_code(admin_client):
    customer = CustomerFactory()
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    data = customer_change_data(
        customer, **{"addresses-TOTAL_FORMS": "1"}, **address_row(postal_code="ABCDE")
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Enter a valid postal code for United States" in response.content.decode()
    assert not Address.objects.exists()


def test_customer_address_inline_refuses_two_default_billing_addresses(admin_client):
    customer = CustomerFactory()
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    data = customer_change_data(
        customer,
        **{"addresses-TOTAL_FORMS": "2"},
        **address_row(0, is_default_billing="on"),
        **address_row(1, line1="2 Infinite Loop", is_default_billing="on"),
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Only one address can be the default billing address." in response.content.decode()
    assert not Address.objects.exists()


def test_support_group_can_view_and_change_customers_but_not_users(client):
    customer = CustomerFactory()
    support = support_client(client)

    assert support.get(reverse("admin:customers_customer_changelist")).status_code == 200
    assert support.get(reverse("admin:customers_customer_change", args=[customer.pk])).status_code == 200
    assert support.get(reverse("admin:customers_customer_history", args=[customer.pk])).status_code == 200
    assert support.get(reverse("admin:customers_user_changelist")).status_code == 403
    assert support.get(reverse("admin:customers_customer_add")).status_code == 403


def test_user_add_form_creates_login_by_email_and_refuses_case_duplicates(admin_client):
    User.objects.create_user(email="taken@moodmnky.example", password="x-Long-Enough-1")
    url = reverse("admin:customers_user_add")
    body = {"usable_password": "true", "password1": "Vanilla-Orchid-55", "password2": "Vanilla-Orchid-55"}

    duplicate = admin_client.post(url, {"email": "TAKEN@moodmnky.example", **body})
    created = admin_client.post(url, {"email": "new.staff@moodmnky.example", **body})

    assert duplicate.status_code == 200
    assert User.objects.filter(email__iexact="taken@moodmnky.example").count() == 1
    assert created.status_code == 302
    assert User.objects.get(email="new.staff@moodmnky.example").check_password("Vanilla-Orchid-55")


def test_user_changelist_filters_staff(admin_client, staff_user):
    CustomerFactory()

    response = admin_client.get(reverse("admin:customers_user_changelist"), {"is_staff__exact": "1"})

    assert list(response.context["cl"].result_list) == [staff_user]


def test_api_key_add_form_stores_chosen_scopes_and_shows_the_key_once(admin_client, staff_user):
    response = admin_client.post(
        reverse("admin:customers_apikey_add"),
        {
            "name": "Warehouse",
            "scopes": ["orders:read", "orders:write"],
            "expiry_date_0": "",
            "expiry_date_1": "",
        },
        follow=True,
    )

    assert response.status_code == 200
    key = APIKey.objects.get(name="Warehouse")
    assert key.scopes == ["orders:read", "orders:write"]
    assert key.created_by == staff_user
    assert any("The API key for Warehouse is:" in str(message) for message in response.context["messages"])


def test_api_key_add_form_refuses_an_unknown_scope(admin_client):
    response = admin_client.post(reverse("admin:customers_apikey_add"), {"name": "Bad", "scopes": ["root"]})

    assert response.status_code == 200
    assert not APIKey.objects.exists()


def test_customer_with_login_keeps_its_email_when_admin_posts_another(admin_client):
    customer = CustomerFactory(email="kept@example.com")
    url = reverse("admin:customers_customer_change", args=[customer.pk])

    response = admin_client.post(url, customer_change_data(customer, email="changed@example.com"))

    assert response.status_code == 302
    customer.refresh_from_db()
    customer.user.refresh_from_db()
    assert customer.email == customer.user.email == "kept@example.com"


def test_user_with_customer_account_keeps_its_email_in_the_user_admin(admin_client):
    customer = CustomerFactory(email="kept@example.com")

    page = admin_client.get(reverse("admin:customers_user_change", args=[customer.user.pk]))

    assert 'name="email"' not in page.content.decode()
