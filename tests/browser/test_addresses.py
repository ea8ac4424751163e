"""The address book in a browser: add an address, make it the default, delete it."""

import pytest
from playwright.sync_api import expect

from customers.models import Address
from customers.services.addresses import address_create
from tests.customers.conftest import address_data

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.customers.pages_urls")]


def test_customer_adds_an_address_makes_it_default_and_deletes_it(login_page, live_server, customer):
    # given a customer whose book already holds a default address
    home = address_create(customer=customer, data=address_data(name="Home"))
    page = login_page(customer.user)
    page.goto(f"{live_server.url}/account/addresses/")
    expect(page.locator(f'[data-address-id="{home.public_id}"]')).to_contain_text("Default billing")

    # when they add a British address: choosing the country fits the form to it
    page.get_by_role("link", name="Add an address").click()
    expect(page.get_by_role("heading", name="Add an address")).to_be_visible()
    expect(page.locator("#address-country-refresh")).to_be_hidden()  # the form's script is running
    page.get_by_label("Country").select_option("GB")
    expect(page.get_by_label("Postal code (required)")).to_be_visible()
    page.get_by_label("Label").fill("Studio")
    page.get_by_label("Street address").fill("221B Baker Street")
    page.get_by_label("Town (required)").fill("London")
    page.get_by_label("Postal code (required)").fill("nw16xe")
    page.get_by_role("button", name="Save address").click()

    # then it is listed with its canonical postcode, not as a default
    studio = page.locator("article.address", has_text="Studio")
    expect(studio).to_contain_text("NW1 6XE")
    expect(studio).not_to_contain_text("Default billing")

    # when they make it the default
    studio.get_by_role("button", name="Make default").click()
    studio = page.locator("article.address", has_text="Studio")
    expect(studio).to_contain_text("Default billing")
    expect(studio).to_contain_text("Default shipping")
    expect(page.locator(f'[data-address-id="{home.public_id}"]')).not_to_contain_text("Default billing")

    # and then delete it
    studio.get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Delete address").click()
    expect(page.locator("article.address", has_text="Studio")).to_have_count(0)

    # then the default went back to the remaining address
    expect(page.locator(f'[data-address-id="{home.public_id}"]')).to_contain_text("Default billing")
    assert list(Address.objects.filter(customer=customer)) == [home]
