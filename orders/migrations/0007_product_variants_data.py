"""Each existing product becomes one variant with the product's SKU and price; order lines of that
product are linked to it, so order history stays intact (snapshots are not touched)."""

from django.db import migrations

from config.fields import new_public_id


def forwards(apps, schema_editor):
    Product = apps.get_model("orders", "Product")
    ProductVariant = apps.get_model("orders", "ProductVariant")
    OrderItem = apps.get_model("orders", "OrderItem")
    for product in Product.objects.filter(variants__isnull=True).iterator():
        variant = ProductVariant.objects.create(
            public_id=new_public_id("var"),
            product=product,
            sku=product.sku,
            name="",
            price=product.price,
            currency=product.currency,
            stock=0,
            is_active=product.is_active,
        )
        OrderItem.objects.filter(product=product, variant__isnull=True, sku=product.sku).update(variant=variant)


def backwards(apps, schema_editor):
    apps.get_model("orders", "OrderItem").objects.update(variant=None)
    apps.get_model("orders", "ProductVariant").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("orders", "0006_variants_cart_discounts")]

    operations = [migrations.RunPython(forwards, backwards)]
