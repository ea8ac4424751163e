"""Admin: stock adjustments go through the audited service; used codes cannot be deleted."""

import pytest
from django.test import Client

from orders.models import StockMovement
from tests.checkout.factories import DiscountCodeFactory, VariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(staff_user):
    client = Client()
    client.force_login(staff_user)
    return client


def _form(variant, **extra):
    return {
        "product": variant.product_id,
        "sku": variant.sku,
        "name": variant.name,
        "price": str(variant.price),
        "currency": variant.currency,
        "is_active": "on",
        "position": 0,
        "stock_movements-TOTAL_FORMS": 0,
        "stock_movements-INITIAL_FORMS": 0,
        **extra,
    }


def test_admin_variant_stock_adjustment_is_audited(admin_client_, staff_user):
    variant = VariantFactory(stock=2)
    url = f"/admin/orders/productvariant/{variant.pk}/change/"
    response = admin_client_.post(url, _form(variant, stock_adjustment=5, adjustment_reason="Delivery"))
    assert response.status_code == 302, response.content[:2000]
    variant.refresh_from_db()
    assert variant.stock == 7
    movement = StockMovement.objects.get(variant=variant)
    assert (movement.quantity, movement.reason, movement.created_by) == (5, "Delivery", staff_user)


def test_admin_variant_stock_adjustment_needs_a_reason_and_cannot_go_below_zero(admin_client_):
    variant = VariantFactory(stock=2)
    url = f"/admin/orders/productvariant/{variant.pk}/change/"
    assert admin_client_.post(url, _form(variant, stock_adjustment=3)).status_code == 200
    assert (
        admin_client_.post(url, _form(variant, stock_adjustment=-3, adjustment_reason="Lost")).status_code
        == 200
    )
    variant.refresh_from_db()
    assert variant.stock == 2 and not StockMovement.objects.exists()


def test_admin_pages_render(admin_client_):
    variant = VariantFactory()
    DiscountCodeFactory(code="USED", times_used=1)
    assert admin_client_.get(f"/admin/orders/product/{variant.product_id}/change/").status_code == 200
    assert admin_client_.get("/admin/orders/productvariant/").status_code == 200
    assert admin_client_.get("/admin/orders/discountcode/").status_code == 200
    code = DiscountCodeFactory(code="USED2", times_used=1)
    assert admin_client_.get(f"/admin/orders/discountcode/{code.pk}/delete/").status_code == 403


def test_clear_abandoned_carts_task_deletes_carts_untouched_for_30_days(customer, other_customer):
    from datetime import timedelta

    from django.utils import timezone

    from orders.models import Cart
    from orders.tasks import clear_abandoned_carts
    from tests.checkout.factories import ready_cart

    ready_cart(customer, [(VariantFactory(), 1)])
    ready_cart(other_customer, [(VariantFactory(), 1)])
    Cart.objects.filter(customer=customer).update(updated_at=timezone.now() - timedelta(days=31))
    assert clear_abandoned_carts.delay().get() == 1
    assert list(Cart.objects.values_list("customer", flat=True)) == [other_customer.pk]
