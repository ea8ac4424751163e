"""The moderation admin: the pending queue, Approve and Reject through the services, permissions."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from reviews.models import ProductRating, Review, ReviewStatus
from tests.factories import StaffUserFactory
from tests.reviews.factories import make_review, reload

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:reviews_review_changelist"


@pytest.fixture
def support_client(client):
    """A staff user in the Customer support group (no superuser)."""
    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name="Customer support"))
    client.force_login(user)
    client.user = user
    return client


def _action(client, action, reviews, **extra):
    # From the "All" view, so that already moderated reviews can be selected too.
    data = {"action": action, "_selected_action": [r.pk for r in reviews], **extra}
    return client.post(f"{reverse(CHANGELIST)}?status=all", data, follow=True)


def test_customer_support_group_may_moderate_reviews():
    group = Group.objects.get(name="Customer support")
    codenames = set(
        group.permissions.filter(content_type__app_label="reviews").values_list("codename", flat=True)
    )
    assert {"moderate_review", "view_review"} <= codenames


def test_review_queue_shows_pending_reviews_by_default(support_client, customer, other_customer):
    pending = make_review(customer, title="Waiting review")
    make_review(other_customer, title="Published review", approved=True)
    html = support_client.get(reverse(CHANGELIST)).content.decode()
    assert "Waiting review" in html and "Published review" not in html
    html = support_client.get(reverse(CHANGELIST), {"status": "all"}).content.decode()
    assert "Waiting review" in html and "Published review" in html
    assert pending.public_id in html


def test_approve_action_publishes_through_the_service(support_client, customer):
    review = make_review(customer, rating=5)
    response = _action(support_client, "approve_reviews", [review])
    assert "1 review(s) approved." in response.content.decode()
    review = reload(review)
    assert (review.status, review.moderated_by) == (ReviewStatus.APPROVED, support_client.user)
    assert ProductRating.objects.get(product=review.product).review_count == 1


def test_reject_action_asks_for_a_note_then_rejects(support_client, customer):
    review = make_review(customer)
    response = _action(support_client, "reject_reviews", [review])
    assert 'name="note"' in response.content.decode()
    assert reload(review).status == ReviewStatus.PENDING
    response = _action(support_client, "reject_reviews", [review], apply="1", note="Not about the product")
    assert "1 review(s) rejected." in response.content.decode()
    review = reload(review)
    assert (review.status, review.moderation_note) == (ReviewStatus.REJECTED, "Not about the product")


def test_approve_action_reports_an_invalid_transition(support_client, customer):
    review = make_review(customer, approved=True)
    response = _action(support_client, "approve_reviews", [review])
    assert "is approved, not pending" in response.content.decode()


def test_staff_without_the_moderate_permission_cannot_moderate(client, customer):
    from django.contrib.auth.models import Permission

    user = StaffUserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_review"))
    client.force_login(user)
    review = make_review(customer)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert "approve_reviews" not in html
    _action(client, "approve_reviews", [review])
    assert reload(review).status == ReviewStatus.PENDING


def test_review_admin_is_read_only_and_cannot_delete(admin_client, customer):
    review = make_review(customer, approved=True)
    assert admin_client.get(reverse("admin:reviews_review_delete", args=[review.pk])).status_code == 403
    response = _action(admin_client, "delete_selected", [review], post="yes")
    assert Review.objects.filter(pk=review.pk).exists()
    assert ProductRating.objects.get(product=review.product).review_count == 1
    assert response.status_code == 200


def test_review_admin_change_form_is_read_only(support_client, customer):
    review = make_review(customer)
    url = reverse("admin:reviews_review_change", args=[review.pk])
    assert support_client.post(url, {"status": "approved", "rating": 1}).status_code == 403
    assert reload(review).status == ReviewStatus.PENDING
    assert support_client.get(reverse("admin:reviews_review_add")).status_code == 403
