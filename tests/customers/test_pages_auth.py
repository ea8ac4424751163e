"""Account pages: login by email, logout, registration, password reset, dashboard, error pages."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from customers import registry
from customers.models import Customer, User
from tests.factories import DEFAULT_PASSWORD, CustomerFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "email": "new.shopper@example.com",
    "first_name": "Nora",
    "last_name": "Vetiver",
    "password": "Amber-Musk-Rain-77",
    "confirm_password": "Amber-Musk-Rain-77",
    "accepted_terms": "on",
}


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_register_page_creates_customer_and_logs_in(client):
    response = client.post(reverse("account:register"), GOOD)

    assert response.status_code == 302
    assert response["Location"] == "/account/"
    customer = Customer.objects.get(email="new.shopper@example.com")
    assert customer.user.check_password(GOOD["password"])
    assert customer.accepted_terms_at is not None
    dashboard = client.get("/account/")
    assert "Nora Vetiver" in dashboard.content.decode()


def test_register_page_without_terms_shows_the_services_error(client):
    response = client.post(reverse("account:register"), {**GOOD, "accepted_terms": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["accepted_terms"] == ["You must accept the terms to register."]
    assert "You must accept the terms to register." in response.content.decode()
    assert not User.objects.filter(email__iexact=GOOD["email"]).exists()


def test_register_page_with_weak_password_shows_validator_messages(client):
    response = client.post(
        reverse("account:register"), {**GOOD, "password": "12345678", "confirm_password": "12345678"}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["password"]
    assert any("too common" in error for error in errors)
    assert not User.objects.filter(email__iexact=GOOD["email"]).exists()


def test_register_page_with_mismatched_passwords_is_refused(client):
    response = client.post(reverse("account:register"), {**GOOD, "confirm_password": "Other-Musk-Rain-77"})

    assert response.status_code == 200
    assert "confirm_password" in response.context["form"].errors
    assert not User.objects.exists()


def test_register_page_with_duplicate_email_in_other_case_is_refused(client):
    CustomerFactory(email="taken@example.com")

    response = client.post(reverse("account:register"), {**GOOD, "email": "TAKEN@Example.com"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Already registered."]
    assert Customer.objects.filter(email__iexact="taken@example.com").count() == 1
    assert "_auth_user_id" not in client.session


def test_register_page_with_invalid_phone_shows_field_error(client):
    response = client.post(reverse("account:register"), {**GOOD, "phone_number": "not a phone"})

    assert response.status_code == 200
    assert "phone_number" in response.context["form"].errors


def test_login_page_with_email_logs_in_case_insensitively(client):
    customer = CustomerFactory(email="jane.doe@example.com")

    response = client.post(
        reverse("account:login"), {"username": "Jane.Doe@EXAMPLE.com", "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert client.session["_auth_user_id"] == str(customer.user.pk)


def test_login_page_labels_the_username_field_email(client):
    response = client.get(reverse("account:login"))

    html = response.content.decode()
    assert re.search(r'<label for="id_username">Email', html)
    assert 'type="email" name="username"' in html


def test_login_page_with_wrong_password_shows_error_and_stays_logged_out(client):
    CustomerFactory(email="jane.doe@example.com")

    response = client.post(
        reverse("account:login"), {"username": "jane.doe@example.com", "password": "wrong-one"}
    )

    assert response.status_code == 200
    assert "Please enter a correct email and password." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_page_for_inactive_user_is_refused(client):
    customer = CustomerFactory()
    User.objects.filter(pk=customer.user.pk).update(is_active=False)

    response = client.post(
        reverse("account:login"), {"username": customer.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(client):
    customer = CustomerFactory()
    client.force_login(customer.user)

    assert client.get(reverse("account:logout")).status_code == 405
    response = client.post(reverse("account:logout"))

    assert response.status_code == 302
    assert response["Location"] == "/account/login/"
    assert "_auth_user_id" not in client.session
    assert client.get("/account/").status_code == 302


def test_dashboard_without_login_redirects_to_login(client):
    response = client.get("/account/")

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/account/"


def test_dashboard_shows_the_customers_name(client):
    customer = CustomerFactory(first_name="Ava", last_name="Sandal")
    client.force_login(customer.user)

    response = client.get("/account/")

    assert response.status_code == 200
    assert "Hello, Ava Sandal" in response.content.decode()


def test_dashboard_for_staff_without_customer_explains_instead_of_crashing(client):
    staff = StaffUserFactory()
    client.force_login(staff)

    response = client.get("/account/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "No customer account" in html
    assert reverse("admin:index") in html


def test_dashboard_shows_registered_profile_sections_and_skips_missing_values(client, monkeypatch):
    customer, other = CustomerFactory(), CustomerFactory()
    monkeypatch.setattr(registry, "_profile_sections", {})
    registry.register_profile_section("membership_tier", lambda customers: {other.pk: "Gold"})
    registry.register_profile_section(
        "order_stats",
        lambda customers: {c.pk: {"total_orders": 3, "total_spent": "120.00"} for c in customers},
    )
    client.force_login(customer.user)

    response = client.get("/account/")

    html = response.content.decode()
    assert "Order stats" in html and "Total orders" in html and "120.00" in html
    assert "Membership tier" not in html and "Gold" not in html


def test_dashboard_shows_a_plain_value_section_as_its_value_and_a_list_as_its_items(client, monkeypatch):
    # Given a section with one value and one with a list
    customer = CustomerFactory()
    monkeypatch.setattr(registry, "_profile_sections", {})
    registry.register_profile_section(
        "membership_tier", lambda customers: {c.pk: "premium" for c in customers}
    )
    registry.register_profile_section("badges", lambda customers: {c.pk: ["Early bird"] for c in customers})
    client.force_login(customer.user)

    # When the dashboard renders
    html = client.get("/account/").content.decode()

    # Then the value shows as itself, not as the section dict's (key, value) pairs
    assert '<p class="section-value">premium</p>' in html
    assert "<li>Early bird</li>" in html
    assert "(&#x27;title&#x27;" not in html and "('title'" not in html


def test_password_reset_sends_one_use_link_that_sets_a_new_password(
    client, django_capture_on_commit_callbacks
):
    customer = CustomerFactory(email="forgetful@example.com")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("account:password-reset"), {"email": "FORGETFUL@example.com"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account:password-reset-done")
    assert len(callbacks) == 1 and len(mail.outbox) == 1
    assert mail.outbox[0].to == ["forgetful@example.com"]
    link = re.search(r"http://testserver(/account/password-reset/confirm/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "Cedar-Smoke-Night-9", "new_password2": "Cedar-Smoke-Night-9"}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("account:password-reset-complete")
    customer.user.refresh_from_db()
    assert customer.user.check_password("Cedar-Smoke-Night-9")
    reused = client.get(link, follow=True)
    assert reused.context["validlink"] is False


def test_password_reset_for_unknown_email_looks_the_same_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account:password-reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account:password-reset-done")
    assert mail.outbox == []


@pytest.mark.parametrize("name", ["account:login", "account:register", "account:password-reset"])
def test_forms_carry_a_csrf_token(csrf_client, name):
    response = csrf_client.get(reverse(name))

    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_login_post_without_csrf_token_is_refused(csrf_client):
    CustomerFactory(email="jane.doe@example.com")

    response = csrf_client.post(
        reverse("account:login"), {"username": "jane.doe@example.com", "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/account/login/", "/account/register/", "/account/password-reset/"])
def test_account_pages_send_a_strict_csp_without_inline_script(client, path):
    response = client.get(path)

    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in response.content.decode()


def test_unknown_page_gets_the_friendly_404(client):
    response = client.get("/account/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_reset_link_of_the_api_email_opens_the_same_confirm_page(client):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    customer = CustomerFactory()
    uid = urlsafe_base64_encode(force_bytes(customer.user.pk))
    token = default_token_generator.make_token(customer.user)

    response = client.get(f"/account/reset/{uid}/{token}/", follow=True)

    assert response.status_code == 200
    assert response.context["validlink"] is True


def test_login_page_locks_the_account_and_ip_pair_after_repeated_failures(client):
    CustomerFactory(email="target@example.com")
    CustomerFactory(email="bystander@example.com")
    login_url = reverse("account:login")
    for _ in range(5):
        client.post(login_url, {"username": "target@example.com", "password": "wrong-guess"})

    locked = client.post(login_url, {"username": "target@example.com", "password": DEFAULT_PASSWORD})
    other = client.post(login_url, {"username": "bystander@example.com", "password": DEFAULT_PASSWORD})

    assert locked.status_code == 429
    assert "Too many login attempts" in locked.content.decode()
    assert int(locked["Retry-After"]) > 0
    assert "Content-Security-Policy" in locked
    assert other.status_code == 302


def test_dashboard_links_no_section_whose_page_is_not_installed(client, monkeypatch):
    from customers.templatetags import account_nav

    monkeypatch.setattr(
        account_nav,
        "SECTIONS",
        [
            ("account:no-such-page", "Nowhere", "Not installed."),
            ("account:login", "Installed", "A page that exists."),
        ],
    )
    client.force_login(CustomerFactory().user)

    html = client.get("/account/").content.decode()

    assert "Nowhere" not in html
    assert html.count('href="/account/login/"') == 2  # the account navigation and the dashboard cards


@pytest.mark.urls("tests.customers.urls_account_sections")
def test_dashboard_links_each_installed_section(client):
    client.force_login(CustomerFactory().user)

    html = client.get("/account/").content.decode()

    assert html.count('href="/account/profile/"') == 2  # the account navigation and the dashboard cards


@pytest.mark.urls("tests.customers.urls_broken_page")
def test_failing_page_gets_the_friendly_500_without_details():
    client = Client(raise_request_exception=False)

    response = client.get("/account/broken/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "boom" not in html and "Traceback" not in html
