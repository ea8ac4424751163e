"""Demo values of a customer's profile, preferences and picture (Jane's), through the services.

`customers.demo.seed` calls `seed_profile(customer=jane)` after creating her. Idempotent: the
services save only real changes, and a picture is made only when she has none.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from customers.models import Customer
from customers.services.profile import (
    customer_profile_update,
    notification_preferences_update,
    profile_image_set,
)

PROFILE = {
    "salutation": "ms",
    "first_name": "Jane",
    "last_name": "Smith",
    "phone_number": "+14155550123",
    "preferences": {
        "email_marketing": True,
        "sms_marketing": False,
        "preferred_currency": "USD",
        "reminder_frequency": "monthly",
    },
}
NOTIFICATIONS = {
    "transactional": {"email": True, "sms": True, "whatsapp": False},
    "promotional": {"email": True, "sms": False, "whatsapp": False},
    "newsletter": {"email": True, "sms": False, "whatsapp": False},
}


def _avatar() -> SimpleUploadedFile:
    """A small generated picture (a lavender disc on a warm background): no stock photo needed."""
    image = Image.new("RGB", (256, 256), (251, 236, 224))
    ImageDraw.Draw(image).ellipse((28, 28, 228, 228), fill=(109, 63, 160))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("avatar.png", buffer.getvalue(), content_type="image/png")


def seed_profile(*, customer: Customer) -> Customer:
    """Give `customer` Jane's full profile, notification preferences and a picture."""
    customer = customer_profile_update(customer=customer, data=PROFILE, by=None)
    customer = notification_preferences_update(customer=customer, preferences=NOTIFICATIONS, by=None)
    if not customer.profile_image:
        customer = profile_image_set(customer=customer, upload=_avatar(), by=None)
    return customer
