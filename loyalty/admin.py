"""Staff admin: rewards, tiers, accounts with a balance adjustment, and the read-only ledger."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from config.admin_paginator import EstimatedCountPaginator
from config.errors import DomainError
from loyalty.forms import AdjustForm
from loyalty.models import LedgerEntry, LoyaltyAccount, Redemption, Referral, Reward, Tier
from loyalty.services import loyalty_balance_adjust

LEDGER_FIELDS = [
    "created_at",
    "type",
    "points",
    "tokens",
    "shortfall_points",
    "description",
    "order_number",
    "created_by",
    "available_at",
    "idempotency_key",
]


class ReadOnlyAdminMixin:
    """Rows that only services write: nobody adds, changes or deletes them here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LedgerEntryInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The customer's ledger, read-only (for the customer admin)."""

    model = LedgerEntry
    fk_name = "customer"
    fields = LEDGER_FIELDS
    readonly_fields = LEDGER_FIELDS
    ordering = ["-created_at", "-id"]
    extra = 0
    max_num = 0
    show_change_link = False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["public_id", "customer", "type", "points", "tokens", "order_number", "created_at"]
    # No date_hierarchy: its year/month links read every row's date (a full scan of the ledger);
    # the date filter narrows by a range on `created_at` instead.
    list_filter = ["type", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["=public_id", "=order_number", "=customer__email", "=idempotency_key"]
    list_select_related = ["customer"]
    readonly_fields = ["public_id", "customer", *LEDGER_FIELDS]
    show_full_result_count = False
    paginator = EstimatedCountPaginator


@admin.register(LoyaltyAccount)
class LoyaltyAccountAdmin(admin.ModelAdmin):
    list_display = ["customer", "points_balance", "locked_points", "tokens_balance", "referral_code"]
    search_fields = ["customer__email", "customer__last_name", "referral_code"]
    list_select_related = ["customer"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    readonly_fields = [
        "customer",
        "referral_code",
        "points_balance",
        "locked_points",
        "tokens_balance",
        "lifetime_earned",
        "lifetime_redeemed",
        "created_at",
        "updated_at",
        "adjust_link",
    ]
    actions = ["adjust_balance"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:pk>/adjust/",
                self.admin_site.admin_view(self.adjust_view),
                name="loyalty_loyaltyaccount_adjust",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="Adjust")
    def adjust_link(self, obj):
        url = reverse("admin:loyalty_loyaltyaccount_adjust", args=[obj.pk])
        return format_html('<a class="button" href="{}">Adjust points or tokens</a>', url)

    @admin.action(description="Adjust the balance of the selected account", permissions=["adjust"])
    def adjust_balance(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one account to adjust.", messages.ERROR)
            return None
        return redirect("admin:loyalty_loyaltyaccount_adjust", queryset.get().pk)

    def has_adjust_permission(self, request):
        return request.user.has_perm("loyalty.adjust_loyaltyaccount")

    def adjust_view(self, request, pk: int):
        if not self.has_adjust_permission(request):
            raise PermissionDenied
        account = get_object_or_404(LoyaltyAccount.objects.select_related("customer"), pk=pk)
        form = AdjustForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                entry = loyalty_balance_adjust(
                    customer=account.customer,
                    points=form.cleaned_data["points"],
                    tokens=form.cleaned_data["tokens"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Adjusted {account.customer}: {entry.points:+d} points, {entry.tokens:+d} tokens.",
                    messages.SUCCESS,
                )
                return redirect("admin:loyalty_loyaltyaccount_change", account.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Adjust the loyalty balance of {account.customer}",
            "opts": self.model._meta,
            "account": account,
            "form": form,
        }
        return TemplateResponse(request, "admin/loyalty/adjust.html", context)


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["name", "threshold", "earn_multiplier"]
    ordering = ["threshold"]


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = [
        "public_id",
        "name",
        "cost",
        "cost_unit",
        "valid_from",
        "valid_until",
        "stock",
        "is_active",
    ]
    list_filter = ["cost_unit", "is_active"]
    search_fields = ["public_id", "name"]
    readonly_fields = ["public_id", "created_at"]


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["public_id", "customer", "reward", "code", "points_spent", "tokens_spent", "created_at"]
    search_fields = ["public_id", "code", "customer__email"]
    list_select_related = ["customer", "reward"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "public_id",
        "referrer",
        "referee",
        "status",
        "reward_points",
        "created_at",
        "completed_at",
    ]
    list_filter = ["status"]
    search_fields = ["public_id", "referrer__email", "referee__email"]
    list_select_related = ["referrer", "referee"]
