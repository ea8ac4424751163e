"""Notification preferences: what each customer agreed to receive, per category and channel.

Senders (order emails, SMS, newsletters) ask `notification_allowed` before they send. Security
messages a person asked for themselves (password reset, OTP codes) are not notifications and are
always sent.
"""

from customers.models import Customer

CATEGORIES = ("transactional", "promotional", "newsletter")
CHANNELS = ("email", "sms", "whatsapp")

# (category, channel) -> Customer column. Promotional email / sms are the profile's
# `email_marketing` / `sms_marketing`: one stored value, two routes.
PREFERENCE_FIELDS: dict[tuple[str, str], str] = {
    ("transactional", "email"): "transactional_email",
    ("transactional", "sms"): "transactional_sms",
    ("transactional", "whatsapp"): "transactional_whatsapp",
    ("promotional", "email"): "email_marketing",
    ("promotional", "sms"): "sms_marketing",
    ("promotional", "whatsapp"): "promotional_whatsapp",
    ("newsletter", "email"): "newsletter_email",
    ("newsletter", "sms"): "newsletter_sms",
    ("newsletter", "whatsapp"): "newsletter_whatsapp",
}


def notification_preferences_get(*, customer: Customer) -> dict[str, dict[str, bool]]:
    """`{"transactional": {"email": True, "sms": False, "whatsapp": False}, ...}`."""
    return {
        category: {channel: getattr(customer, PREFERENCE_FIELDS[category, channel]) for channel in CHANNELS}
        for category in CATEGORIES
    }


def notification_allowed(*, customer: Customer, category: str, channel: str) -> bool:
    """Whether a message of `category` may go to `customer` over `channel`.

    Erased or deactivated accounts get nothing. SMS and WhatsApp need a verified phone number:
    a number typed into the profile is not proven to be the customer's until the OTP flow
    verifies it.
    """
    try:
        field = PREFERENCE_FIELDS[category, channel]
    except KeyError:
        raise ValueError(f"Unknown notification category/channel: {category}/{channel}")
    if customer.erased_at is not None or not customer.is_active:
        return False
    if channel == "email" and not customer.email:
        return False
    if channel in ("sms", "whatsapp") and not (customer.phone_number and customer.phone_verified):
        return False
    return bool(getattr(customer, field))
