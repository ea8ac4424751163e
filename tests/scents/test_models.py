"""The note catalog and the invariants the database enforces on its own."""

import pytest
from django.db import IntegrityError, transaction

from scents.models import BlendComponent, Family, Note, ProductNote, ProfileNote, ScentProfile
from tests.scents.factories import make_blend, make_product

pytestmark = pytest.mark.django_db


def test_note_catalog_has_over_100_real_notes_in_every_family():
    assert Note.objects.count() >= 100
    families = set(Note.objects.values_list("family", flat=True))
    assert families == set(Family.values)
    for slug in [
        "lavender",
        "bergamot",
        "cedarwood",
        "sandalwood",
        "vanilla",
        "patchouli",
        "musk",
        "rosemary",
    ]:
        assert Note.objects.filter(slug=slug).exists(), slug


def test_note_catalog_slugs_match_names():
    from django.utils.text import slugify

    for slug, name in Note.objects.values_list("slug", "name"):
        assert slug == slugify(name)


def test_blend_component_percentage_outside_1_to_100_is_refused_by_the_database(customer):
    blend = make_blend(customer)
    component = blend.components.first()
    for value in (0, 101):
        component.percentage = value
        with pytest.raises(IntegrityError), transaction.atomic():
            component.save()


def test_blend_component_note_twice_is_refused_by_the_database(customer):
    blend = make_blend(customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        BlendComponent.objects.create(blend=blend, note=Note.objects.get(slug="lavender"), percentage=1)


def test_profile_note_both_favorite_and_disliked_is_refused_by_the_database(customer):
    profile = ScentProfile.objects.create(customer=customer)
    rose = Note.objects.get(slug="rose")
    ProfileNote.objects.create(profile=profile, note=rose, kind=ProfileNote.Kind.FAVORITE)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProfileNote.objects.create(profile=profile, note=rose, kind=ProfileNote.Kind.DISLIKED)


def test_one_scent_profile_per_customer_is_enforced_by_the_database(customer):
    ScentProfile.objects.create(customer=customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScentProfile.objects.create(customer=customer)


def test_blend_with_an_unknown_base_is_refused_by_the_database(customer):
    blend = make_blend(customer)
    blend.base = "bath_bomb"
    with pytest.raises(IntegrityError), transaction.atomic():
        blend.save()


def test_product_note_pair_is_unique(db):
    product = make_product(notes=["rose"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductNote.objects.create(product=product, note=Note.objects.get(slug="rose"))
