"""Staff admin for the catalog and orders, built for large tables; every action goes through services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Prefetch
from django.template.response import TemplateResponse

from config.admin_paginator import EstimatedCountPaginator
from config.errors import DomainError
from orders import services
from orders.models import (
    Order,
    OrderItem,
    Payment,
    Product,
    Refund,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
)
from orders.selectors import order_search_q


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "sku", "price", "currency", "is_active", "updated_at"]
    list_filter = ["is_active", "currency"]
    search_fields = ["name", "sku"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    show_full_result_count = False


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrderItemInline(_ReadOnlyInline):
    model = OrderItem
    fields = ["public_id", "product", "sku", "name", "unit_price", "quantity", "total"]
    readonly_fields = fields
    raw_id_fields = ["product"]


class ShipmentInline(_ReadOnlyInline):
    model = Shipment
    fields = ["public_id", "status", "courier", "tracking_number", "shipped_at", "delivered_at", "contents"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("items", queryset=ShipmentItem.objects.select_related("order_item")))
        )

    @admin.display(description="Items")
    def contents(self, shipment):
        return ", ".join(f"{i.quantity} × {i.order_item.sku}" for i in shipment.items.all())


class PaymentInline(_ReadOnlyInline):
    model = Payment
    fields = ["public_id", "amount", "method", "status", "failure_reason", "provider_reference", "created_at"]
    readonly_fields = fields


class RefundInline(_ReadOnlyInline):
    model = Refund
    fields = ["public_id", "amount", "mode", "status", "reason", "bank_account", "created_at"]
    readonly_fields = fields


class ShipForm(forms.Form):
    courier = forms.CharField(max_length=64)
    tracking_number = forms.CharField(
        max_length=128, help_text="With several orders selected, each gets this number plus its order number."
    )


class CancelForm(forms.Form):
    cancellation_reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "customer_email",
        "status",
        "payment_status",
        "shipping_status",
        "total",
        "currency",
        "placed_at",
    ]
    list_filter = ["status", "payment_status", "shipping_status", ("placed_at", admin.DateFieldListFilter)]
    search_fields = ["=number", "=customer__email"]
    list_select_related = ["customer"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    ordering = ["-placed_at", "-id"]
    raw_id_fields = ["customer", "cancelled_by"]
    inlines = [OrderItemInline, ShipmentInline, PaymentInline, RefundInline]
    actions = ["ship_orders", "deliver_orders", "cancel_orders"]
    readonly_fields = [
        "public_id",
        "number",
        "customer",
        "status",
        "payment_status",
        "shipping_status",
        "payment_method",
        "currency",
        "subtotal",
        "discount_total",
        "points_discount",
        "shipping_total",
        "tax_total",
        "total",
        "amount_paid",
        "amount_refunded",
        "credit_used",
        "item_count",
        "placed_at",
        "delivered_at",
        "cancelled_at",
        "cancellation_reason",
        "cancellation_refund_mode",
        "cancelled_by",
        "created_at",
        "updated_at",
    ]
    fields = [*readonly_fields, "billing_address", "shipping_address", "cancellation_feedback"]

    def has_add_permission(self, request):
        # Orders come from checkout and `POST /api/orders`, which validate them end to end.
        return False

    def get_search_results(self, request, queryset, search_term):
        # The API's search (number or customer email, exact): two index lookups, where the
        # default `=customer__email` compared the joined email of every order.
        if not search_term.strip():
            return queryset, False
        return queryset.filter(order_search_q(search_term)), False

    @admin.display(description="Email", ordering="customer__email")
    def customer_email(self, order):
        return order.customer.email

    def _intermediate(self, request, queryset, *, form, title, action):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "orders": queryset,
            "action": action,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/orders/order/action_form.html", context)

    def _report(self, request, done: int, verb: str, errors: list[str]) -> None:
        if done:
            self.message_user(request, f"{done} order(s) {verb}.", messages.SUCCESS)
        for error in errors:
            self.message_user(request, error, messages.ERROR)

    @admin.action(description="Ship selected orders (everything not shipped yet)", permissions=["change"])
    def ship_orders(self, request, queryset):
        form = ShipForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._intermediate(request, queryset, form=form, title="Ship orders", action="ship_orders")
        several = queryset.count() > 1
        done, errors = 0, []
        for order in queryset:
            tracking = form.cleaned_data["tracking_number"]
            try:
                services.order_ship(
                    order=order,
                    courier=form.cleaned_data["courier"],
                    tracking_number=f"{tracking}-{order.number}" if several else tracking,
                )
                done += 1
            except DomainError as exc:
                errors.append(f"{order.number}: {exc.message}")
        self._report(request, done, "shipped", errors)
        return None

    @admin.action(description="Mark shipments of selected orders delivered", permissions=["change"])
    def deliver_orders(self, request, queryset):
        done, errors = 0, []
        shipments = Shipment.objects.filter(order__in=queryset, status=ShipmentStatus.SHIPPED).select_related(
            "order"
        )
        delivered_orders = set()
        for shipment in shipments:
            try:
                services.shipment_deliver(shipment=shipment)
                delivered_orders.add(shipment.order_id)
            except DomainError as exc:
                errors.append(f"{shipment.order.number}: {exc.message}")
        done = len(delivered_orders)
        if not done and not errors:
            errors.append("None of the selected orders has a shipment on its way.")
        self._report(request, done, "delivered", errors)

    @admin.action(
        description="Cancel selected orders (refund to the original payment)", permissions=["change"]
    )
    def cancel_orders(self, request, queryset):
        form = CancelForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._intermediate(
                request, queryset, form=form, title="Cancel orders", action="cancel_orders"
            )
        done, errors = 0, []
        for order in queryset:
            try:
                services.order_cancel(
                    order=order, reason=form.cleaned_data["cancellation_reason"], by=request.user
                )
                done += 1
            except DomainError as exc:
                errors.append(f"{order.number}: {exc.message}")
        self._report(request, done, "cancelled", errors)
        return None


from orders import admin_cart, admin_returns  # noqa: E402, F401 - variants, images, codes; the Returns admin
