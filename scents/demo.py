"""Demo data: realistic notes on the demo products, and Jane's scent profile with two blends."""

from customers.models import Customer
from customers.services.registration import customer_register
from orders.models import Product
from scents import services
from scents.models import Blend, Note

JANE_EMAIL = "jane.smith@example.com"
JANE_PASSWORD = "Lavender-Evening-42"

# Keywords in a product's name or SKU → the notes such a product carries. The first rule that
# matches wins, so specific scents come before generic product kinds.
PRODUCT_NOTE_RULES = [
    (("lavender", "calm", "sleep", "dream"), ["lavender", "chamomile", "vanilla", "sandalwood"]),
    (("citrus", "bergamot", "sunrise", "morning", "focus"), ["bergamot", "lemon", "rosemary", "cedarwood"]),
    (("ocean", "sea", "breeze", "coast", "marine"), ["sea-salt", "marine-accord", "driftwood", "white-musk"]),
    (("vanilla", "amber", "cozy", "cosy", "ember"), ["vanilla", "amber", "tonka-bean", "sandalwood"]),
    (("rose", "bloom", "garden", "floral", "peony"), ["rose", "peony", "jasmine", "white-musk"]),
    (("forest", "cedar", "wood", "pine", "fir"), ["cedarwood", "pine-needle", "vetiver", "cypress"]),
    (("spice", "chai", "cinnamon", "winter"), ["cinnamon", "clove", "cardamom", "vanilla"]),
    (("fig", "green", "leaf"), ["fig", "fig-leaf", "cedarwood", "white-musk"]),
    (("berry", "fruit", "peach", "pear"), ["raspberry", "peach", "pear", "musk"]),
    (("oud", "smoke", "incense", "night"), ["oud", "frankincense", "patchouli", "leather"]),
    (("candle",), ["vanilla", "sandalwood", "amber", "musk"]),
    (("diffuser",), ["eucalyptus", "bergamot", "cedarwood", "white-tea"]),
    (("spray", "mist"), ["lemon", "green-tea", "cotton-flower", "white-musk"]),
    (("oil", "perfume"), ["jasmine", "sandalwood", "patchouli", "musk"]),
]

BLENDS = [
    {
        "name": "Evening Calm",
        "description": "Soft lavender over vanilla and creamy sandalwood, for winding down.",
        "intensity": "light",
        "base": "candle",
        "components": [
            {"note": "lavender", "percentage": 50},
            {"note": "vanilla", "percentage": 30},
            {"note": "sandalwood", "percentage": 20},
        ],
    },
    {
        "name": "Morning Focus",
        "description": "Bright bergamot and rosemary on a cedarwood base, for the desk.",
        "intensity": "medium",
        "base": "diffuser",
        "components": [
            {"note": "bergamot", "percentage": 40},
            {"note": "rosemary", "percentage": 30},
            {"note": "cedarwood", "percentage": 30},
        ],
    },
]


def _notes_for(product: Product) -> list[str]:
    text = f"{product.name} {product.sku} {product.description}".lower()
    for keywords, notes in PRODUCT_NOTE_RULES:
        if any(keyword in text for keyword in keywords):
            return notes
    return []


def _seed_product_notes(report) -> None:
    by_slug = {note.slug: note for note in Note.objects.all()}
    tagged = 0
    # Only products without notes yet: staff edits to a demo product's notes are kept.
    for product in Product.objects.filter(note_links__isnull=True).order_by("pk"):
        slugs = _notes_for(product)
        notes = [by_slug[slug] for slug in slugs if slug in by_slug]
        if notes:
            services.product_notes_set(product=product, notes=notes)
            tagged += 1
    if tagged:
        report.note(f"Scents: notes added to {tagged} demo products.")


def _jane(report) -> Customer:
    """Jane as the customers app seeds her; created with a login when that app has not."""
    customer = Customer.objects.filter(email__iexact=JANE_EMAIL).first()
    if customer is None:
        customer = customer_register(
            email=JANE_EMAIL,
            password=JANE_PASSWORD,
            first_name="Jane",
            last_name="Smith",
            accepted_terms=True,
        )
        report.login("customer (scents)", JANE_EMAIL, JANE_PASSWORD)
    return customer


def seed(report) -> None:
    _seed_product_notes(report)
    jane = _jane(report)
    services.scent_profile_update(
        customer=jane,
        name="Cozy evenings, clear mornings",
        intensity="medium",
        categories=["floral", "woody", "gourmand"],
        favorite_notes=["lavender", "vanilla", "sandalwood", "bergamot", "cedarwood"],
        disliked_notes=["oud", "patchouli"],
        occasions=["relaxation", "sleep", "work", "focus"],
    )
    for blend in BLENDS:
        existing = Blend.objects.filter(customer=jane, name=blend["name"]).first()
        if existing is None:
            services.blend_create(customer=jane, **blend)
        else:
            services.blend_update(blend=existing, **{k: v for k, v in blend.items() if k != "name"})
    report.note(
        f"Scents: {JANE_EMAIL} has a scent profile and the blends “Evening Calm” and “Morning Focus”."
    )
