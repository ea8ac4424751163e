"""The shop demo: variants with stock, images with alt text, two codes; idempotent."""

import pytest

from orders import demo
from orders.models import DiscountCode, OrderItem, Product, ProductVariant, StockMovement
from tests.orders.test_demo import Report

pytestmark = pytest.mark.django_db


def test_seed_shop_makes_variants_images_and_codes_once():
    report = Report()
    demo.seed(report)
    stock_after_first = dict(ProductVariant.objects.values_list("sku", "stock"))
    demo.seed(Report())
    assert dict(ProductVariant.objects.values_list("sku", "stock")) == stock_after_first
    assert ProductVariant.objects.count() > Product.objects.count()
    assert all(p.variants.filter(sku=p.sku).exists() for p in Product.objects.all())
    # every shop product has a described picture (the wholesale cases of the business demo have none)
    shop = Product.objects.exclude(sku__startswith="B2B-")
    assert all(p.images.exclude(alt="").exists() for p in shop)
    assert set(DiscountCode.objects.values_list("code", flat=True)) == {"WELCOME10", "SPRING5"}
    assert any("WELCOME10" in note and "SPRING5" in note for note in report.notes)
    # Jane's demo orders took stock through the variants
    assert not OrderItem.objects.filter(variant__isnull=True).exists()
    assert StockMovement.objects.filter(kind="order").exists()
