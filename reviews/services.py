"""Every write on reviews: submit, edit, delete, moderate, erase; each keeps the product's rating exact.

Lock order, everywhere: the review row, then the product's rating row.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from config.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from customers.models import Customer, User
from integrations import events
from integrations.services import events_data_rewrite, record_event
from orders.models import OrderItem, Product
from reviews.models import RATING_MAX, RATING_MIN, ProductRating, Review, ReviewStatus

TITLE_MAX = 200
BODY_MAX = 5000
NOTE_MAX = 2000
ERASED_TITLE = "[removed]"
ERASED_BODY = "[removed at the author's request]"


def _clean_text(value, *, field: str, max_length: int, errors: dict) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        errors[field] = ["This field may not be blank."]
    elif len(text) > max_length:
        errors[field] = [f"Ensure this field has no more than {max_length} characters."]
    return text


def _clean_rating(value, errors: dict) -> int | None:
    if isinstance(value, bool):
        value = None
    try:
        rating = int(value)
    except (TypeError, ValueError):
        rating = None
    if rating is None or str(rating) != str(value).strip() or not RATING_MIN <= rating <= RATING_MAX:
        errors["rating"] = [f"A whole number from {RATING_MIN} to {RATING_MAX}."]
        return None
    return rating


def product_rating_recompute(*, product_id: int) -> ProductRating:
    """Recount the approved reviews of one product under a row lock (call inside a transaction)."""
    ProductRating.objects.get_or_create(product_id=product_id)
    rating = ProductRating.objects.select_for_update().get(product_id=product_id)
    totals = Review.objects.filter(product_id=product_id, status=ReviewStatus.APPROVED).aggregate(
        count=Count("id"), total=Sum("rating")
    )
    rating.review_count, rating.rating_sum = totals["count"] or 0, totals["total"] or 0
    rating.save(update_fields=["review_count", "rating_sum", "updated_at"])
    return rating


def _delivered_item(*, customer: Customer, product: Product) -> OrderItem | None:
    """The customer's most recently delivered line of this product: the proof of purchase."""
    return (
        OrderItem.objects.filter(order__customer=customer, order__delivered_at__isnull=False, product=product)
        .order_by("-order__delivered_at", "-id")
        .first()
    )


@transaction.atomic
def review_create(*, customer: Customer, product: Product, rating, title: str, body: str) -> Review:
    """A verified buyer's review of a product; it waits `pending` until staff approve it."""
    errors: dict = {}
    rating = _clean_rating(rating, errors)
    title = _clean_text(title, field="title", max_length=TITLE_MAX, errors=errors)
    body = _clean_text(body, field="body", max_length=BODY_MAX, errors=errors)
    if errors:
        raise ValidationFailed("The review is not valid.", details=errors)
    item = _delivered_item(customer=customer, product=product)
    if item is None:
        raise PermissionDenied("Only customers who received this product can review it.")
    if Review.objects.filter(customer=customer, product=product).exists():
        raise Conflict("You have already reviewed this product.")
    try:
        with transaction.atomic():
            return Review.objects.create(
                customer=customer, product=product, order_item=item, rating=rating, title=title, body=body
            )
    except IntegrityError as exc:
        # A concurrent submission won the unique constraint (one review per customer and product).
        raise Conflict("You have already reviewed this product.") from exc


def _lock(review: Review) -> Review:
    locked = Review.objects.select_for_update().filter(pk=review.pk).first()
    if locked is None:
        raise NotFound("No such review.")
    return locked


@transaction.atomic
def review_update(
    *,
    review: Review,
    customer: Customer,
    rating: int | None = None,
    title: str | None = None,
    body: str | None = None,
) -> Review:
    """The author edits their review (None leaves a value as it is); a change sends it back to `pending`."""
    locked = _lock(review)
    if locked.customer_id != customer.pk:
        raise NotFound("No such review.")
    errors: dict = {}
    changes = {}
    if rating is not None:
        changes["rating"] = _clean_rating(rating, errors)
    if title is not None:
        changes["title"] = _clean_text(title, field="title", max_length=TITLE_MAX, errors=errors)
    if body is not None:
        changes["body"] = _clean_text(body, field="body", max_length=BODY_MAX, errors=errors)
    if errors:
        raise ValidationFailed("The review is not valid.", details=errors)
    changes = {k: v for k, v in changes.items() if getattr(locked, k) != v}
    if not changes:
        return locked
    was_approved = locked.status == ReviewStatus.APPROVED
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.status = ReviewStatus.PENDING
    locked.moderated_by, locked.moderated_at, locked.moderation_note = None, None, ""
    locked.save(
        update_fields=[*changes, "status", "moderated_by", "moderated_at", "moderation_note", "updated_at"]
    )
    if was_approved:
        product_rating_recompute(product_id=locked.product_id)
    return locked


@transaction.atomic
def review_delete(*, review: Review, customer: Customer) -> None:
    """The author deletes their review; an approved one leaves the product's rating."""
    locked = _lock(review)
    if locked.customer_id != customer.pk:
        raise NotFound("No such review.")
    was_approved = locked.status == ReviewStatus.APPROVED
    product_id = locked.product_id
    locked.delete()
    if was_approved:
        product_rating_recompute(product_id=product_id)


def _moderate(*, review: Review, by: User, note: str, status: str) -> Review:
    locked = _lock(review)
    if not locked.can_moderate():
        raise InvalidTransition(f"Review {locked.public_id} is {locked.status}, not pending.")
    locked.status = status
    locked.moderated_by, locked.moderated_at, locked.moderation_note = by, timezone.now(), note
    locked.save(update_fields=["status", "moderated_by", "moderated_at", "moderation_note", "updated_at"])
    product_rating_recompute(product_id=locked.product_id)
    return locked


@transaction.atomic
def review_approve(*, review: Review, by: User, note: str = "") -> Review:
    """Staff publish a pending review; it counts in the product's rating from now on."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed.on("note", f"Ensure this field has no more than {NOTE_MAX} characters.")
    approved = _moderate(review=review, by=by, note=note, status=ReviewStatus.APPROVED)
    record_event(events.REVIEW_APPROVED, review_event_data(approved))
    return approved


def review_event_data(review: Review) -> dict:
    """The review as its author's routes answer it (`PATCH /api/reviews/{id}`), with `customer_id`."""
    from reviews.serializers import ReviewOutputSerializer

    review = Review.objects.select_related("product", "customer").get(pk=review.pk)
    data = dict(ReviewOutputSerializer(review).data)
    data["customer_id"] = review.customer.public_id
    return data


@transaction.atomic
def review_reject(*, review: Review, by: User, note: str) -> Review:
    """Staff turn a pending review down, saying why (shown to the author)."""
    errors: dict = {}
    note = _clean_text(note, field="note", max_length=NOTE_MAX, errors=errors)
    if errors:
        raise ValidationFailed("A note is required to reject a review.", details=errors)
    return _moderate(review=review, by=by, note=note, status=ReviewStatus.REJECTED)


def reviews_erase_personal_data(customer: Customer) -> None:
    """GDPR erasure: the author's words go, the ratings stay (the products' averages keep them).

    The author's name is never stored on a review (it is computed from the customer, whom the
    customers eraser scrubs), so only the free text the author wrote is cleared.
    """
    Review.objects.filter(customer=customer).update(
        title=ERASED_TITLE, body=ERASED_BODY, updated_at=timezone.now()
    )
    events_data_rewrite(
        customer_id=customer.public_id,
        types=[events.REVIEW_APPROVED],
        rewrite=lambda data: {**data, "title": ERASED_TITLE, "body": ERASED_BODY},
    )
