"""The reviews API: wiring, permissions, error bodies, throttling and query counts."""

import pytest

from reviews.models import Review, ReviewStatus
from reviews.services import review_approve
from tests.factories import CustomerFactory, StaffUserFactory
from tests.orders.factories import ProductFactory, make_delivered_order, make_order
from tests.reviews.factories import delivered_product, make_review, reload

pytestmark = pytest.mark.django_db

BODY = {"rating": 5, "title": "Wonderful", "body": "Fills the room."}


def error_of(response):
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


def _url(product):
    return f"/api/products/{product.public_id}/reviews"


# --- POST /api/products/{id}/reviews ---


def test_post_review_for_a_delivered_product_answers_201_pending(customer_client, product):
    response = customer_client.post(_url(product), BODY, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("rev_") and body["status"] == "pending"
    assert (body["product_id"], body["rating"], body["title"]) == (product.public_id, 5, "Wonderful")
    assert Review.objects.get(public_id=body["id"]).status == ReviewStatus.PENDING


def test_post_review_ignores_read_only_fields(customer_client, product):
    response = customer_client.post(
        _url(product), {**BODY, "status": "approved", "id": "rev_mine", "moderation_note": "x"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "pending" and response.json()["id"] != "rev_mine"


def test_post_review_for_a_product_not_received_is_403(customer_client):
    response = customer_client.post(_url(ProductFactory()), BODY, format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


def test_post_review_twice_is_409(customer_client, product):
    assert customer_client.post(_url(product), BODY, format="json").status_code == 201
    response = customer_client.post(_url(product), BODY, format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"


def test_post_review_with_invalid_rating_is_400_naming_the_field(customer_client, product):
    response = customer_client.post(_url(product), {**BODY, "rating": 7}, format="json")
    assert response.status_code == 400
    assert "rating" in error_of(response)["details"]


def test_post_review_for_an_unknown_product_is_404(customer_client):
    response = customer_client.post("/api/products/prod_nope/reviews", BODY, format="json")
    assert response.status_code == 404


def test_post_review_needs_a_customer(api_client, staff_client, product):
    assert api_client.post(_url(product), BODY, format="json").status_code == 401
    assert staff_client.post(_url(product), BODY, format="json").status_code == 403


def test_post_review_floods_are_throttled_per_customer(settings, customer, customer_client):
    settings.ACTION_THROTTLE_RATES = {**settings.ACTION_THROTTLE_RATES, "review": {"account": "2/hour"}}
    products = [ProductFactory() for _ in range(3)]
    make_delivered_order(customer, products=products)
    assert customer_client.post(_url(products[0]), BODY, format="json").status_code == 201
    assert customer_client.post(_url(products[1]), BODY, format="json").status_code == 201
    response = customer_client.post(_url(products[2]), BODY, format="json")
    assert response.status_code == 429
    assert error_of(response)["code"] == "throttled" and "Retry-After" in response


# --- GET /api/products/{id}/reviews ---


def test_product_reviews_list_only_approved_reviews_paginated(api_client, customer, product):
    customer.first_name, customer.last_name = "Jane", "Smith"
    customer.save()
    approved = make_review(customer, product, approved=True)
    other = CustomerFactory()
    make_delivered_order(other, products=[product])
    make_review(other, product)  # pending: not shown
    response = api_client.get(_url(product))
    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body["data"]] == [approved.public_id]
    assert body["data"][0]["author_name"] == "Jane S."
    assert body["data"][0]["verified_purchase"] is True
    assert body["pagination"]["total"] == 1
    assert "customer" not in body["data"][0] and "email" not in str(body)


def test_product_reviews_returns_text_as_stored(api_client, customer, product):
    make_review(customer, product, title="<b>Bold</b>", body="<script>x</script>", approved=True)
    review = api_client.get(_url(product)).json()["data"][0]
    assert (review["title"], review["body"]) == ("<b>Bold</b>", "<script>x</script>")


def test_product_reviews_query_count_is_constant(api_client, product, django_assert_max_num_queries):
    staff = StaffUserFactory()

    def add_reviews(n):
        for _ in range(n):
            someone = CustomerFactory()
            make_delivered_order(someone, products=[product])
            review_approve(review=make_review(someone, product), by=staff)

    add_reviews(1)
    with django_assert_max_num_queries(4) as one:
        assert len(api_client.get(_url(product)).json()["data"]) == 1
    add_reviews(5)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(api_client.get(_url(product)).json()["data"]) == 6


# --- GET /api/customers/reviews ---


def test_customer_reviews_lists_own_reviews_and_products_ready_for_review(
    customer_client, customer, other_customer
):
    reviewed, waiting = ProductFactory(name="Reviewed"), ProductFactory(name="Waiting")
    order = make_delivered_order(customer, products=[reviewed, waiting])
    make_order(customer, products=[ProductFactory(name="Not delivered")])
    review = make_review(customer, reviewed)
    make_review(other_customer)
    response = customer_client.get("/api/customers/reviews")
    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body["reviews"]] == [review.public_id]
    assert body["reviews"][0]["status"] == "pending"
    assert body["ready_for_review"] == [
        {
            "product_id": waiting.public_id,
            "product_name": "Waiting",
            "order_number": order.number,
            "delivered_at": body["ready_for_review"][0]["delivered_at"],
        }
    ]
    assert body["ready_for_review"][0]["delivered_at"].endswith("Z")


def test_customer_reviews_lists_a_product_bought_twice_once(customer_client, customer, product):
    make_delivered_order(customer, products=[product])
    ready = customer_client.get("/api/customers/reviews").json()["ready_for_review"]
    assert [r["product_id"] for r in ready] == [product.public_id]


def test_customer_reviews_query_count_is_the_same_for_one_or_many_orders(
    customer_client, customer, django_assert_max_num_queries
):
    make_review(customer, delivered_product(customer))
    delivered_product(customer)
    with django_assert_max_num_queries(5) as one:
        body = customer_client.get("/api/customers/reviews").json()
    assert (len(body["reviews"]), len(body["ready_for_review"])) == (1, 1)
    for _ in range(4):
        make_review(customer, delivered_product(customer))
        delivered_product(customer)
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = customer_client.get("/api/customers/reviews").json()
    assert (len(body["reviews"]), len(body["ready_for_review"])) == (5, 5)


def test_customer_reviews_needs_a_customer(api_client, staff_client):
    assert api_client.get("/api/customers/reviews").status_code == 401
    assert staff_client.get("/api/customers/reviews").status_code == 403


# --- PATCH, DELETE /api/reviews/{id} ---


def test_patch_own_review_goes_back_to_pending(customer_client, customer, product):
    review = make_review(customer, product, rating=5, approved=True)
    response = customer_client.patch(
        f"/api/reviews/{review.public_id}", {"rating": 3, "status": "approved"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["rating"], response.json()["status"]) == (3, "pending")
    assert reload(review).status == ReviewStatus.PENDING


def test_patch_with_an_invalid_rating_is_400(customer_client, customer, product):
    review = make_review(customer, product)
    response = customer_client.patch(f"/api/reviews/{review.public_id}", {"rating": 0}, format="json")
    assert response.status_code == 400 and "rating" in error_of(response)["details"]


def test_patch_and_delete_of_another_customers_review_are_404(other_client, customer, product):
    review = make_review(customer, product)
    response = other_client.patch(f"/api/reviews/{review.public_id}", {"rating": 1}, format="json")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"
    assert other_client.delete(f"/api/reviews/{review.public_id}").status_code == 404
    assert reload(review).rating == 4


def test_delete_own_review_answers_204(customer_client, customer, product):
    review = make_review(customer, product, approved=True)
    response = customer_client.delete(f"/api/reviews/{review.public_id}")
    assert response.status_code == 204
    assert not Review.objects.filter(pk=review.pk).exists()


# --- product fields ---


def test_products_show_average_rating_and_review_count(api_client, customer, product):
    make_review(customer, product, rating=4, approved=True)
    other = CustomerFactory()
    make_delivered_order(other, products=[product])
    make_review(other, product, rating=5, approved=True)
    ProductFactory(name="Unrated")
    detail = api_client.get(f"/api/products/{product.public_id}").json()
    assert (detail["average_rating"], detail["review_count"]) == ("4.50", 2)
    listed = {p["name"]: p for p in api_client.get("/api/products").json()["data"]}
    assert (listed["Unrated"]["average_rating"], listed["Unrated"]["review_count"]) == (None, 0)


def test_product_rating_fields_cost_one_query_per_page(api_client, django_assert_max_num_queries):
    ProductFactory()
    with django_assert_max_num_queries(10) as one:
        api_client.get("/api/products")
    for _ in range(5):
        ProductFactory()
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(api_client.get("/api/products").json()["data"]) == 6
    assert sum("reviews_productrating" in q["sql"] for q in one.captured_queries) == 1


def test_schema_documents_the_review_routes(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    assert {
        "/api/customers/reviews",
        "/api/products/{product_id}/reviews",
        "/api/reviews/{review_id}",
    } <= set(schema["paths"])
    assert set(schema["paths"]["/api/reviews/{review_id}"]) >= {"patch", "delete"}
