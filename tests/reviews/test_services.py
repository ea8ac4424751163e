"""Review services: verified purchase, one per product, edits, moderation and the exact rating."""

from decimal import Decimal

import pytest

from config.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from customers import registry
from orders.services import order_ship
from reviews.models import ProductRating, Review, ReviewStatus
from reviews.services import (
    review_approve,
    review_create,
    review_delete,
    review_reject,
    review_update,
)
from tests.factories import CustomerFactory, StaffUserFactory
from tests.orders.factories import ProductFactory, make_delivered_order, make_order
from tests.reviews.factories import delivered_product, make_review, reload

pytestmark = pytest.mark.django_db


def _rating(product):
    row = ProductRating.objects.filter(product=product).first()
    return (str(row.average_rating) if row and row.review_count else None, row.review_count if row else 0)


def test_review_create_for_a_delivered_product_starts_pending_and_keeps_the_proof(customer, product):
    review = review_create(customer=customer, product=product, rating=5, title=" Great ", body="Lovely.")
    assert review.status == ReviewStatus.PENDING
    assert review.order_item.product == product
    assert review.order_item.order.customer == customer
    assert review.title == "Great"
    assert _rating(product) == (None, 0)


def test_review_create_for_a_product_never_bought_is_denied(customer):
    with pytest.raises(PermissionDenied):
        review_create(customer=customer, product=ProductFactory(), rating=5, title="t", body="b")


def test_review_create_for_a_product_only_in_an_undelivered_order_is_denied(customer):
    product = ProductFactory()
    order = make_order(customer, products=[product])
    order_ship(order=order, courier="DHL", tracking_number="T1")
    with pytest.raises(PermissionDenied):
        review_create(customer=customer, product=product, rating=5, title="t", body="b")


def test_review_create_for_a_product_another_customer_received_is_denied(customer, other_customer):
    product = delivered_product(other_customer)
    with pytest.raises(PermissionDenied):
        review_create(customer=customer, product=product, rating=5, title="t", body="b")


def test_review_create_twice_for_the_same_product_conflicts(customer, product):
    make_review(customer, product)
    with pytest.raises(Conflict):
        review_create(customer=customer, product=product, rating=3, title="Again", body="Again.")
    assert Review.objects.filter(customer=customer, product=product).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"rating": "4.5"}, "rating"),
        ({"rating": True}, "rating"),
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": ""}, "body"),
        ({"body": "x" * 5001}, "body"),
    ],
)
def test_review_create_with_invalid_input_names_the_field(customer, product, data, field):
    values = {"rating": 4, "title": "Fine", "body": "Fine.", **data}
    with pytest.raises(ValidationFailed) as exc:
        review_create(customer=customer, product=product, **values)
    assert field in exc.value.details


def test_review_approve_counts_the_rating_and_records_the_moderator(customer, product):
    staff = StaffUserFactory()
    review = review_approve(review=make_review(customer, product, rating=4), by=staff, note="ok")
    assert (review.status, review.moderated_by, review.moderation_note) == (
        ReviewStatus.APPROVED,
        staff,
        "ok",
    )
    assert review.moderated_at is not None
    assert _rating(product) == ("4.00", 1)


def test_review_reject_needs_a_note_and_leaves_the_rating(customer, product):
    review = make_review(customer, product)
    with pytest.raises(ValidationFailed):
        review_reject(review=review, by=StaffUserFactory(), note=" ")
    rejected = review_reject(review=review, by=StaffUserFactory(), note="Off topic")
    assert rejected.status == ReviewStatus.REJECTED and rejected.moderation_note == "Off topic"
    assert _rating(product) == (None, 0)


@pytest.mark.parametrize("first", ["approve", "reject"])
def test_review_moderation_of_a_moderated_review_is_an_invalid_transition(customer, product, first):
    review = make_review(customer, product)
    staff = StaffUserFactory()
    review_approve(review=review, by=staff) if first == "approve" else review_reject(
        review=review, by=staff, note="no"
    )
    with pytest.raises(InvalidTransition):
        review_approve(review=review, by=staff)
    with pytest.raises(InvalidTransition):
        review_reject(review=review, by=staff, note="no")


def test_review_update_by_the_author_goes_back_to_pending_and_out_of_the_average(customer, product):
    review = make_review(customer, product, rating=5, approved=True)
    assert _rating(product) == ("5.00", 1)
    updated = review_update(review=review, customer=customer, rating=2, body="Changed my mind.")
    assert (updated.status, updated.rating, updated.body) == (ReviewStatus.PENDING, 2, "Changed my mind.")
    assert updated.moderated_at is None and updated.moderated_by is None
    assert _rating(product) == (None, 0)


def test_review_update_without_a_change_keeps_the_status(customer, product):
    review = make_review(customer, product, rating=5, approved=True)
    same = review_update(review=review, customer=customer, rating=5)
    assert same.status == ReviewStatus.APPROVED
    assert _rating(product) == ("5.00", 1)


def test_review_update_by_another_customer_is_not_found(customer, other_customer, product):
    review = make_review(customer, product)
    with pytest.raises(NotFound):
        review_update(review=review, customer=other_customer, rating=1)
    with pytest.raises(NotFound):
        review_delete(review=review, customer=other_customer)
    assert reload(review).rating == 4


def test_review_delete_by_the_author_removes_it_from_the_average(customer, product):
    review = make_review(customer, product, rating=1, approved=True)
    review_delete(review=review, customer=customer)
    assert not Review.objects.filter(pk=review.pk).exists()
    assert _rating(product) == (None, 0)


def test_average_rating_stays_exact_through_approve_reject_edit_and_delete(customer, product):
    others = [CustomerFactory() for _ in range(4)]
    for other in others:
        make_delivered_order(other, products=[product])
    staff = StaffUserFactory()
    mine = make_review(customer, product, rating=5)
    a = make_review(others[0], product, rating=4)
    b = make_review(others[1], product, rating=4)
    c = make_review(others[2], product, rating=1)
    d = make_review(others[3], product, rating=2)

    review_approve(review=mine, by=staff)
    review_approve(review=a, by=staff)
    review_approve(review=b, by=staff)
    assert _rating(product) == ("4.33", 3)  # 13 / 3
    review_reject(review=c, by=staff, note="Spam")
    assert _rating(product) == ("4.33", 3)
    review_approve(review=d, by=staff)
    assert _rating(product) == ("3.75", 4)  # 15 / 4
    review_update(review=mine, customer=customer, rating=3)
    assert _rating(product) == ("3.33", 3)  # 10 / 3
    review_approve(review=mine, by=staff)
    assert _rating(product) == ("3.25", 4)  # 13 / 4
    review_delete(review=a, customer=others[0])
    assert _rating(product) == ("3.00", 3)  # 9 / 3
    row = ProductRating.objects.get(product=product)
    assert (row.rating_sum, row.review_count, row.average_rating) == (9, 3, Decimal("3.00"))


def test_reviews_eraser_scrubs_the_text_and_keeps_the_rating(customer, product):
    review = make_review(customer, product, rating=5, title="By Jane Smith", body="Call me", approved=True)
    registry.erasers()["reviews"](customer)
    review = reload(review)
    assert "Jane" not in review.title and "Call me" not in review.body
    assert review.rating == 5 and review.status == ReviewStatus.APPROVED
    assert _rating(product) == ("5.00", 1)


def test_reviews_export_lists_own_reviews(customer, other_customer, product):
    review = make_review(customer, product, title="Mine")
    make_review(other_customer, title="Theirs")
    exported = registry.export_sections()["reviews"](customer)
    assert [r["id"] for r in exported] == [review.public_id]
    assert exported[0]["title"] == "Mine" and exported[0]["order_number"] == review.order_item.order.number
