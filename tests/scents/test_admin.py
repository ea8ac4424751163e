"""Staff edit the note catalog and products' notes in the admin; profiles and blends are read-only."""

import pytest

from scents.models import Note, ProductNote
from tests.scents.factories import make_blend, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_note_admin_lists_and_filters_the_catalog(admin_client):
    response = admin_client.get("/admin/scents/note/?family__exact=citrus")
    assert response.status_code == 200
    assert "Bergamot" in response.content.decode()
    assert "Sandalwood" not in response.content.decode()


def test_note_admin_adds_a_note(admin_client):
    response = admin_client.post(
        "/admin/scents/note/add/", {"name": "Black Tea", "slug": "black-tea", "family": "fresh"}
    )
    assert response.status_code == 302
    assert Note.objects.get(slug="black-tea").family == "fresh"


def test_product_notes_admin_sets_a_products_notes(admin_client):
    product = make_product(name="Calm candle", notes=["oud"])
    lavender, vanilla = Note.objects.get(slug="lavender"), Note.objects.get(slug="vanilla")
    url = f"/admin/scents/productnotes/{product.pk}/change/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"notes": [lavender.pk, vanilla.pk]})
    assert response.status_code == 302
    assert set(ProductNote.objects.filter(product=product).values_list("note__slug", flat=True)) == {
        "lavender",
        "vanilla",
    }
    assert "Lavender, Vanilla" in admin_client.get("/admin/scents/productnotes/").content.decode()


def test_blend_and_profile_admin_are_read_only(admin_client, customer):
    blend = make_blend(customer)
    assert admin_client.get("/admin/scents/blend/").status_code == 200
    response = admin_client.get(f"/admin/scents/blend/{blend.pk}/change/")
    assert response.status_code == 200
    assert "Lavender" in response.content.decode()
    assert admin_client.get("/admin/scents/blend/add/").status_code == 403
    assert admin_client.get("/admin/scents/scentprofile/add/").status_code == 403
