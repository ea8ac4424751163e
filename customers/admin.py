"""Staff admin for users, customers (with their audit history and addresses) and API keys."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.db import models
from django.db.models import Q
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey as UnusedLibraryAPIKey
from simple_history.admin import SimpleHistoryAdmin

from config.admin_paginator import EstimatedCountPaginator
from customers.admin_actions import AnonymizeActionMixin, anonymize_customers
from customers.admin_business import BusinessCustomerAdminMixin
from customers.admin_inlines import AddressInline
from customers.models import APIKey, Customer, User
from customers.selectors.business import customer_search_q
from customers.services.events import customer_event_record, customer_updated_record
from integrations import events


class UserCreationForm(AdminUserCreationForm):
    """Add a login by email (case-insensitively unique, by the model's constraint)."""

    class Meta:
        model = User
        fields = ("email",)


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Logins: customers and staff, identified by email."""

    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = (
        "email",
        "full_name",
        "is_staff",
        "is_superuser",
        "is_active",
        "date_joined",
        "last_login",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "full_name", "customer__first_name", "customer__last_name")
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    readonly_fields = ("date_joined", "last_login")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and hasattr(obj, "customer"):
            # A customer's login email and account email are one value; it changes through the
            # verified (OTP) flow, never here where only one of the two would change.
            fields = (*fields, "email")
        return fields

    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Staff name", {"fields": ("full_name",)}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )


@admin.register(Customer)
class CustomerAdmin(AnonymizeActionMixin, BusinessCustomerAdminMixin, SimpleHistoryAdmin):
    """Customers with their address book; every change is kept in the audit history."""

    list_display = ("public_id", "email", "display_name", "kind", "phone_number", "is_active", "created_at")
    list_display_links = ("public_id", "email")
    list_filter = ("kind", "is_active", "email_marketing", "sms_marketing", "created_at")
    search_fields = ("email", "first_name", "last_name", "phone_number", "company_name", "public_id")
    list_select_related = ("user",)
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    date_hierarchy = None
    raw_id_fields = ("user",)
    readonly_fields = (
        "public_id",
        "current_balance",
        "accepted_terms_at",
        "erased_at",
        "created_at",
        "updated_at",
    )
    history_list_display = ("email", "first_name", "last_name", "is_active")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.user_id is not None:
            fields = (*fields, "email")  # see UserAdmin.get_readonly_fields
        return fields

    def get_search_results(self, request, queryset, search_term):
        # The staff API's search (its trigram indexes on PostgreSQL) or an exact public id; the
        # default `icontains` on `public_id` too read every customer.
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(customer_search_q(term) | Q(public_id=term)), False

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [AddressInline]
    actions = [anonymize_customers]
    fieldsets = (
        (None, {"fields": ("public_id", "user", "kind", "is_active", "customer_since")}),
        (
            "Person",
            {
                "fields": (
                    "email",
                    "salutation",
                    ("first_name", "last_name"),
                    ("phone_number", "phone_verified"),
                    "date_of_birth",
                    "gender",
                    "profile_image",
                )
            },
        ),
        (
            "Preferences",
            {
                "fields": (
                    ("preferred_currency", "reminder_frequency"),
                    ("email_marketing", "sms_marketing", "promotional_whatsapp"),
                    ("transactional_email", "transactional_sms", "transactional_whatsapp"),
                    ("newsletter_email", "newsletter_sms", "newsletter_whatsapp"),
                )
            },
        ),
        (
            "Business account",
            {
                "classes": ("collapse",),
                "fields": (
                    "company_name",
                    "website",
                    "tax_id",
                    "fax",
                    ("payment_terms", "currency"),
                    ("credit_limit", "current_balance", "discount_rate"),
                    "preferred_shipping",
                ),
            },
        ),
        ("Notes", {"fields": ("notes", "referred_by_code")}),
        ("Record", {"fields": ("accepted_terms_at", "erased_at", "created_at", "updated_at")}),
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.kind == Customer.Kind.BUSINESS:
            # Business accounts open the business part and show their analytics summary.
            fieldsets = [
                (name, {**options, "classes": ()}) if name == "Business account" else (name, options)
                for name, options in fieldsets
            ]
            fieldsets.insert(1, ("Analytics", {"fields": ("analytics_summary",)}))
        return fieldsets

    # Inside the admin's transaction: `customer.created` before the inline addresses (whose
    # services record their own `customer.updated`), `customer.updated` for the form's fields.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            customer_event_record(events.CUSTOMER_CREATED, customer=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            customer_updated_record(customer=form.instance, changed=form.changed_data)


class APIKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=[(scope, scope) for scope in APIKey.SCOPES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The staff routes this key may call.",
    )

    class Meta:
        model = APIKey
        fields = ("name", "scopes", "expiry_date", "revoked")


@admin.register(APIKey)
class APIKeyAdmin(APIKeyModelAdmin):
    """Integration keys: the raw key is shown once, on creation; scopes decide the routes."""

    form = APIKeyForm
    list_display = (*APIKeyModelAdmin.list_display, "scope_list", "created_by")
    list_select_related = ("created_by",)
    list_filter = ("created", "revoked")

    @admin.display(description="scopes")
    def scope_list(self, obj):
        return ", ".join(obj.scopes or [])

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


# The library's own concrete key model is unused: our APIKey (with scopes) replaces it.
if admin.site.is_registered(UnusedLibraryAPIKey):
    admin.site.unregister(UnusedLibraryAPIKey)
