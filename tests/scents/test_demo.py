"""The scents demo data: idempotent, robust to which demo products exist."""

import pytest

from customers.management.commands.seed_demo import DemoReport
from customers.models import Customer
from scents import demo
from scents.models import Blend, ProductNote, ProfileNote
from scents.selectors import profile_note_slugs, scent_profile_get
from tests.factories import CustomerFactory
from tests.scents.factories import make_product

pytestmark = pytest.mark.django_db


def test_demo_seed_gives_jane_a_profile_and_two_blends_idempotently():
    CustomerFactory(email=demo.JANE_EMAIL, first_name="Jane", last_name="Smith")
    demo.seed(DemoReport())
    demo.seed(DemoReport())
    jane = Customer.objects.get(email=demo.JANE_EMAIL)
    blends = {b.name: b for b in Blend.objects.filter(customer=jane)}
    assert set(blends) == {"Evening Calm", "Morning Focus"}
    assert [(c.note.slug, c.percentage) for c in blends["Evening Calm"].components.all()] == [
        ("lavender", 50),
        ("vanilla", 30),
        ("sandalwood", 20),
    ]
    assert blends["Morning Focus"].base == "diffuser"
    profile = scent_profile_get(customer=jane)
    assert "lavender" in profile_note_slugs(profile, ProfileNote.Kind.FAVORITE)


def test_demo_seed_creates_jane_with_a_login_when_the_customers_demo_did_not():
    report = DemoReport()
    demo.seed(report)
    jane = Customer.objects.get(email=demo.JANE_EMAIL)
    assert jane.user.check_password(demo.JANE_PASSWORD)
    assert report.logins == [("customer (scents)", demo.JANE_EMAIL, demo.JANE_PASSWORD)]


def test_demo_seed_gives_demo_products_matching_notes_and_keeps_existing_ones():
    candle = make_product(name="Lavender Dreams Candle")
    spray = make_product(name="Ocean Breeze Room Spray")
    tagged = make_product(name="Citrus Candle", notes=["oud"])
    unknown = make_product(name="Gift card")
    demo.seed(DemoReport())

    def slugs(product):
        return set(ProductNote.objects.filter(product=product).values_list("note__slug", flat=True))

    assert "lavender" in slugs(candle)
    assert "sea-salt" in slugs(spray)
    assert slugs(tagged) == {"oud"}
    assert slugs(unknown) == set()


def test_demo_note_rules_name_only_catalog_notes():
    from scents.models import Note

    catalog = set(Note.objects.values_list("slug", flat=True))
    for _, notes in demo.PRODUCT_NOTE_RULES:
        assert set(notes) <= catalog, set(notes) - catalog
