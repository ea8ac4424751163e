"""A customer writes a review from the reviews page; a support user approves it in the admin."""

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from reviews.models import ProductRating, Review, ReviewStatus
from tests.factories import StaffUserFactory
from tests.reviews.factories import delivered_product

# serialized_rollback keeps the groups and permissions the data migrations created.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _support_group() -> Group:
    """The group as the data migration sets it up (a flush by an earlier transactional test drops it)."""
    group, _ = Group.objects.get_or_create(name="Customer support")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="reviews", codename__in=["view_review", "moderate_review"]
        )
    )
    return group


def test_write_a_review_and_a_support_user_approves_it(login_page, live_server, customer):
    product = delivered_product(customer, name="Cedar Mist Diffuser")
    page = login_page(customer.user)

    page.goto(f"{live_server.url}/account/reviews/")
    form = page.locator(f'[data-product="{product.public_id}"]')
    form.get_by_label("Rating").select_option("5")
    form.get_by_label("Title").fill("Like a forest walk")
    form.get_by_label("Your review").fill("<b>Woody</b> and fresh.")
    form.get_by_role("button", name="Submit review").click()

    expect(page.get_by_role("status")).to_contain_text("will appear once it is approved")
    review = Review.objects.get(customer=customer, product=product)
    row = page.locator(f'[data-review="{review.public_id}"]')
    expect(row.get_by_test_id("review-status")).to_have_text("Pending")
    expect(row).to_contain_text("<b>Woody</b> and fresh.")

    support = StaffUserFactory()
    support.groups.add(_support_group())
    page.context.clear_cookies()
    page = login_page(support)
    page.goto(f"{live_server.url}/admin/reviews/review/")
    result = page.locator("#result_list tr", has_text=review.public_id)
    result.locator("input.action-select").check()
    page.locator("select[name=action]").select_option("approve_reviews")
    page.locator("#changelist-form button[name=index]").click()

    expect(page.locator("ul.messagelist")).to_contain_text("1 review(s) approved.")
    review.refresh_from_db()
    assert (review.status, review.moderated_by) == (ReviewStatus.APPROVED, support)
    assert ProductRating.objects.get(product=product).review_count == 1
