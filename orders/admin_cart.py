"""Admin for variants (stock changes only through the audited service), product images with alt
text, stock movements (read-only) and discount codes (`times_used` read-only)."""

from django import forms
from django.contrib import admin, messages

from config.errors import DomainError
from orders.admin import ProductAdmin
from orders.models import DiscountCode, Product, ProductImage, ProductVariant, StockMovement
from orders.services_catalog import variant_stock_adjust


class VariantInline(admin.TabularInline):
    model = ProductVariant
    fields = ["public_id", "sku", "name", "price", "currency", "stock", "is_active", "position"]
    readonly_fields = ["public_id", "stock"]
    extra = 0
    show_change_link = True


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    fields = ["image", "alt", "position"]
    extra = 1


admin.site.unregister(Product)


@admin.register(Product)
class ProductWithVariantsAdmin(ProductAdmin):
    inlines = [VariantInline, ProductImageInline]


class VariantAdminForm(forms.ModelForm):
    stock_adjustment = forms.IntegerField(
        required=False, help_text="Signed change, e.g. 12 for a delivery or -1 for a broken item."
    )
    adjustment_reason = forms.CharField(required=False, max_length=255)

    class Meta:
        model = ProductVariant
        fields = ["product", "sku", "name", "price", "currency", "is_active", "position"]

    def clean(self):
        data = super().clean()
        quantity = data.get("stock_adjustment")
        if quantity:
            if not (data.get("adjustment_reason") or "").strip():
                self.add_error("adjustment_reason", "A reason is required for a stock adjustment.")
            current = self.instance.stock if self.instance.pk else 0
            if current + quantity < 0:
                self.add_error("stock_adjustment", f"Stock is {current}; it cannot go below zero.")
        return data


class StockMovementInline(admin.TabularInline):
    model = StockMovement
    fields = ["created_at", "kind", "quantity", "stock_after", "reason", "order", "created_by", "api_key"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order", "created_by", "api_key")


@admin.register(ProductVariant)
class ProductVariantAdmin(admin.ModelAdmin):
    form = VariantAdminForm
    list_display = ["sku", "name", "product", "price", "currency", "stock", "is_active"]
    list_filter = ["is_active", "currency"]
    list_select_related = ["product"]
    search_fields = ["sku", "name", "product__name"]
    raw_id_fields = ["product"]
    readonly_fields = ["public_id", "stock", "created_at", "updated_at"]
    fields = [
        "public_id",
        "product",
        "sku",
        "name",
        "price",
        "currency",
        "is_active",
        "position",
        "stock",
        "stock_adjustment",
        "adjustment_reason",
        "created_at",
        "updated_at",
    ]
    inlines = [StockMovementInline]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        quantity = form.cleaned_data.get("stock_adjustment")
        if quantity:
            try:
                variant_stock_adjust(
                    variant=obj,
                    quantity=quantity,
                    reason=form.cleaned_data["adjustment_reason"],
                    by=request.user,
                )
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)


@admin.register(DiscountCode)
class DiscountCodeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "kind",
        "value",
        "currency",
        "times_used",
        "usage_limit",
        "starts_at",
        "ends_at",
        "is_active",
    ]
    list_filter = ["is_active", "kind", "once_per_customer", "combinable"]
    search_fields = ["code", "description"]
    readonly_fields = ["public_id", "times_used", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.code = obj.code.strip().upper()
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.times_used:
            return False
        return super().has_delete_permission(request, obj)
