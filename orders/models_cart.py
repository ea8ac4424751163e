"""The customer's database cart (one per customer, kept across devices). Imported into `orders.models`."""

from django.db import models
from django.db.models import Q

from config.fields import MoneyField, PublicIdField

__all__ = ["Cart", "CartDiscount", "CartLine"]


class Cart(models.Model):
    """A customer's cart: lines, codes, held points, addresses and the shipping method."""

    public_id = PublicIdField(prefix="cart")
    customer = models.OneToOneField("customers.Customer", on_delete=models.CASCADE, related_name="cart")
    currency = models.CharField(max_length=3, default="USD")
    points_applied = models.PositiveIntegerField(default=0, help_text="Held, not spent, until checkout.")
    shipping_address = models.JSONField(default=dict, blank=True)
    billing_address = models.JSONField(default=dict, blank=True)
    shipping_method = models.CharField(max_length=32, blank=True)
    discount_codes = models.ManyToManyField(
        "orders.DiscountCode", through="orders.CartDiscount", related_name="+", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["updated_at"], name="orders_cart_updated")]

    def __str__(self):
        return self.public_id


class CartLine(models.Model):
    """A variant in the cart, at the unit price it was added at."""

    public_id = PublicIdField(prefix="line")
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("orders.ProductVariant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveSmallIntegerField()
    unit_price = MoneyField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=99), name="orders_cartline_quantity_1_99"
            ),
            models.UniqueConstraint(fields=["cart", "variant"], name="orders_cartline_one_per_variant"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.variant_id}"


class CartDiscount(models.Model):
    """A code applied to a cart (counted only at checkout)."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="applied_codes")
    discount_code = models.ForeignKey("orders.DiscountCode", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "discount_code"], name="orders_cartdiscount_unique"),
        ]

    def __str__(self):
        return f"{self.discount_code_id} on {self.cart_id}"
