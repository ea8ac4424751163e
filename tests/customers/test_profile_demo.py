"""Jane's demo profile: full values through the services, idempotent."""

import pytest

from customers.demo_profile import NOTIFICATIONS, seed_profile
from customers.selectors.notifications import notification_preferences_get

pytestmark = pytest.mark.django_db


def test_seed_profile_gives_the_full_profile_once(customer):
    seed_profile(customer=customer)
    history = customer.history.count()

    again = seed_profile(customer=customer)

    assert again.history.count() == history
    assert again.phone_number.as_e164 == "+14155550123"
    assert again.email_marketing is True
    assert again.profile_image.name.endswith(".webp")
    assert notification_preferences_get(customer=again) == NOTIFICATIONS
