"""Invariants the database holds for reviews, whatever the code path."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from reviews.models import ProductRating, Review, ReviewStatus
from tests.reviews.factories import make_review

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rating", [0, 6])
def test_review_rating_outside_1_to_5_is_refused_by_the_database(customer, product, rating):
    review = make_review(customer, product)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(rating=rating)


def test_review_second_review_of_the_same_product_is_refused_by_the_database(customer, product):
    review = make_review(customer, product)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            customer=customer, product=product, order_item=review.order_item, rating=3, title="t", body="b"
        )


def test_review_moderated_status_needs_a_moderation_time(customer, product):
    review = make_review(customer, product)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(status=ReviewStatus.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(moderated_at=timezone.now())


def test_product_rating_sum_must_fit_its_count(product):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductRating.objects.create(product=product, review_count=2, rating_sum=11)


def test_review_author_name_is_first_name_and_last_initial(customer, product):
    customer.first_name, customer.last_name = "Jane", "Smith"
    customer.save()
    review = make_review(customer, product)
    assert review.author_name == "Jane S."
    customer.first_name = ""
    assert review.author_name == "Anonymous"


def test_review_id_is_prefixed(customer, product):
    assert make_review(customer, product).public_id.startswith("rev_")
