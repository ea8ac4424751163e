"""A finance user runs a credit check on a business customer and approves it in the admin."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from customers.models import CreditCheck, Customer
from tests.business.factories import account_order, business_customer, finance_user, pay
from tests.orders.factories import ProductFactory


@pytest.mark.django_db(transaction=True)
def test_finance_user_runs_and_approves_a_credit_check_in_the_admin(live_server, login_page):
    # given a business customer with a 10,000.00 limit who buys 1,000.00 a month and pays in 10 days
    now = timezone.now()
    customer = business_customer(
        company_name="Customer XYZ", customer_since=(now - timedelta(days=800)).date()
    )
    product = ProductFactory(price=Decimal("1000.00"))
    for month in range(12):
        order = account_order(customer, [(product, 1)], placed_at=now - timedelta(days=30 * month + 15))
        pay(order, at=order.placed_at + timedelta(days=10))
    page = login_page(finance_user())

    # when the finance user runs a credit check from the customer list
    page.goto(f"{live_server.url}/admin/customers/customer/")
    page.check(f'input[name="_selected_action"][value="{customer.pk}"]')
    page.select_option('select[name="action"]', "run_credit_check")
    page.click('button[name="index"]')
    page.wait_for_selector("ul.messagelist li.success")
    assert "recommends 3000.00" in page.inner_text("ul.messagelist")

    # and approves it in the queue of pending credit checks
    check = CreditCheck.objects.get(customer=customer)
    page.goto(f"{live_server.url}/admin/customers/creditcheck/")
    page.wait_for_selector(f"text={check.public_id}")
    page.check(f'input[name="_selected_action"][value="{check.pk}"]')
    page.select_option('select[name="action"]', "approve_checks")
    page.click('button[name="index"]')
    page.wait_for_selector("ul.messagelist li.success")

    # then the customer's credit limit is the recommended one, and the check says who approved it
    assert "1 credit check(s) approved." in page.inner_text("ul.messagelist")
    assert Customer.objects.get(pk=customer.pk).credit_limit == Decimal("3000.00")
    check.refresh_from_db()
    assert check.status == "approved" and check.decided_by.groups.filter(name="Finance").exists()

    # and the customer page shows the new limit and the decided check
    page.goto(f"{live_server.url}/admin/customers/customer/{customer.pk}/change/")
    page.wait_for_selector("text=Approved")
    assert "3000.00" in page.content()
