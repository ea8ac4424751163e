"""Recommendations, the catalog registry entries and the profile section."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.registry import export_sections, profile_sections
from orders.models import Product
from orders.registry import product_fields, product_filters
from scents import services
from scents.selectors import matched_notes_for, recommendations_for_customer
from tests.scents.factories import make_blend, make_product

pytestmark = pytest.mark.django_db


def ranked(customer) -> list[tuple[str, float]]:
    products, _ = recommendations_for_customer(customer=customer)
    return [(p.name, p.score) for p in products]


def test_recommendations_rank_a_product_with_more_favorite_notes_higher(customer):
    # given favorites rose and vanilla
    services.scent_profile_update(customer=customer, favorite_notes=["rose", "vanilla"])
    make_product(name="One favorite", notes=["rose", "cumin"])
    make_product(name="Two favorites", notes=["rose", "vanilla", "cumin"])
    make_product(name="No favorite", notes=["cumin"])
    # then the product with two favorites ranks first and the one without any is left out
    assert ranked(customer) == [("Two favorites", 6.0), ("One favorite", 3.0)]


def test_recommendations_exclude_products_with_a_disliked_note(customer):
    services.scent_profile_update(
        customer=customer, favorite_notes=["rose", "vanilla"], disliked_notes=["oud"]
    )
    make_product(name="Rose oud", notes=["rose", "vanilla", "oud"])
    make_product(name="Rose", notes=["rose"])
    assert [name for name, _ in ranked(customer)] == ["Rose"]


def test_recommendations_score_favorite_families_and_intensity_fit(customer):
    # given woody as a category and a light intensity (citrus reads light)
    services.scent_profile_update(customer=customer, categories=["woody"], intensity="light")
    # cedarwood + vetiver: 2 notes in a favorite family, 0 light notes → 2
    make_product(name="Woods", notes=["cedarwood", "vetiver"])
    # lemon + cedarwood: 1 note in a favorite family, half the notes light → 1.5
    make_product(name="Lemon wood", notes=["lemon", "cedarwood"])
    # lemon + lime: only the intensity fit → 1
    make_product(name="Citrus", notes=["lemon", "lime"])
    assert ranked(customer) == [("Woods", 2.0), ("Lemon wood", 1.5), ("Citrus", 1.0)]


def test_recommendations_leave_out_inactive_products_and_products_without_notes(customer):
    services.scent_profile_update(customer=customer, favorite_notes=["rose"], intensity="medium")
    make_product(name="Inactive rose", notes=["rose"], is_active=False)
    make_product(name="No notes")
    assert ranked(customer) == []


def test_recommendations_are_empty_without_a_profile(customer):
    make_product(name="Rose", notes=["rose"])
    assert ranked(customer) == []


def test_matched_notes_are_the_favorites_and_notes_in_favorite_families(customer):
    services.scent_profile_update(customer=customer, favorite_notes=["rose"], categories=["gourmand"])
    product = make_product(name="Rose praline", notes=["rose", "praline", "cedarwood"])
    profile = recommendations_for_customer(customer=customer)[1]
    assert matched_notes_for(products=[product], profile=profile) == {product.pk: ["praline", "rose"]}


def test_product_notes_field_and_note_filter_are_registered_and_batch_a_page(db):
    field = {f.name: f for f in product_fields()}["notes"]
    note_filter = {f.name: f for f in product_filters()}["note"]
    rose = make_product(notes=["rose", "jasmine"])
    oud = make_product(notes=["oud"])
    bare = make_product()
    with CaptureQueriesContext(connection) as queries:
        values = field.selector([rose, oud, bare])
    assert len(queries) == 1
    assert values == {rose.pk: ["jasmine", "rose"], oud.pk: ["oud"], bare.pk: []}
    assert list(note_filter.apply(Product.objects.all(), "rose")) == [rose]
    assert set(note_filter.apply(Product.objects.all(), "rose,oud")) == {rose, oud}


def test_scent_profile_section_is_null_without_a_profile_and_costs_constant_queries(customer, other_customer):
    section = {s.name: s for s in profile_sections()}["scent_profile"]
    assert section.selector([customer]) == {customer.pk: None}

    services.scent_profile_update(customer=customer, name="Mine", favorite_notes=["rose"])
    make_blend(customer)
    with CaptureQueriesContext(connection) as one:
        section.selector([customer])
    services.scent_profile_update(customer=other_customer, favorite_notes=["oud"])
    make_blend(other_customer)
    make_blend(other_customer, name="Second")
    with CaptureQueriesContext(connection) as many:
        values = section.selector([customer, other_customer])
    assert len(one) == len(many)
    assert values[customer.pk]["preferences"]["favorite_notes"] == ["rose"]
    assert [b["name"] for b in values[other_customer.pk]["custom_blends"]] == ["Second", "Evening Calm"]


def test_gdpr_export_has_the_profile_and_blends(customer):
    services.scent_profile_update(customer=customer, name="Mine")
    make_blend(customer)
    exported = export_sections()["scent_profile"](customer)
    assert exported["profile"]["name"] == "Mine"
    assert "custom_blends" not in exported["profile"]
    assert [b["name"] for b in exported["custom_blends"]] == ["Evening Calm"]
