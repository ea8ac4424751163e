"""Catalog depth: variants (sellable SKUs with stock), product images, audited stock movements and
discount codes. Imported into `orders.models`."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper

from config.fields import MoneyField, PublicIdField

__all__ = ["DiscountCode", "DiscountRedemption", "ProductImage", "ProductVariant", "StockMovement"]


class ProductVariant(models.Model):
    """One sellable SKU of a product: its own price, stock (never below zero) and active flag."""

    public_id = PublicIdField(prefix="var")
    product = models.ForeignKey("orders.Product", on_delete=models.PROTECT, related_name="variants")
    sku = models.CharField("SKU", max_length=64, unique=True)
    name = models.CharField(max_length=200, blank=True, help_text="e.g. 200 g, 100 ml.")
    price = MoneyField()
    currency = models.CharField(max_length=3, default="USD")
    stock = models.IntegerField(default=0, help_text="Change it with a stock adjustment (audited).")
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="orders_variant_stock_gte_0"),
            models.CheckConstraint(condition=Q(price__gte=Decimal("0")), name="orders_variant_price_gte_0"),
        ]
        indexes = [models.Index(fields=["product", "position", "id"], name="orders_variant_product")]

    def __str__(self):
        return f"{self.sku} {self.name}".strip()

    @property
    def is_sellable(self) -> bool:
        return self.is_active and self.product.is_active

    @property
    def display_name(self) -> str:
        return f"{self.product.name} — {self.name}" if self.name else self.product.name


class ProductImage(models.Model):
    """A picture of a product with its alternative text (managed in the admin)."""

    product = models.ForeignKey("orders.Product", on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="products/")
    alt = models.CharField("alt text", max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["product", "position", "id"], name="orders_prodimage_product")]

    def __str__(self):
        return self.alt


class StockMovement(models.Model):
    """Every change of a variant's stock: by how much, what it became, who and why."""

    class Kind(models.TextChoices):
        ADJUSTMENT = "adjustment", "Adjustment"
        ORDER = "order", "Order"
        CANCELLATION = "cancellation", "Cancellation"
        INITIAL = "initial", "Initial stock"

    variant = models.ForeignKey(ProductVariant, on_delete=models.CASCADE, related_name="stock_movements")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    quantity = models.IntegerField(help_text="Signed change.")
    stock_after = models.IntegerField()
    reason = models.CharField(max_length=255)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="stock_movements"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    api_key = models.ForeignKey(
        "customers.APIKey", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(stock_after__gte=0), name="orders_stockmove_after_gte_0"),
            models.CheckConstraint(condition=~Q(quantity=0), name="orders_stockmove_quantity_ne_0"),
        ]
        indexes = [models.Index(fields=["variant", "-created_at"], name="orders_stockmove_variant")]

    def __str__(self):
        return f"{self.quantity:+d} {self.variant_id} ({self.kind})"


class DiscountCode(models.Model):
    """A code a customer types in the cart: a percentage or a fixed amount off the subtotal."""

    class Kind(models.TextChoices):
        PERCENTAGE = "percentage", "Percentage"
        FIXED = "fixed", "Fixed amount"

    public_id = PublicIdField(prefix="disc")
    code = models.CharField(max_length=40, unique=True, help_text="Stored upper-case.")
    description = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD", help_text="For fixed amounts and minimums.")
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    min_subtotal = MoneyField(default=Decimal("0.00"))
    usage_limit = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: unlimited.")
    once_per_customer = models.BooleanField(default=False)
    combinable = models.BooleanField(default=True, help_text="Can be used together with other codes.")
    times_used = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="orders_discount_value_gt_0"),
            models.CheckConstraint(
                condition=~Q(kind="percentage") | Q(value__lte=100), name="orders_discount_percentage_lte_100"
            ),
            models.CheckConstraint(condition=Q(min_subtotal__gte=0), name="orders_discount_min_gte_0"),
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(times_used__lte=F("usage_limit")),
                name="orders_discount_used_lte_limit",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="orders_discount_window_valid",
            ),
            models.CheckConstraint(condition=Q(code=Upper("code")), name="orders_discount_code_upper"),
        ]
        indexes = [models.Index(fields=["is_active", "code"], name="orders_discount_active")]

    def __str__(self):
        return self.code


class DiscountRedemption(models.Model):
    """One use of a code by an order; a once-per-customer code has one row per customer at most."""

    discount_code = models.ForeignKey(DiscountCode, on_delete=models.PROTECT, related_name="redemptions")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="discount_redemptions")
    amount = MoneyField()
    once_per_customer = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["discount_code", "customer"],
                condition=Q(once_per_customer=True),
                name="orders_redemption_once_per_customer",
            ),
            models.UniqueConstraint(
                fields=["discount_code", "order"], name="orders_redemption_once_per_order"
            ),
        ]
        indexes = [models.Index(fields=["discount_code", "customer"], name="orders_redemption_code_cust")]

    def __str__(self):
        return f"{self.discount_code_id} on {self.order_id}"
