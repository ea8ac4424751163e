"""Reviews of products by customers who received them, and each product's rating."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from config.fields import PublicIdField

RATING_MIN, RATING_MAX = 1, 5


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Review(models.Model):
    """A customer's review of a product they received; shown once staff approve it."""

    public_id = PublicIdField(prefix="rev")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="reviews")
    product = models.ForeignKey("orders.Product", on_delete=models.PROTECT, related_name="reviews")
    order_item = models.ForeignKey(
        "orders.OrderItem",
        on_delete=models.PROTECT,
        related_name="reviews",
        help_text="The delivered order line that proves the purchase.",
    )
    rating = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text; escaped wherever it is shown.")
    status = models.CharField(max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "product"], name="reviews_review_one_per_product"),
            models.CheckConstraint(
                condition=Q(rating__gte=RATING_MIN) & Q(rating__lte=RATING_MAX),
                name="reviews_review_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values), name="reviews_review_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.PENDING, moderated_at__isnull=True)
                | (~Q(status=ReviewStatus.PENDING) & Q(moderated_at__isnull=False)),
                name="reviews_review_moderated_at_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["product", "status", "-created_at"], name="reviews_review_product_status"),
            models.Index(fields=["customer", "-created_at"], name="reviews_review_customer"),
            models.Index(fields=["status", "created_at"], name="reviews_review_queue"),
        ]
        permissions = [("moderate_review", "Can approve or reject reviews")]

    def __str__(self):
        return f"{self.rating}★ {self.title}"

    def can_moderate(self) -> bool:
        return self.status == ReviewStatus.PENDING

    @property
    def author_name(self) -> str:
        """First name and last initial ("Jane S."), computed so an erased account shows no name."""
        first = (self.customer.first_name or "").strip()
        last = (self.customer.last_name or "").strip()
        if not first:
            return "Anonymous"
        return f"{first} {last[0]}." if last else first


class ProductRating(models.Model):
    """Approved reviews of one product, kept exact by the review services (same transaction)."""

    product = models.OneToOneField(
        "orders.Product", on_delete=models.CASCADE, primary_key=True, related_name="rating"
    )
    review_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating_sum__gte=F("review_count") * RATING_MIN)
                & Q(rating_sum__lte=F("review_count") * RATING_MAX),
                name="reviews_productrating_sum_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.product_id}: {self.average_rating} ({self.review_count})"

    @property
    def average_rating(self):
        """The exact mean of the approved ratings, to two places (None without reviews)."""
        if not self.review_count:
            return None
        return (Decimal(self.rating_sum) / Decimal(self.review_count)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
