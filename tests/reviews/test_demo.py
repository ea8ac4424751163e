"""The demo seed: Jane's approved and pending reviews, idempotent."""

import pytest

from orders import demo as orders_demo
from reviews import demo
from reviews.models import ProductRating, Review, ReviewStatus

pytestmark = pytest.mark.django_db


class Report:
    def __init__(self):
        self.logins, self.notes = [], []

    def login(self, role, email, password):
        self.logins.append((role, email, password))

    def note(self, text):
        self.notes.append(text)


def test_seed_writes_approved_and_pending_reviews_idempotently():
    orders_demo.seed(Report())
    demo.seed(Report())
    demo.seed(Report())
    reviews = Review.objects.filter(customer__email=demo.JANE_EMAIL)
    assert reviews.count() == len(demo.REVIEWS)
    statuses = sorted(reviews.values_list("status", flat=True))
    assert statuses == [ReviewStatus.APPROVED, ReviewStatus.APPROVED, ReviewStatus.PENDING]
    assert ProductRating.objects.get(product__sku="CNDL-LAV-200").review_count == 1


def test_seed_without_jane_only_notes_it():
    report = Report()
    demo.seed(report)
    assert not Review.objects.exists() and report.notes
