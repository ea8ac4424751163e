"""Factories of the scents tests: products with notes, profiles and blends built through the services."""

from decimal import Decimal
from itertools import count

from orders.models import Product
from scents import services
from scents.models import Note, ProductNote

_skus = count(1)


def make_product(*, notes: list[str] = (), name: str | None = None, is_active: bool = True) -> Product:
    """A catalog product carrying the notes with these slugs."""
    n = next(_skus)
    product = Product.objects.create(
        sku=f"TEST-{n:05d}", name=name or f"Product {n:05d}", price=Decimal("24.00"), is_active=is_active
    )
    ProductNote.objects.bulk_create(
        [ProductNote(product=product, note=note) for note in Note.objects.filter(slug__in=list(notes))]
    )
    return product


EVENING_CALM = [
    {"note": "lavender", "percentage": 50},
    {"note": "vanilla", "percentage": 30},
    {"note": "sandalwood", "percentage": 20},
]


def make_blend(customer, *, name: str = "Evening Calm", components=None, base: str = "candle"):
    return services.blend_create(
        customer=customer, name=name, base=base, components=components or EVENING_CALM, intensity="light"
    )


def ensure_note_catalog() -> None:
    """Reload the catalog the data migration loads, if a transactional test's flush removed it."""
    if Note.objects.exists():
        return
    from importlib import import_module

    from django.apps import apps

    import_module("scents.migrations.0002_note_catalog").load_catalog(apps, None)
