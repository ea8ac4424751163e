"""Demo data: a fragrance catalog and Jane's orders in several states (idempotent)."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from customers.demo_business import seed_business
from customers.models import Customer, User
from orders.demo_returns import seed_returns
from orders.demo_shop import seed_shop
from orders.models import Order, Product
from orders.services import order_cancel, order_create, order_ship, shipment_deliver

JANE_EMAIL = "jane.smith@example.com"
JANE_PASSWORD = "Lavender-Dusk-2026"

# sku, name, kind, price, colour
CATALOG = [
    ("CNDL-LAV-200", "Lavender Dusk Candle", "candle", "28.00", (150, 123, 182)),
    ("CNDL-SAN-200", "Sandalwood Ember Candle", "candle", "32.00", (176, 120, 80)),
    ("CNDL-CIT-200", "Citrus Grove Candle", "candle", "26.00", (240, 180, 60)),
    ("DIFF-CED-100", "Cedar Mist Reed Diffuser", "diffuser", "38.00", (90, 120, 90)),
    ("DIFF-JAS-100", "Night Jasmine Reed Diffuser", "diffuser", "40.00", (230, 220, 240)),
    ("SPRY-SEA-100", "Sea Salt Room Spray", "room spray", "18.00", (120, 180, 210)),
    ("SPRY-FIG-100", "Green Fig Room Spray", "room spray", "19.00", (110, 150, 70)),
    ("OIL-AMB-10", "Amber Veil Perfume Oil", "perfume oil", "45.00", (200, 140, 40)),
    ("OIL-ROS-10", "Rose Smoke Perfume Oil", "perfume oil", "48.00", (190, 80, 100)),
    ("OIL-VAN-10", "Vanilla Musk Perfume Oil", "perfume oil", "44.00", (235, 210, 170)),
]

DESCRIPTIONS = {
    "candle": "Hand-poured soy wax candle, about 45 hours of burn time.",
    "diffuser": "Reed diffuser with natural rattan reeds; scents a room for about three months.",
    "room spray": "A quick mist for rooms and linen, made with essential oils.",
    "perfume oil": "Roll-on perfume oil in a fractionated coconut oil base.",
}

ADDRESS = {
    "first_name": "Jane",
    "last_name": "Smith",
    "line1": "742 Evergreen Terrace",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62704",
    "country": "US",
}


def _image(colour: tuple[int, int, int], label: str) -> ContentFile:
    image = Image.new("RGB", (480, 480), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((120, 120, 360, 360), outline=(255, 255, 255), width=8)
    draw.text((24, 440), label, fill=(255, 255, 255))
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())


def _catalog() -> dict[str, Product]:
    products = {}
    for sku, name, kind, price, colour in CATALOG:
        product, _ = Product.objects.update_or_create(
            sku=sku,
            defaults={
                "name": name,
                "description": DESCRIPTIONS[kind],
                "price": Decimal(price),
                "is_active": True,
            },
        )
        if not product.image:
            product.image.save(f"{sku.lower()}.png", _image(colour, name), save=True)
        products[sku] = product
    return products


def _jane(report) -> Customer:
    customer = Customer.objects.filter(email__iexact=JANE_EMAIL).first()
    if customer is not None:
        return customer
    user = User.objects.create_user(JANE_EMAIL, JANE_PASSWORD)
    report.login("customer", JANE_EMAIL, JANE_PASSWORD)
    return Customer.objects.create(user=user, email=JANE_EMAIL, first_name="Jane", last_name="Smith")


def _order(jane, number, days_ago, lines, products, *, payment="succeeded"):
    existing = Order.objects.filter(number=number).first()
    if existing is not None:
        return existing, False
    order = order_create(
        customer=jane,
        number=number,
        placed_at=timezone.now() - timedelta(days=days_ago),
        items=[{"sku": sku, "quantity": quantity} for sku, quantity in lines],
        shipping_address=dict(ADDRESS),
        shipping_total=Decimal("4.95"),
        tax_total=Decimal("0.00"),
        currency="USD",
        payment={"method": "card", "status": payment},
    )
    return order, True


def seed(report) -> None:
    """The catalog, then Jane's orders: delivered, shipped, payment failed, cancelled and paid."""
    products = _catalog()
    seed_shop(report)  # variants, stock, images and discount codes (orders below take stock)
    jane = _jane(report)
    with transaction.atomic():
        order, new = _order(jane, "MNKY-0901", 40, [("CNDL-LAV-200", 2), ("OIL-AMB-10", 1)], products)
        if new:
            shipment_deliver(
                shipment=order_ship(order=order, courier="UPS", tracking_number="1Z999AA10123456784")
            )
        order, new = _order(jane, "MNKY-0902", 6, [("DIFF-CED-100", 1), ("SPRY-SEA-100", 2)], products)
        if new:
            order_ship(order=order, courier="USPS", tracking_number="9400111899223197428490")
        _order(jane, "MNKY-0903", 3, [("OIL-ROS-10", 1)], products, payment="failed")
        order, new = _order(jane, "MNKY-0904", 10, [("CNDL-SAN-200", 1)], products)
        if new:
            order_cancel(order=order, reason="Ordered the wrong size", feedback="Would like a larger candle.")
        _order(jane, "MNKY-0905", 1, [("CNDL-CIT-200", 1), ("SPRY-FIG-100", 1)], products)
    seed_returns(report)
    report.note(
        f"Catalog: {len(CATALOG)} products. Jane's orders MNKY-0901..0905: delivered, shipped, "
        "payment failed (retry with any token but tok_decline), cancelled, paid."
    )
    # The wholesale customer needs the catalog and the order services, so it is seeded here.
    seed_business(report)
