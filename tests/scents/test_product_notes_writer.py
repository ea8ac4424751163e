"""Staff set a product's notes through the catalog routes; scents stores them."""

import pytest

from orders.models import Product
from tests.scents.factories import ensure_note_catalog

pytestmark = pytest.mark.django_db


def test_product_create_with_notes_stores_them_and_shows_them(staff_client):
    ensure_note_catalog()
    response = staff_client.post(
        "/api/products",
        {
            "name": "Night Garden Candle",
            "notes": ["lavender", "vanilla"],
            "variants": [{"sku": "NG-1", "name": "200 g", "price": "30.00", "currency": "USD", "stock": 5}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    product_id = response.json()["id"]
    assert sorted(staff_client.get(f"/api/products/{product_id}").json()["notes"]) == ["lavender", "vanilla"]

    patched = staff_client.patch(f"/api/products/{product_id}", {"notes": ["bergamot"]}, format="json")
    assert patched.status_code == 200, patched.content
    assert staff_client.get(f"/api/products/{product_id}").json()["notes"] == ["bergamot"]


def test_product_notes_with_an_unknown_slug_are_400_naming_the_field(staff_client):
    ensure_note_catalog()
    response = staff_client.post(
        "/api/products",
        {"name": "X", "notes": ["unobtainium"], "variants": [{"sku": "X-1", "price": "1.00", "stock": 0}]},
        format="json",
    )
    assert response.status_code == 400
    assert "notes" in response.json()["error"]["details"]
    assert not Product.objects.filter(sku="X-1").exists()  # nothing half-written
