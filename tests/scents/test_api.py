"""The scents API: routes, permissions, error bodies, pagination and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scents import services
from scents.models import Blend, Note
from tests.conftest import bearer_client
from tests.factories import CustomerFactory
from tests.scents.factories import EVENING_CALM, make_blend, make_product

pytestmark = pytest.mark.django_db

PROFILE = "/api/customers/scent-profile"
BLENDS = "/api/customers/blends"


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- notes ------------------------------------------------------------------------------------


def test_notes_list_is_public_paginated_and_sorted_by_name(api_client):
    response = api_client.get("/api/scents/notes?limit=5")
    assert response.status_code == 200
    body = response.json()
    assert len(body["data"]) == 5
    assert set(body["data"][0]) == {"slug", "name", "family"}
    assert body["pagination"]["total"] == Note.objects.count()
    names = [n["name"] for n in body["data"]]
    assert names == sorted(names)


def test_notes_list_limit_goes_up_to_200_and_is_clamped_beyond(api_client):
    body = api_client.get("/api/scents/notes?limit=500").json()
    assert body["pagination"]["limit"] == 200
    assert len(body["data"]) == min(200, Note.objects.count())


def test_notes_list_filters_by_family(api_client):
    body = api_client.get("/api/scents/notes?family=citrus&limit=200").json()
    assert body["data"]
    assert {n["family"] for n in body["data"]} == {"citrus"}
    assert "bergamot" in {n["slug"] for n in body["data"]}


def test_notes_list_empty_family_means_every_family(api_client):
    body = api_client.get("/api/scents/notes?family=&limit=1").json()
    assert body["pagination"]["total"] == Note.objects.count()


def test_notes_list_unknown_family_is_400(api_client):
    error = error_of(api_client.get("/api/scents/notes?family=metallic"), 400)
    assert error["code"] == "validation_error"
    assert "family" in error["details"]


def test_notes_list_costs_the_same_queries_for_one_or_many_notes(api_client):
    one = count_queries(api_client, "/api/scents/notes?limit=1")
    many = count_queries(api_client, "/api/scents/notes?limit=200")
    assert one == many <= 2


# --- scent profile ----------------------------------------------------------------------------


def test_scent_profile_needs_a_customer(api_client, staff_client):
    assert error_of(api_client.get(PROFILE), 401)["code"] == "not_authenticated"
    assert error_of(staff_client.get(PROFILE), 403)["code"] == "permission_denied"


def test_scent_profile_get_before_any_write_is_an_empty_profile(customer_client):
    body = customer_client.get(PROFILE).json()
    assert body == {
        "id": None,
        "name": "",
        "preferences": {
            "intensity": None,
            "categories": [],
            "favorite_notes": [],
            "disliked_notes": [],
            "occasions": [],
        },
        "custom_blends": [],
        "created_at": None,
        "updated_at": None,
    }


def test_scent_profile_patch_creates_then_updates_nested_partially(customer_client):
    response = customer_client.patch(
        PROFILE,
        {
            "name": "Evenings",
            "preferences": {"intensity": "light", "favorite_notes": ["lavender"], "occasions": ["sleep"]},
        },
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["id"].startswith("scent_")
    assert body["created_at"].endswith("Z")
    # when only one preference key is sent
    body = customer_client.patch(PROFILE, {"preferences": {"categories": ["floral"]}}, format="json").json()
    # then the other keys and the name keep their values
    assert body["name"] == "Evenings"
    assert body["preferences"] == {
        "intensity": "light",
        "categories": ["floral"],
        "favorite_notes": ["lavender"],
        "disliked_notes": [],
        "occasions": ["sleep"],
    }
    assert customer_client.get(PROFILE).json() == body


def test_scent_profile_patch_unknown_note_is_400_naming_the_field(customer_client):
    error = error_of(
        customer_client.patch(PROFILE, {"preferences": {"favorite_notes": ["unicorn"]}}, format="json"), 400
    )
    assert error["code"] == "validation_error"
    assert list(error["details"]) == ["preferences"]
    assert "favorite_notes" in error["details"]["preferences"]


def test_scent_profile_patch_unknown_category_is_400_naming_the_field(customer_client):
    error = error_of(
        customer_client.patch(PROFILE, {"preferences": {"categories": ["metal"]}}, format="json"), 400
    )
    assert "categories" in error["details"]["preferences"]


def test_scent_profile_patch_note_both_favorite_and_disliked_is_400(customer_client):
    error = error_of(
        customer_client.patch(
            PROFILE, {"preferences": {"favorite_notes": ["rose"], "disliked_notes": ["rose"]}}, format="json"
        ),
        400,
    )
    assert "disliked_notes" in error["details"]["preferences"]


def test_scent_profile_patch_ignores_read_only_and_unknown_fields(customer_client):
    body = customer_client.patch(
        PROFILE,
        {"id": "scent_mine", "created_at": "2000-01-01T00:00:00Z", "colour": "red", "name": "A"},
        format="json",
    ).json()
    assert body["id"] != "scent_mine"
    assert not body["created_at"].startswith("2000")
    assert body["name"] == "A"


def test_scent_profile_shows_only_the_callers_blends(customer_client, customer, other_customer):
    make_blend(customer, name="Mine")
    make_blend(other_customer, name="Theirs")
    body = customer_client.get(PROFILE).json()
    assert [b["name"] for b in body["custom_blends"]] == ["Mine"]


# --- recommendations --------------------------------------------------------------------------


def test_recommendations_list_products_with_score_and_matched_notes(customer_client, customer):
    services.scent_profile_update(
        customer=customer, favorite_notes=["rose", "vanilla"], disliked_notes=["oud"]
    )
    best = make_product(name="Rose vanilla", notes=["rose", "vanilla"])
    make_product(name="Rose", notes=["rose"])
    make_product(name="Rose oud", notes=["rose", "oud"])
    body = customer_client.get(f"{PROFILE}/recommendations").json()
    assert [p["name"] for p in body["data"]] == ["Rose vanilla", "Rose"]
    assert body["data"][0]["id"] == best.public_id
    assert body["data"][0]["score"] == 6.0
    assert body["data"][0]["matched_notes"] == ["rose", "vanilla"]
    assert body["pagination"]["total"] == 2


def test_recommendations_without_a_profile_are_an_empty_list(customer_client):
    make_product(notes=["rose"])
    body = customer_client.get(f"{PROFILE}/recommendations").json()
    assert body["data"] == []


def test_recommendations_cost_the_same_queries_for_one_or_many_products(customer_client, customer):
    services.scent_profile_update(
        customer=customer,
        favorite_notes=["rose"],
        disliked_notes=["oud"],
        categories=["woody"],
        intensity="strong",
    )
    make_product(notes=["rose", "cedarwood"])
    one = count_queries(customer_client, f"{PROFILE}/recommendations")
    for _ in range(15):
        make_product(notes=["rose", "vetiver", "amber"])
    many = count_queries(customer_client, f"{PROFILE}/recommendations")
    assert one == many <= 8


# --- blends -----------------------------------------------------------------------------------


def test_blend_create_answers_201_with_the_contract_fields(customer_client):
    response = customer_client.post(
        BLENDS,
        {"name": "Evening Calm", "description": "Wind down", "base": "candle", "components": EVENING_CALM},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "id",
        "name",
        "description",
        "intensity",
        "base",
        "components",
        "notes",
        "created_at",
        "updated_at",
    }
    assert body["id"].startswith("blend_")
    assert body["intensity"] == "medium"
    assert body["components"] == EVENING_CALM
    assert body["notes"] == ["lavender", "vanilla", "sandalwood"]


@pytest.mark.parametrize(
    "components",
    [
        [{"note": "lavender", "percentage": 50}, {"note": "vanilla", "percentage": 40}],
        [{"note": "lavender", "percentage": 50}, {"note": "lavender", "percentage": 50}],
        [{"note": "moon-dust", "percentage": 100}],
        [],
    ],
)
def test_blend_create_invalid_components_are_400_naming_components(customer_client, components):
    error = error_of(
        customer_client.post(
            BLENDS, {"name": "X", "base": "candle", "components": components}, format="json"
        ),
        400,
    )
    assert "components" in error["details"]
    assert not Blend.objects.exists()


def test_blend_create_percentage_out_of_range_or_bad_base_is_400(customer_client):
    error = error_of(
        customer_client.post(
            BLENDS,
            {"name": "X", "base": "bath", "components": [{"note": "rose", "percentage": 150}]},
            format="json",
        ),
        400,
    )
    assert set(error["details"]) == {"base", "components"}


def test_blend_create_beyond_50_is_409(customer_client, customer):
    for i in range(50):
        make_blend(customer, name=f"B{i}")
    error = error_of(
        customer_client.post(
            BLENDS, {"name": "X", "base": "candle", "components": EVENING_CALM}, format="json"
        ),
        409,
    )
    assert error["code"] == "conflict"


def test_blend_list_is_paginated_newest_first_and_own_only(customer_client, customer, other_customer):
    make_blend(customer, name="First")
    make_blend(customer, name="Second")
    make_blend(other_customer, name="Theirs")
    body = customer_client.get(BLENDS).json()
    assert [b["name"] for b in body["data"]] == ["Second", "First"]
    assert body["pagination"]["total"] == 2


def test_blend_list_costs_the_same_queries_for_one_or_many_blends(customer_client, customer):
    make_blend(customer)
    one = count_queries(customer_client, BLENDS)
    for i in range(10):
        make_blend(customer, name=f"B{i}")
    many = count_queries(customer_client, BLENDS)
    assert one == many <= 6


def test_blend_detail_get_patch_delete(customer_client, customer):
    blend = make_blend(customer)
    url = f"{BLENDS}/{blend.public_id}"
    assert customer_client.get(url).json()["name"] == "Evening Calm"
    body = customer_client.patch(
        url,
        {"name": "Morning Focus", "components": [{"note": "bergamot", "percentage": 100}], "id": "blend_x"},
        format="json",
    ).json()
    assert body["id"] == blend.public_id
    assert body["name"] == "Morning Focus"
    assert body["components"] == [{"note": "bergamot", "percentage": 100}]
    assert body["notes"] == ["bergamot"]
    assert body["base"] == "candle"
    assert customer_client.delete(url).status_code == 204
    assert error_of(customer_client.get(url), 404)["code"] == "not_found"


def test_blend_patch_with_invalid_components_changes_nothing(customer_client, customer):
    blend = make_blend(customer)
    error_of(
        customer_client.patch(
            f"{BLENDS}/{blend.public_id}",
            {"name": "Renamed", "components": [{"note": "bergamot", "percentage": 90}]},
            format="json",
        ),
        400,
    )
    body = customer_client.get(f"{BLENDS}/{blend.public_id}").json()
    assert body["name"] == "Evening Calm"
    assert body["notes"] == ["lavender", "vanilla", "sandalwood"]


def test_another_customers_blend_is_404_for_every_method(customer_client, other_customer):
    blend = make_blend(other_customer)
    url = f"{BLENDS}/{blend.public_id}"
    assert error_of(customer_client.get(url), 404)["code"] == "not_found"
    error_of(customer_client.patch(url, {"name": "Mine now"}, format="json"), 404)
    error_of(customer_client.delete(url), 404)
    blend.refresh_from_db()
    assert blend.name == "Evening Calm"


def test_blends_need_a_customer(api_client, staff_client):
    error_of(api_client.get(BLENDS), 401)
    error_of(staff_client.post(BLENDS, {}, format="json"), 403)


def test_inactive_customer_cannot_use_the_scent_routes(db):
    customer = CustomerFactory(is_active=False)
    error_of(bearer_client(customer.user).get(BLENDS), 403)


def test_schema_documents_the_scent_routes(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    for path in [
        "/api/scents/notes",
        "/api/customers/scent-profile",
        "/api/customers/scent-profile/recommendations",
        "/api/customers/blends",
        "/api/customers/blends/{id}",
    ]:
        assert path in schema["paths"], path
    assert "score" in schema["paths"]["/api/customers/scent-profile/recommendations"]["get"]["description"]


def test_scent_profile_get_costs_the_same_queries_for_one_or_many_blends(customer_client, customer):
    services.scent_profile_update(customer=customer, favorite_notes=["rose"], disliked_notes=["oud"])
    make_blend(customer)
    one = count_queries(customer_client, PROFILE)
    for i in range(5):
        make_blend(customer, name=f"B{i}")
    many = count_queries(customer_client, PROFILE)
    assert one == many <= 6


def test_customer_profile_shows_the_scent_profile_with_its_blends(customer, customer_client):
    # Given a scent profile with a custom blend
    services.scent_profile_update(customer=customer, name="Mine", favorite_notes=["rose"])
    blend = make_blend(customer)

    # When the customer reads their profile
    response = customer_client.get("/api/customers/profile")

    # Then the section is the contract's shape, not a second pass over already-serialized data
    assert response.status_code == 200
    section = response.json()["scent_profile"]
    assert section["name"] == "Mine" and section["preferences"]["favorite_notes"] == ["rose"]
    assert [(b["id"], b["name"]) for b in section["custom_blends"]] == [(blend.public_id, "Evening Calm")]
