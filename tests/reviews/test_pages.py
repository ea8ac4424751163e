"""The account's review page: own reviews, forms for products ready for review, escaping."""

import pytest

from reviews.models import Review, ReviewStatus
from tests.orders.factories import ProductFactory
from tests.reviews.factories import delivered_product, make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, customer):
    client.force_login(customer.user)
    return client


def _form(product, **values):
    data = {"rating": "4", "title": "Cosy", "body": "Warm and sweet.", **values}
    return {f"{product.public_id}-{key}": value for key, value in data.items()}


def test_reviews_page_requires_login(client):
    response = client.get("/account/reviews/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_reviews_page_shows_own_reviews_and_a_form_per_ready_product(
    logged_in, customer, other_customer, product
):
    waiting = delivered_product(customer, name="Cedar Mist")
    make_review(customer, product, title="My lavender review")
    make_review(other_customer, title="Someone else's review")
    html = logged_in.get("/account/reviews/").content.decode()
    assert "My lavender review" in html and "Someone else" not in html
    assert f'data-product="{waiting.public_id}"' in html
    assert f'data-product="{product.public_id}"' not in html


def test_reviews_page_escapes_html_in_a_review(logged_in, customer, product):
    make_review(customer, product, title="<b>bold</b>", body="<script>alert(1)</script>")
    html = logged_in.get("/account/reviews/").content.decode()
    assert "<script>alert(1)</script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_reviews_page_form_writes_a_pending_review(logged_in, customer, product):
    response = logged_in.post(f"/account/reviews/products/{product.public_id}/", _form(product))
    assert response.status_code == 302
    review = Review.objects.get(customer=customer, product=product)
    assert (review.rating, review.title, review.status) == (4, "Cosy", ReviewStatus.PENDING)
    assert "will appear once it is approved" in logged_in.get("/account/reviews/").content.decode()


def test_reviews_page_form_with_errors_answers_400_and_keeps_the_input(logged_in, customer, product):
    response = logged_in.post(
        f"/account/reviews/products/{product.public_id}/", _form(product, title="", body="Kept text")
    )
    assert response.status_code == 400
    assert "Kept text" in response.content.decode()
    assert not Review.objects.exists()


def test_reviews_page_form_for_a_product_not_received_shows_the_error(logged_in):
    product = ProductFactory()
    response = logged_in.post(f"/account/reviews/products/{product.public_id}/", _form(product), follow=True)
    assert "Only customers who received this product can review it." in response.content.decode()
    assert not Review.objects.exists()


def test_reviews_page_deletes_own_review_only(logged_in, customer, other_customer, product):
    theirs = make_review(other_customer)
    assert logged_in.post(f"/account/reviews/{theirs.public_id}/delete/").status_code == 404
    mine = make_review(customer, product)
    assert logged_in.post(f"/account/reviews/{mine.public_id}/delete/").status_code == 302
    assert list(Review.objects.all()) == [theirs]


def test_reviews_page_query_count_is_constant(logged_in, customer, django_assert_max_num_queries):
    make_review(customer)
    delivered_product(customer)
    with django_assert_max_num_queries(20) as one:
        logged_in.get("/account/reviews/")
    for _ in range(4):
        make_review(customer)
        delivered_product(customer)
    with django_assert_max_num_queries(len(one.captured_queries)):
        logged_in.get("/account/reviews/")


def test_reviews_page_shares_the_apis_review_limit(settings, logged_in, customer):
    settings.ACTION_THROTTLE_RATES = {**settings.ACTION_THROTTLE_RATES, "review": {"account": "1/hour"}}
    first, second = delivered_product(customer), delivered_product(customer)
    logged_in.post(f"/account/reviews/products/{first.public_id}/", _form(first))
    response = logged_in.post(f"/account/reviews/products/{second.public_id}/", _form(second), follow=True)
    assert "please try again in" in response.content.decode()
    assert list(Review.objects.values_list("product", flat=True)) == [first.pk]


def test_reviews_page_edit_sends_an_approved_review_back_to_pending(logged_in, customer, product):
    review = make_review(customer, product, rating=5, approved=True)
    response = logged_in.post(
        f"/account/reviews/{review.public_id}/edit/", _form_for(review.public_id, rating="2", title="Meh")
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.rating, review.title, review.status) == (2, "Meh", ReviewStatus.PENDING)


def test_reviews_page_edit_of_another_customers_review_is_404(logged_in, other_customer):
    theirs = make_review(other_customer)
    response = logged_in.post(f"/account/reviews/{theirs.public_id}/edit/", _form_for(theirs.public_id))
    assert response.status_code == 404


def _form_for(prefix, **values):
    data = {"rating": "4", "title": "Cosy", "body": "Warm and sweet.", **values}
    return {f"{prefix}-{key}": value for key, value in data.items()}
