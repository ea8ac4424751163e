"""A customer requests a return from the order page; support approves it in the admin; the customer sees it."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from orders.models_returns import Return, ReturnStatus
from tests.factories import StaffUserFactory
from tests.returns.factories import delivered_order

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.orders.urls")]


def _support_user():
    user = StaffUserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="orders", codename__in=["view_return", "approve_return"]
        )
    )
    return user


def test_customer_requests_a_return_and_support_approves_it(login_page, live_server, customer):
    order = delivered_order(customer)
    item = order.items.first()

    # The customer asks to return one unit from the order's page.
    page = login_page(customer.user)
    page.goto(f"{live_server.url}/account/orders/{order.number}/")
    page.wait_for_selector("#return-order")
    page.locator(f'[name="quantity_{item.public_id}"]').fill("1")
    page.get_by_label("What would you like?").select_option("refund")
    page.get_by_label("Why are you returning it?").select_option("damaged")
    page.get_by_label("Anything we should know?").fill("The lid was cracked")
    page.get_by_role("button", name="Request return").click()
    page.wait_for_selector(".message-success")
    ret = Return.objects.get()
    expect(page.locator(f"#return-{ret.public_id} .return-status")).to_have_text("Requested")

    # Support approves it with the admin action.
    page.context.clear_cookies()
    page = login_page(_support_user())
    page.goto(f"{live_server.url}/admin/orders/return/")
    page.locator(f'input[name="_selected_action"][value="{ret.pk}"]').check()
    page.locator('select[name="action"]').select_option("approve_returns")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 return(s) approved")
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.APPROVED

    # The customer sees the new status and its history.
    page.context.clear_cookies()
    page = login_page(customer.user)
    page.goto(f"{live_server.url}/account/returns/")
    expect(page.locator(f"#return-{ret.public_id} .return-status")).to_have_text("Approved")
    expect(page.locator(f"#return-{ret.public_id} .return-history")).to_contain_text("Approved")
