"""The customer admin's "Anonymize" action (GDPR erasure), with a confirmation page.

Wire it into the customer admin: `class CustomerAdmin(AnonymizeActionMixin, ...)` with
`actions = [anonymize_customers]`. Only staff holding `customers.anonymize_customer` see it.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from config.errors import DomainError
from customers.services.gdpr import customer_erase


class AnonymizeActionMixin:
    """Gives a ModelAdmin the permission check the action names (`permissions=["anonymize"]`)."""

    def has_anonymize_permission(self, request) -> bool:
        return request.user.has_perm("customers.anonymize_customer")


@admin.action(description="Anonymize (GDPR-erase) the selected customers", permissions=["anonymize"])
def anonymize_customers(modeladmin, request, queryset):
    """First answer a confirmation page; on confirmation erase each customer through the service."""
    customers = list(queryset.order_by("pk"))
    if request.POST.get("post") != "yes":
        opts = modeladmin.model._meta
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": "Anonymize customers?",
            "customers": customers,
            "already_erased": [customer for customer in customers if customer.erased_at],
            "queryset": queryset,
            "opts": opts,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": modeladmin.media,
        }
        return TemplateResponse(request, "admin/customers/customer/anonymize_confirmation.html", context)
    erased = 0
    for customer in customers:
        try:
            customer_erase(customer=customer, by=request.user)
        except DomainError as error:
            modeladmin.message_user(request, f"{customer.public_id}: {error.message}", messages.ERROR)
        else:
            erased += 1
    if erased:
        modeladmin.message_user(
            request, f"{erased} customer{'s' if erased != 1 else ''} anonymized.", messages.SUCCESS
        )
    return None
