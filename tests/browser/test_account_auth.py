"""Registering, logging out and logging in through the account pages in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from customers.models import Customer

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Bergamot-Fig-Leaf-31"


def test_register_logout_login_lands_on_dashboard_with_name(page, live_server):
    # Given the register page
    page.goto(f"{live_server.url}/account/register/")

    # When a shopper registers through the form
    page.get_by_label("Email").fill("rosa.petal@example.com")
    page.get_by_label("First name").fill("Rosa")
    page.get_by_label("Last name").fill("Petal")
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_label("I accept the terms and conditions").check()
    page.get_by_role("button", name="Create account").click()

    # Then they land on their dashboard, logged in
    expect(page).to_have_url(re.compile(r"/account/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Rosa Petal")
    assert Customer.objects.filter(email="rosa.petal@example.com").exists()

    # When they log out
    page.get_by_role("button", name="Log out").click()

    # Then they are on the login page
    expect(page).to_have_url(re.compile(r"/account/login/$"))
    expect(page.get_by_role("status")).to_contain_text("You have been logged out.")

    # When they log in again with the email
    page.get_by_label("Email").fill("Rosa.Petal@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # Then the dashboard shows their name
    expect(page).to_have_url(re.compile(r"/account/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Rosa Petal")


def test_register_with_terms_unchecked_shows_the_error_next_to_the_field(page, live_server):
    page.goto(f"{live_server.url}/account/register/")

    page.get_by_label("Email").fill("no.terms@example.com")
    page.get_by_label("First name").fill("Noah")
    page.get_by_label("Last name").fill("Terms")
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page.locator("#id_accepted_terms_error")).to_have_text("You must accept the terms to register.")
    expect(page).to_have_url(re.compile(r"/account/register/$"))
