"""Reads on reviews, already filtered to what the caller may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from config.errors import NotFound
from customers.models import Customer
from orders.models import OrderItem, Product
from reviews.models import ProductRating, Review, ReviewStatus


@dataclass(frozen=True)
class ReadyForReview:
    product_id: str
    product_name: str
    order_number: str
    delivered_at: datetime


def review_list_for_customer(*, customer: Customer) -> QuerySet[Review]:
    """The customer's own reviews in every status, newest first (one query)."""
    return (
        Review.objects.filter(customer=customer)
        .select_related("product", "order_item__order")
        .order_by("-created_at", "-id")
    )


def review_list_approved_for_product(*, product: Product) -> QuerySet[Review]:
    """A product's published reviews, newest first, with their authors (one query per page)."""
    return (
        Review.objects.filter(product=product, status=ReviewStatus.APPROVED)
        .select_related("customer", "product")
        .order_by("-created_at", "-id")
    )


def review_get_for_customer(*, customer: Customer, public_id: str) -> Review:
    """One of the customer's own reviews; another customer's is 404."""
    review = Review.objects.filter(customer=customer, public_id=public_id).select_related("product").first()
    if review is None:
        raise NotFound("No such review.")
    return review


def ready_for_review(*, customer: Customer) -> list[ReadyForReview]:
    """Active products from the customer's delivered orders that they have not reviewed yet.

    One query however many orders: the delivered lines, latest delivery first, minus reviewed
    products; a product bought several times is listed once, with its latest delivered order.
    """
    rows = (
        OrderItem.objects.filter(
            order__customer=customer, order__delivered_at__isnull=False, product__is_active=True
        )
        .exclude(product__reviews__customer=customer)
        .order_by("-order__delivered_at", "-order_id", "id")
        .values_list(
            "product_id", "product__public_id", "product__name", "order__number", "order__delivered_at"
        )
    )
    seen: set[int] = set()
    ready = []
    for product_pk, public_id, name, number, delivered_at in rows:
        if product_pk in seen:
            continue
        seen.add(product_pk)
        ready.append(
            ReadyForReview(
                product_id=public_id, product_name=name, order_number=number, delivered_at=delivered_at
            )
        )
    return ready


def product_ratings(products: list[Product]) -> dict[int, ProductRating | None]:
    """The rating rows of a page of products in one query, memoised on the products.

    Both registered product fields (`average_rating`, `review_count`) read through this, so a page
    costs one query for the two, and none when the product query joined the rating (the
    registry's `select_related`).
    """
    for product in products:
        if not hasattr(product, "_review_rating") and Product.rating.is_cached(product):
            product._review_rating = getattr(product, "rating", None)  # None: joined, no row
    missing = [p for p in products if not hasattr(p, "_review_rating")]
    if missing:
        rows = {r.product_id: r for r in ProductRating.objects.filter(product_id__in=[p.pk for p in missing])}
        for product in missing:
            product._review_rating = rows.get(product.pk)
    return {p.pk: p._review_rating for p in products}


def product_average_ratings(products: list[Product]) -> dict[int, str | None]:
    """`average_rating` of each product as a two-place decimal string, or None without reviews."""
    return {
        pk: (str(r.average_rating) if r is not None and r.review_count else None)
        for pk, r in product_ratings(products).items()
    }


def product_review_counts(products: list[Product]) -> dict[int, int]:
    """`review_count` of each product: its approved reviews."""
    return {pk: (r.review_count if r is not None else 0) for pk, r in product_ratings(products).items()}


def review_export_for_customer(customer: Customer) -> list[dict]:
    """The customer's reviews as plain data, for the GDPR export."""
    return [
        {
            "id": r.public_id,
            "product_id": r.product.public_id,
            "product_name": r.product.name,
            "order_number": r.order_item.order.number,
            "rating": r.rating,
            "title": r.title,
            "body": r.body,
            "status": r.status,
            "moderation_note": r.moderation_note,
            "created_at": r.created_at.isoformat(),
            "updated_at": r.updated_at.isoformat(),
        }
        for r in review_list_for_customer(customer=customer)
    ]
