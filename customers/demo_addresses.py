"""Demo data: Jane's Home and Work addresses (called from `customers.demo.seed`)."""

from customers.models import Address, Customer
from customers.services.addresses import address_create

JANE_ADDRESSES = [
    {
        "name": "Home",
        "first_name": "Jane",
        "last_name": "Smith",
        "line1": "2417 NW Lovejoy Street",
        "line2": "Apt 3",
        "city": "Portland",
        "state": "OR",
        "postal_code": "97210",
        "country": "US",
        "phone": "+15035550142",
        "is_default_shipping": True,
    },
    {
        "name": "Work",
        "first_name": "Jane",
        "last_name": "Smith",
        "company": "Lumen & Birch Design",
        "line1": "1120 SW Alder Street",
        "line2": "Suite 400",
        "city": "Portland",
        "state": "OR",
        "postal_code": "97205",
        "country": "US",
        "phone": "+15035550188",
        "is_default_billing": True,
    },
]


def seed_addresses(customer: Customer) -> list[Address]:
    """Jane's Home (default shipping) and Work (default billing) addresses; idempotent by label."""
    seeded = []
    for data in JANE_ADDRESSES:
        existing = Address.objects.filter(customer=customer, name=data["name"]).first()
        seeded.append(existing or address_create(customer=customer, data=data))
    return seeded
