"""Scent profile and blend rules, enforced by the services."""

import pytest

from config.errors import Conflict, ValidationFailed
from customers.registry import erasers
from scents import services
from scents.models import Blend, BlendComponent, ProfileNote, ScentProfile
from scents.selectors import profile_note_slugs, scent_profile_get
from tests.scents.factories import EVENING_CALM, make_blend

pytestmark = pytest.mark.django_db


def details_of(excinfo) -> dict:
    return excinfo.value.details


# --- scent profile ---------------------------------------------------------------------------


def test_scent_profile_update_creates_the_profile_on_first_write(customer):
    # given a customer without a profile
    assert scent_profile_get(customer=customer) is None
    # when they write one value
    services.scent_profile_update(customer=customer, name="Calm")
    # then a profile exists, other values at their defaults
    profile = scent_profile_get(customer=customer)
    assert profile.name == "Calm"
    assert profile.public_id.startswith("scent_")
    assert profile.intensity == ""
    assert profile.categories == []


def test_scent_profile_update_keeps_values_not_given(customer):
    services.scent_profile_update(
        customer=customer,
        name="Mine",
        intensity="strong",
        categories=["woody"],
        favorite_notes=["cedarwood"],
        disliked_notes=["oud"],
        occasions=["work"],
    )
    # when only the occasions change
    services.scent_profile_update(customer=customer, occasions=["sleep", "home"])
    # then everything else is kept
    profile = scent_profile_get(customer=customer)
    assert (profile.name, profile.intensity, profile.categories) == ("Mine", "strong", ["woody"])
    assert profile.occasions == ["sleep", "home"]
    assert profile_note_slugs(profile, ProfileNote.Kind.FAVORITE) == ["cedarwood"]
    assert profile_note_slugs(profile, ProfileNote.Kind.DISLIKED) == ["oud"]


def test_scent_profile_update_replaces_one_note_list_and_keeps_the_other(customer):
    services.scent_profile_update(customer=customer, favorite_notes=["rose"], disliked_notes=["cumin"])
    services.scent_profile_update(customer=customer, favorite_notes=["jasmine", "vanilla"])
    profile = scent_profile_get(customer=customer)
    assert profile_note_slugs(profile, ProfileNote.Kind.FAVORITE) == ["jasmine", "vanilla"]
    assert profile_note_slugs(profile, ProfileNote.Kind.DISLIKED) == ["cumin"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("favorite_notes", ["lavender", "unicorn-tears"]),
        ("disliked_notes", ["not-a-note"]),
        ("categories", ["woody", "metallic"]),
        ("occasions", ["brunch"]),
        ("intensity", "overpowering"),
        ("name", "x" * 101),
        ("favorite_notes", "lavender"),
    ],
)
def test_scent_profile_update_refuses_unknown_values_naming_the_field(customer, field, value):
    with pytest.raises(ValidationFailed) as excinfo:
        services.scent_profile_update(customer=customer, **{field: value})
    assert list(details_of(excinfo)) == [field]
    assert not ScentProfile.objects.filter(customer=customer).exists()


def test_scent_profile_update_refuses_a_note_both_favorite_and_disliked(customer):
    with pytest.raises(ValidationFailed) as excinfo:
        services.scent_profile_update(customer=customer, favorite_notes=["rose"], disliked_notes=["rose"])
    assert list(details_of(excinfo)) == ["disliked_notes"]
    assert "rose" in details_of(excinfo)["disliked_notes"][0]


def test_scent_profile_update_refuses_a_new_favorite_that_is_already_disliked(customer):
    # given rose is disliked
    services.scent_profile_update(customer=customer, disliked_notes=["rose"])
    # when only the favorites are sent, with rose
    with pytest.raises(ValidationFailed) as excinfo:
        services.scent_profile_update(customer=customer, favorite_notes=["rose", "jasmine"])
    # then the favorites are named and nothing changed
    assert list(details_of(excinfo)) == ["favorite_notes"]
    profile = scent_profile_get(customer=customer)
    assert profile_note_slugs(profile, ProfileNote.Kind.FAVORITE) == []


def test_scent_profile_update_moves_a_note_from_disliked_to_favorite_when_both_lists_are_sent(customer):
    services.scent_profile_update(customer=customer, disliked_notes=["rose"])
    services.scent_profile_update(customer=customer, favorite_notes=["rose"], disliked_notes=[])
    profile = scent_profile_get(customer=customer)
    assert profile_note_slugs(profile, ProfileNote.Kind.FAVORITE) == ["rose"]
    assert profile_note_slugs(profile, ProfileNote.Kind.DISLIKED) == []


def test_scent_profile_update_clears_intensity_with_null(customer):
    services.scent_profile_update(customer=customer, intensity="light")
    services.scent_profile_update(customer=customer, intensity=None)
    assert scent_profile_get(customer=customer).intensity == ""


def test_scent_profile_update_removes_duplicate_slugs(customer):
    services.scent_profile_update(
        customer=customer, favorite_notes=["rose", "rose"], categories=["floral", "floral"]
    )
    profile = scent_profile_get(customer=customer)
    assert profile_note_slugs(profile, ProfileNote.Kind.FAVORITE) == ["rose"]
    assert profile.categories == ["floral"]


# --- blends ----------------------------------------------------------------------------------


def test_blend_create_stores_components_in_order(customer):
    blend = make_blend(customer)
    assert blend.public_id.startswith("blend_")
    assert [(c.note.slug, c.percentage) for c in blend.components.all()] == [
        ("lavender", 50),
        ("vanilla", 30),
        ("sandalwood", 20),
    ]


@pytest.mark.parametrize(
    ("components", "message"),
    [
        ([], "at least one"),
        (
            [{"note": "lavender", "percentage": 60}, {"note": "vanilla", "percentage": 30}],
            "sum to exactly 100",
        ),
        (
            [{"note": "lavender", "percentage": 60}, {"note": "vanilla", "percentage": 50}],
            "sum to exactly 100",
        ),
        ([{"note": "lavender", "percentage": 50}, {"note": "lavender", "percentage": 50}], "only once"),
        ([{"note": "lavender", "percentage": 0}, {"note": "vanilla", "percentage": 100}], "1 to 100"),
        ([{"note": "lavender", "percentage": 101}], "1 to 100"),
        ([{"note": "lavender", "percentage": 50.5}, {"note": "vanilla", "percentage": 49.5}], "whole number"),
        ([{"note": "dragon-breath", "percentage": 100}], "Unknown notes"),
        ([{"percentage": 100}], "note slug"),
        (
            [
                {"note": slug, "percentage": p}
                for slug, p in zip(
                    ["rose", "jasmine", "iris", "violet", "musk", "amber", "vanilla", "lemon", "lime"],
                    [20, 10, 10, 10, 10, 10, 10, 10, 10],
                    strict=True,
                )
            ],
            "at most 8",
        ),
    ],
)
def test_blend_create_refuses_invalid_components_naming_the_field(customer, components, message):
    with pytest.raises(ValidationFailed) as excinfo:
        services.blend_create(customer=customer, name="X", base="candle", components=components)
    assert list(details_of(excinfo)) == ["components"]
    assert message in details_of(excinfo)["components"][0]
    assert not Blend.objects.exists()


def test_blend_create_accepts_eight_components(customer):
    slugs = ["rose", "jasmine", "iris", "violet", "musk", "amber", "vanilla", "lemon"]
    components = [
        {"note": s, "percentage": p} for s, p in zip(slugs, [30, 10, 10, 10, 10, 10, 10, 10], strict=True)
    ]
    blend = services.blend_create(customer=customer, name="Eight", base="perfume_oil", components=components)
    assert blend.components.count() == 8


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("name", {"name": "   "}),
        ("name", {"name": "x" * 101}),
        ("base", {"base": "bath_bomb"}),
        ("intensity", {"intensity": "extreme"}),
        ("description", {"description": "x" * 1001}),
    ],
)
def test_blend_create_refuses_invalid_fields(customer, field, kwargs):
    args = {"name": "Calm", "base": "candle", "components": EVENING_CALM, **kwargs}
    with pytest.raises(ValidationFailed) as excinfo:
        services.blend_create(customer=customer, **args)
    assert list(details_of(excinfo)) == [field]


def test_blend_create_refuses_the_51st_blend_with_conflict(customer, settings):
    # given 50 blends
    for i in range(50):
        make_blend(customer, name=f"Blend {i}")
    # when one more is created
    with pytest.raises(Conflict):
        make_blend(customer, name="One too many")
    # then the count is still 50
    assert Blend.objects.filter(customer=customer).count() == 50


def test_blend_limit_counts_only_the_customers_own_blends(customer, other_customer):
    for i in range(50):
        make_blend(other_customer, name=f"Blend {i}")
    assert make_blend(customer).customer == customer


def test_blend_update_replaces_the_whole_component_list(customer):
    blend = make_blend(customer)
    services.blend_update(
        blend=blend,
        components=[{"note": "bergamot", "percentage": 40}, {"note": "rosemary", "percentage": 60}],
    )
    assert [(c.note.slug, c.percentage) for c in blend.components.all()] == [
        ("bergamot", 40),
        ("rosemary", 60),
    ]
    assert BlendComponent.objects.filter(blend=blend).count() == 2


def test_blend_update_with_invalid_components_keeps_the_old_ones_and_other_fields(customer):
    blend = make_blend(customer)
    with pytest.raises(ValidationFailed):
        services.blend_update(
            blend=blend, name="Renamed", components=[{"note": "bergamot", "percentage": 99}]
        )
    blend.refresh_from_db()
    assert blend.name == "Evening Calm"
    assert [c.note.slug for c in blend.components.all()] == ["lavender", "vanilla", "sandalwood"]


def test_blend_update_changes_only_the_fields_given(customer):
    blend = make_blend(customer)
    services.blend_update(blend=blend, base="diffuser")
    blend.refresh_from_db()
    assert (blend.name, blend.base, blend.intensity) == ("Evening Calm", "diffuser", "light")
    assert blend.components.count() == 3


def test_blend_delete_removes_the_blend_and_its_components(customer):
    blend = make_blend(customer)
    services.blend_delete(blend=blend)
    assert not Blend.objects.exists()
    assert not BlendComponent.objects.exists()


# --- products and erasure --------------------------------------------------------------------


def test_product_notes_set_makes_the_notes_exactly_those_given(db):
    from scents.models import Note, ProductNote
    from tests.scents.factories import make_product

    product = make_product(notes=["rose", "oud"])
    services.product_notes_set(product=product, notes=Note.objects.filter(slug__in=["oud", "vanilla"]))
    assert sorted(ProductNote.objects.filter(product=product).values_list("note__slug", flat=True)) == [
        "oud",
        "vanilla",
    ]


def test_scent_eraser_deletes_the_customers_profile_and_blends_only(customer, other_customer):
    services.scent_profile_update(customer=customer, favorite_notes=["rose"])
    services.scent_profile_update(customer=other_customer, favorite_notes=["rose"])
    make_blend(customer)
    make_blend(other_customer)
    # when the registered eraser runs for one customer
    erasers()["scent_profile"](customer)
    # then their scent data is gone and the other customer's is kept
    assert not ScentProfile.objects.filter(customer=customer).exists()
    assert not Blend.objects.filter(customer=customer).exists()
    assert ScentProfile.objects.filter(customer=other_customer).exists()
    assert Blend.objects.filter(customer=other_customer).exists()
