"""The fragrance note catalog: real notes perfumers and candle makers work with, each in one family.

Staff edit the catalog in the admin afterwards; this migration only adds notes that are missing,
and its reverse removes those that nothing refers to.
"""

from django.db import migrations
from django.utils.text import slugify

CATALOG = {
    "floral": [
        "Rose", "Jasmine", "Tuberose", "Ylang-Ylang", "Neroli", "Orange Blossom", "Gardenia", "Peony",
        "Magnolia", "Lily of the Valley", "Iris", "Violet", "Geranium", "Freesia", "Honeysuckle",
        "Lilac", "Mimosa", "Osmanthus", "Frangipani", "Carnation", "Heliotrope", "Cherry Blossom",
    ],
    "woody": [
        "Cedarwood", "Sandalwood", "Vetiver", "Patchouli", "Oud", "Guaiac Wood", "Cypress", "Birch Tar",
        "Hinoki", "Palo Santo", "Teakwood", "Rosewood", "Cashmere Wood", "Driftwood",
    ],
    "citrus": [
        "Bergamot", "Lemon", "Lime", "Sweet Orange", "Blood Orange", "Grapefruit", "Mandarin", "Yuzu",
        "Tangerine", "Citron", "Bitter Orange", "Clementine", "Kumquat",
    ],
    "fresh": [
        "Eucalyptus", "Green Tea", "White Tea", "Cotton Flower", "Aldehydes", "Petitgrain",
        "Juniper Berry", "Bamboo", "Clean Linen", "Cucumber",
    ],
    "amber": [
        "Amber", "Labdanum", "Benzoin", "Frankincense", "Myrrh", "Tolu Balsam", "Peru Balsam", "Styrax",
        "Copal", "Opoponax", "Ambergris",
    ],
    "gourmand": [
        "Vanilla", "Tonka Bean", "Caramel", "Chocolate", "Coffee", "Honey", "Almond", "Praline",
        "Coconut", "Brown Sugar", "Maple", "Hazelnut", "Marshmallow",
    ],
    "green": [
        "Galbanum", "Fig Leaf", "Tomato Leaf", "Violet Leaf", "Cut Grass", "Oakmoss", "Ivy",
        "Blackcurrant Bud", "Pine Needle", "Fern", "Mate",
    ],
    "aquatic": [
        "Sea Salt", "Ozone", "Marine Accord", "Seaweed", "Water Lily", "Lotus", "Rain", "Calone",
        "Sea Spray",
    ],
    "spicy": [
        "Cinnamon", "Clove", "Cardamom", "Black Pepper", "Pink Pepper", "Nutmeg", "Ginger", "Saffron",
        "Star Anise", "Cumin", "Allspice",
    ],
    "fruity": [
        "Blackcurrant", "Raspberry", "Strawberry", "Peach", "Apricot", "Pear", "Green Apple", "Plum",
        "Fig", "Cherry", "Mango", "Pineapple", "Pomegranate", "Lychee", "Passion Fruit",
    ],
    "musky": [
        "Musk", "White Musk", "Ambrette Seed", "Cashmeran", "Ambroxan", "Iso E Super", "Suede",
        "Leather", "Skin Musk",
    ],
    "herbal": [
        "Lavender", "Rosemary", "Basil", "Sage", "Clary Sage", "Thyme", "Peppermint", "Spearmint",
        "Chamomile", "Lemongrass", "Tea Tree", "Bay Leaf", "Tarragon", "Artemisia",
    ],
}


def load_catalog(apps, schema_editor):
    Note = apps.get_model("scents", "Note")
    existing = set(Note.objects.values_list("slug", flat=True))
    Note.objects.bulk_create(
        [
            Note(slug=slugify(name), name=name, family=family)
            for family, names in CATALOG.items()
            for name in names
            if slugify(name) not in existing
        ]
    )


def unload_catalog(apps, schema_editor):
    Note = apps.get_model("scents", "Note")
    slugs = [slugify(name) for names in CATALOG.values() for name in names]
    Note.objects.filter(
        slug__in=slugs, product_links__isnull=True
    ).exclude(pk__in=apps.get_model("scents", "BlendComponent").objects.values("note_id")).delete()


class Migration(migrations.Migration):
    dependencies = [("scents", "0001_initial")]

    operations = [migrations.RunPython(load_catalog, unload_catalog)]
