"""PostgreSQL: the rating stays exact and a review stays unique under concurrent requests."""

import pytest

from config.errors import Conflict
from reviews.models import ProductRating, Review
from reviews.services import review_approve, review_create
from tests.concurrency import run_concurrently
from tests.factories import CustomerFactory, StaffUserFactory
from tests.orders.factories import ProductFactory, make_delivered_order
from tests.reviews.factories import make_review

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_approvals_keep_the_rating_exact():
    # given eight pending reviews of one product, rated 1..5 in turn, and no rating row yet
    product = ProductFactory()
    reviews = []
    for index in range(8):
        someone = CustomerFactory()
        make_delivered_order(someone, products=[product])
        reviews.append(make_review(someone, product, rating=index % 5 + 1))
    staff = StaffUserFactory()
    # when staff approve all of them at once
    results = run_concurrently(8, lambda i: review_approve(review=reviews[i], by=staff))
    # then every approval counts, exactly once
    assert all(isinstance(r, Review) for r in results), results
    rating = ProductRating.objects.get(product=product)
    assert (rating.review_count, rating.rating_sum) == (8, sum(i % 5 + 1 for i in range(8)))


def test_concurrent_submissions_of_the_same_review_create_one():
    customer = CustomerFactory()
    product = ProductFactory()
    make_delivered_order(customer, products=[product])
    results = run_concurrently(
        6, lambda i: review_create(customer=customer, product=product, rating=5, title="t", body="b")
    )
    assert sum(isinstance(r, Review) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) for r in results) == 5, results
    assert Review.objects.filter(customer=customer, product=product).count() == 1
