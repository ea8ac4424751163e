"""Staff admin for returns: the work queue of requested returns; decisions go through the services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Prefetch
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from config.admin_paginator import EstimatedCountPaginator
from config.errors import DomainError
from orders import services_returns
from orders.models_returns import Return, ReturnEvent, ReturnItem, ReturnStatus


class ReturnItemInline(admin.TabularInline):
    model = ReturnItem
    fields = ["order_item", "sku", "quantity", "resolution", "reason", "comment", "value"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order_item")

    @admin.display(description="SKU")
    def sku(self, line):
        return line.order_item.sku

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReturnEventInline(admin.TabularInline):
    model = ReturnEvent
    verbose_name_plural = "History"
    fields = ["created_at", "status", "actor", "by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RejectForm(forms.Form):
    note = forms.CharField(
        label="Why is the return rejected?", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReturnStatusFilter(admin.SimpleListFilter):
    """Status filter that opens on requested returns (the work queue); "All" shows every return."""

    title = "status"
    parameter_name = "status"
    default = ReturnStatus.REQUESTED

    def lookups(self, request, model_admin):
        return [("all", "All"), *ReturnStatus.choices]

    def choices(self, changelist):
        current = self.value() or self.default
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or self.default
        if value == "all":
            return queryset
        if value not in ReturnStatus.values:
            return queryset.none()
        return queryset.filter(status=value)


@admin.register(Return)
class ReturnAdmin(admin.ModelAdmin):
    list_display = [
        "public_id",
        "order_number",
        "customer_email",
        "status",
        "contents",
        "refund_amount",
        "currency",
        "created_at",
    ]
    list_filter = [ReturnStatusFilter, ("created_at", admin.DateFieldListFilter)]
    search_fields = ["=public_id", "=order__number", "=customer__email"]
    list_select_related = ["order", "customer"]
    ordering = ["created_at", "id"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    inlines = [ReturnItemInline, ReturnEventInline]
    actions = ["approve_returns", "reject_returns", "receive_returns"]
    readonly_fields = [
        "public_id",
        "order",
        "customer",
        "status",
        "refund_amount",
        "currency",
        "pickup_address",
        "requested_by",
        "decided_by",
        "decided_at",
        "decision_note",
        "received_by",
        "received_at",
        "resolved_at",
        "cancelled_at",
        "refund",
        "replacement_order",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("items", queryset=ReturnItem.objects.select_related("order_item")))
        )

    def has_add_permission(self, request):
        # Returns are requested by customers (API or account pages), which validate them.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_approve_permission(self, request):
        return request.user.has_perm("orders.approve_return")

    @admin.display(description="Order", ordering="order__number")
    def order_number(self, obj):
        url = reverse("admin:orders_order_change", args=[obj.order_id])
        return format_html('<a href="{}">{}</a>', url, obj.order.number)

    @admin.display(description="Customer", ordering="customer__email")
    def customer_email(self, obj):
        return obj.customer.email

    @admin.display(description="Items")
    def contents(self, obj):
        return ", ".join(
            f"{line.quantity} × {line.order_item.sku} ({line.get_resolution_display().lower()}, "
            f"{line.get_reason_display().lower()})"
            for line in obj.items.all()
        )

    def _run(self, request, queryset, verb: str, action) -> None:
        done, errors = 0, []
        for found in queryset:
            try:
                action(found)
                done += 1
            except DomainError as exc:
                errors.append(f"{found.public_id}: {exc.message}")
        if done:
            self.message_user(request, f"{done} return(s) {verb}.", messages.SUCCESS)
        for error in errors:
            self.message_user(request, error, messages.ERROR)

    @admin.action(description="Approve selected returns", permissions=["approve"])
    def approve_returns(self, request, queryset):
        self._run(
            request,
            queryset,
            "approved",
            lambda found: services_returns.return_approve(return_request=found, by=request.user),
        )

    @admin.action(description="Reject selected returns (with a note)", permissions=["approve"])
    def reject_returns(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": "Reject returns",
                "form": form,
                "returns": queryset,
                "action": "reject_returns",
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/orders/return/action_form.html", context)
        note = form.cleaned_data["note"]
        self._run(
            request,
            queryset,
            "rejected",
            lambda found: services_returns.return_reject(return_request=found, by=request.user, note=note),
        )
        return None

    @admin.action(description="Goods received: refund or send the replacement", permissions=["approve"])
    def receive_returns(self, request, queryset):
        self._run(
            request,
            queryset,
            "received",
            lambda found: services_returns.return_receive(return_request=found, by=request.user),
        )
