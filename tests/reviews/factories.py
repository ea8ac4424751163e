"""Helpers for review tests: reviews are made through the real services."""

from reviews.models import Review
from reviews.services import review_approve, review_create
from tests.factories import StaffUserFactory
from tests.orders.factories import ProductFactory, make_delivered_order


def delivered_product(customer, **product_kwargs):
    """A product the customer has received (one delivered order)."""
    product = ProductFactory(**product_kwargs)
    make_delivered_order(customer, products=[product])
    return product


def make_review(customer, product=None, *, rating=4, title="Lovely", body="Smells great.", approved=False):
    product = product or delivered_product(customer)
    review = review_create(customer=customer, product=product, rating=rating, title=title, body=body)
    if approved:
        review = review_approve(review=review, by=StaffUserFactory())
    return review


def reload(review: Review) -> Review:
    return Review.objects.get(pk=review.pk)
