"""The catalog and orders."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from config.fields import MoneyField, PublicIdField


class Product(models.Model):
    """A sellable product of the catalog."""

    public_id = PublicIdField(prefix="prod")
    sku = models.CharField("SKU", max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    price = MoneyField()
    currency = models.CharField(max_length=3, default="USD")
    image = models.ImageField(upload_to="products/", blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=Decimal("0")), name="orders_product_price_gte_0"),
        ]
        indexes = [
            models.Index(fields=["is_active", "name"], name="orders_product_active_name"),
            models.Index(Lower("name"), name="orders_product_name_ci"),
        ]

    def __str__(self):
        return f"{self.name} ({self.sku})"
