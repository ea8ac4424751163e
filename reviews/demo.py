"""Demo data: Jane's reviews of products she received, approved and pending (idempotent)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from customers.models import Customer, User
from orders.models import Order, OrderItem, Product
from orders.services import order_create, order_ship, shipment_deliver
from reviews.models import Review, ReviewStatus
from reviews.services import review_approve, review_create

JANE_EMAIL = "jane.smith@example.com"
SUPPORT_EMAIL = "support@moodmnky.example"
ORDER_NUMBER = "MNKY-0950"
ORDER_LINES = [("DIFF-CED-100", 1), ("SPRY-SEA-100", 1), ("OIL-VAN-10", 1)]
ADDRESS = {
    "first_name": "Jane",
    "last_name": "Smith",
    "line1": "742 Evergreen Terrace",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62704",
    "country": "US",
}
# sku, rating, title, body, approved
REVIEWS = [
    (
        "CNDL-LAV-200",
        5,
        "My evening ritual",
        "Calming lavender that fills the living room without being heavy. Burns evenly.",
        True,
    ),
    (
        "DIFF-CED-100",
        4,
        "Woody and fresh",
        "Lovely cedar scent in the hallway. I flip the reeds every few days to keep it going.",
        True,
    ),
    (
        "SPRY-SEA-100",
        3,
        "Nice but fades fast",
        "Smells like a beach walk, but the scent is gone after an hour or so.",
        False,
    ),
]


def _delivered_order(jane: Customer) -> None:
    """A delivered order with a few more products to review, made through the order services."""
    if Order.objects.filter(number=ORDER_NUMBER).exists():
        return
    skus = {sku for sku, _ in ORDER_LINES}
    if Product.objects.filter(sku__in=skus, is_active=True).count() != len(skus):
        return
    order = order_create(
        customer=jane,
        number=ORDER_NUMBER,
        placed_at=timezone.now() - timedelta(days=20),
        items=[{"sku": sku, "quantity": quantity} for sku, quantity in ORDER_LINES],
        shipping_address=dict(ADDRESS),
        shipping_total=Decimal("4.95"),
        tax_total=Decimal("0.00"),
        currency="USD",
        payment={"method": "card", "status": "succeeded"},
    )
    shipment_deliver(shipment=order_ship(order=order, courier="UPS", tracking_number="1Z999AA10123456950"))


def seed(report) -> None:
    """Jane reviews what she received: two approved reviews, one waiting for moderation."""
    jane = Customer.objects.filter(email__iexact=JANE_EMAIL).first()
    if jane is None:
        report.note("Reviews: no demo customer Jane, so no demo reviews.")
        return
    _delivered_order(jane)
    moderator = User.objects.filter(email__iexact=SUPPORT_EMAIL).first()
    delivered = set(
        OrderItem.objects.filter(order__customer=jane, order__delivered_at__isnull=False).values_list(
            "product__sku", flat=True
        )
    )
    written = 0
    for sku, rating, title, body, approved in REVIEWS:
        product = Product.objects.filter(sku=sku, is_active=True).first()
        if product is None or sku not in delivered:
            continue
        review = Review.objects.filter(customer=jane, product=product).first()
        if review is None:
            review = review_create(customer=jane, product=product, rating=rating, title=title, body=body)
            written += 1
        if approved and review.status == ReviewStatus.PENDING:
            review_approve(review=review, by=moderator, note="Demo data.")
    pending = Review.objects.filter(customer=jane, status=ReviewStatus.PENDING).count()
    report.note(
        f"Reviews: Jane has {Review.objects.filter(customer=jane).count()} reviews ({pending} waiting in "
        "the admin's moderation queue); more of her delivered products wait on /account/reviews/."
    )
