"""Admin for business customers: contacts and credit-check history inlines, the "Run credit
check" action, the analytics summary, and the queue of credit checks awaiting approval.

Every action calls `customers.services.business`; a `DomainError` is shown as an error message.
Deciding a credit check needs `customers.approve_credit` (the "Finance" group).

Wiring: `BusinessCustomerAdminMixin` goes first in the bases of the `Customer` admin
(`class CustomerAdmin(BusinessCustomerAdminMixin, admin.ModelAdmin)`), whose `get_inlines` and
`get_actions` it extends. Where no `Customer` admin is registered yet, this module registers a
plain one so the business pages work on their own.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join

from config.errors import DomainError
from customers.models import Contact, CreditCheck, Customer
from customers.selectors.business import customer_analytics
from customers.services import business as services


class ContactInline(admin.TabularInline):
    """Contacts of a business customer; the database keeps one primary, the form says so."""

    model = Contact
    extra = 0
    fields = ["name", "title", "email", "phone", "is_primary"]


class CreditCheckInline(admin.TabularInline):
    """The customer's credit checks, newest first (read-only: checks change through actions)."""

    model = CreditCheck
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-created_at", "-id"]
    fields = [
        "public_id",
        "created_at",
        "credit_score",
        "credit_rating",
        "risk_assessment",
        "current_credit_limit",
        "recommended_credit_limit",
        "status",
        "decided_by",
        "decided_at",
        "note",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BusinessCustomerAdminMixin:
    """Adds the business pieces to the Customer admin."""

    business_readonly_fields = ["credit_limit", "current_balance", "analytics_summary"]

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if obj is not None and obj.kind == Customer.Kind.BUSINESS:
            inlines += [ContactInline, CreditCheckInline]
        return inlines

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        extra = self.business_readonly_fields if obj is not None else ["current_balance"]
        return fields + [f for f in extra if f not in fields]

    def get_actions(self, request):
        actions = super().get_actions(request)
        action = self.get_action("run_credit_check")
        # The API's rule: running a check needs `customers.add_creditcheck` (Finance).
        if action is not None and request.user.has_perm("customers.add_creditcheck"):
            actions.setdefault("run_credit_check", action)
        return actions

    @admin.action(description="Run credit check")
    def run_credit_check(self, request, queryset):
        for customer in queryset:
            try:
                check = services.credit_check_run(customer=customer, by=request.user)
            except DomainError as exc:
                self.message_user(request, f"{customer.display_name}: {exc.message}", messages.ERROR)
                continue
            self.message_user(
                request,
                f"{customer.display_name}: credit check {check.public_id} scored {check.credit_score} "
                f"({check.get_credit_rating_display()}), recommends {check.recommended_credit_limit} "
                f"— {check.get_status_display().lower()}.",
                messages.SUCCESS,
            )

    @admin.display(description="Analytics (all time)")
    def analytics_summary(self, customer):
        if customer is None or customer.pk is None:
            return "-"
        data = customer_analytics(customer=customer, period="all")
        overview, money = data["overview"], data["financial_summary"]
        rows = [
            ("Lifetime value", f"{overview['lifetime_value']} {customer.currency}"),
            ("Orders", overview["total_orders"]),
            ("Average order value", overview["avg_order_value"]),
            ("Last order", overview["last_order_date"] or "never"),
            ("Credit utilization", f"{money['credit_utilization']} %"),
            (
                "Average days to pay",
                money["avg_payment_days"] if money["avg_payment_days"] is not None else "-",
            ),
            ("Overdue balance", money["overdue_balance"]),
            ("Segment", data["customer_segment"]),
            ("Risk score", f"{data['risk_score']} / 100"),
        ]
        top = ", ".join(f"{p['product_name']} ({p['quantity_ordered']})" for p in data["top_products"]) or "-"
        rows.append(("Top products", top))
        return format_html(
            '<table class="business-analytics">{}</table>',
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", ((k, v) for k, v in rows)),
        )


class PendingFirstStatusFilter(admin.SimpleListFilter):
    """The approval queue: pending checks by default, every status on request."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*CreditCheck.Status.choices, ("all", "All")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or CreditCheck.Status.PENDING_APPROVAL) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or CreditCheck.Status.PENDING_APPROVAL
        if value == "all":
            return queryset
        return queryset.filter(status=value)


class RejectForm(forms.Form):
    note = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), help_text="Why not.")


@admin.register(CreditCheck)
class CreditCheckAdmin(admin.ModelAdmin):
    """The queue of credit checks awaiting approval, with Approve and Reject actions."""

    list_display = [
        "public_id",
        "customer",
        "credit_score",
        "credit_rating",
        "risk_assessment",
        "current_credit_limit",
        "recommended_credit_limit",
        "status",
        "created_at",
        "decided_by",
    ]
    list_filter = [PendingFirstStatusFilter, "credit_rating", "risk_assessment"]
    list_select_related = ["customer", "decided_by"]
    search_fields = ["=public_id", "customer__company_name", "=customer__email"]
    ordering = ["created_at", "id"]
    show_full_result_count = False
    actions = ["approve_checks", "reject_checks"]
    fields = [
        "public_id",
        "customer",
        "provider",
        "credit_score",
        "credit_rating",
        "risk_assessment",
        "factors",
        "current_credit_limit",
        "recommended_credit_limit",
        "status",
        "requested_by",
        "decided_by",
        "decided_at",
        "note",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        # Checks are run from the customer ("Run credit check") or the API, never typed in.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_approve_credit_permission(self, request):
        return request.user.has_perm(services.APPROVE_PERMISSION)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("customer", "requested_by", "decided_by")

    def _report(self, request, done: int, verb: str, errors: list[str]) -> None:
        if done:
            self.message_user(request, f"{done} credit check(s) {verb}.", messages.SUCCESS)
        for error in errors:
            self.message_user(request, error, messages.ERROR)

    @admin.action(
        description="Approve selected credit checks (set the recommended limit)",
        permissions=["approve_credit"],
    )
    def approve_checks(self, request, queryset):
        done, errors = 0, []
        for check in queryset:
            try:
                services.credit_check_approve(credit_check=check, by=request.user)
                done += 1
            except DomainError as exc:
                errors.append(f"{check.public_id}: {exc.message}")
        self._report(request, done, "approved", errors)

    @admin.action(
        description="Reject selected credit checks (keep the limit)", permissions=["approve_credit"]
    )
    def reject_checks(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": "Reject credit checks",
                "form": form,
                "checks": queryset.select_related("customer"),
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/customers/creditcheck/reject_form.html", context)
        done, errors = 0, []
        for check in queryset:
            try:
                services.credit_check_reject(
                    credit_check=check, by=request.user, note=form.cleaned_data["note"]
                )
                done += 1
            except DomainError as exc:
                errors.append(f"{check.public_id}: {exc.message}")
        self._report(request, done, "rejected", errors)
        return None
