"""The scent-profile pages: the profile form, the blends list and the blend editor (session login)."""

import re

import pytest

from scents.models import Blend, ProfileNote
from scents.selectors import profile_note_slugs, scent_profile_get
from tests.scents.factories import make_blend

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("account_routes")]

PAGE = "/account/scent-profile/"


@pytest.fixture
def page_client(client, customer):
    client.force_login(customer.user)
    return client


def test_scent_profile_page_needs_a_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_scent_profile_page_groups_note_pickers_by_family_and_has_no_inline_script(page_client):
    response = page_client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<legend>Citrus</legend>" in html
    assert 'name="favorite_notes" value="bergamot"' in html
    assert 'name="disliked_notes" value="bergamot"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_scent_profile_page_saves_the_profile_through_the_service(page_client, customer):
    response = page_client.post(
        PAGE,
        {
            "name": "Evenings",
            "intensity": "light",
            "categories": ["floral", "woody"],
            "occasions": ["sleep"],
            "favorite_notes": ["lavender", "vanilla"],
            "disliked_notes": ["oud"],
        },
    )
    assert response.status_code == 302
    profile = scent_profile_get(customer=customer)
    assert (profile.name, profile.intensity, profile.categories) == ("Evenings", "light", ["floral", "woody"])
    assert profile_note_slugs(profile, ProfileNote.Kind.FAVORITE) == ["lavender", "vanilla"]
    assert profile_note_slugs(profile, ProfileNote.Kind.DISLIKED) == ["oud"]
    # and the page shows what was saved
    html = page_client.get(PAGE).content.decode()
    assert 'name="favorite_notes" value="lavender" checked' in html


def test_scent_profile_page_shows_the_service_error_for_a_note_both_favorite_and_disliked(
    page_client, customer
):
    response = page_client.post(PAGE, {"favorite_notes": ["rose"], "disliked_notes": ["rose"]})
    assert response.status_code == 200
    assert "cannot be both favorite and disliked" in response.content.decode()
    assert scent_profile_get(customer=customer) is None


def test_blend_editor_creates_a_blend(page_client, customer):
    response = page_client.post(
        f"{PAGE}blends/new/",
        {
            "name": "Morning Focus",
            "intensity": "medium",
            "base": "diffuser",
            "note_0": "bergamot",
            "percentage_0": "40",
            "note_1": "rosemary",
            "percentage_1": "30",
            "note_2": "cedarwood",
            "percentage_2": "30",
        },
    )
    assert response.status_code == 302
    blend = Blend.objects.get(customer=customer)
    assert [(c.note.slug, c.percentage) for c in blend.components.all()] == [
        ("bergamot", 40),
        ("rosemary", 30),
        ("cedarwood", 30),
    ]
    assert "Morning Focus" in page_client.get(PAGE).content.decode()


def test_blend_editor_refuses_a_total_other_than_100(page_client):
    response = page_client.post(
        f"{PAGE}blends/new/",
        {"name": "X", "intensity": "medium", "base": "candle", "note_0": "rose", "percentage_0": "90"},
    )
    assert response.status_code == 200
    assert "sum to exactly 100" in response.content.decode()
    assert not Blend.objects.exists()
    assert "js/scents/blend-editor.js" in response.content.decode()


def test_blend_editor_edits_and_deletes_own_blend(page_client, customer):
    blend = make_blend(customer)
    url = f"{PAGE}blends/{blend.public_id}/"
    assert 'value="Evening Calm"' in page_client.get(url).content.decode()
    page_client.post(
        url,
        {
            "name": "Renamed",
            "intensity": "strong",
            "base": "candle",
            "note_0": "vanilla",
            "percentage_0": "100",
        },
    )
    blend.refresh_from_db()
    assert blend.name == "Renamed"
    assert [c.note.slug for c in blend.components.all()] == ["vanilla"]
    assert page_client.post(f"{url}delete/").status_code == 302
    assert not Blend.objects.exists()


def test_blend_pages_of_another_customer_are_404(page_client, other_customer):
    blend = make_blend(other_customer)
    url = f"{PAGE}blends/{blend.public_id}/"
    assert page_client.get(url).status_code == 404
    assert page_client.post(f"{url}delete/").status_code == 404
    assert Blend.objects.filter(pk=blend.pk).exists()


def test_scent_profile_page_costs_the_same_queries_for_one_or_many_blends(page_client, customer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_blend(customer)
    with CaptureQueriesContext(connection) as one:
        page_client.get(PAGE)
    for i in range(5):
        make_blend(customer, name=f"B{i}")
    with CaptureQueriesContext(connection) as many:
        page_client.get(PAGE)
    assert len(one) == len(many)
