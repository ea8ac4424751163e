"""A small admin site with the Anonymize action on customers, so the action is tested through real
admin pages before the customers admin (another branch) wires it in."""

from django.contrib import admin
from django.urls import path

from customers.admin_actions import AnonymizeActionMixin, anonymize_customers
from customers.models import Customer

site = admin.AdminSite(name="anonymize_test_admin")


@admin.register(Customer, site=site)
class CustomerAnonymizeAdmin(AnonymizeActionMixin, admin.ModelAdmin):
    list_display = ["public_id", "email"]
    actions = [anonymize_customers]


urlpatterns = [path("test-admin/", site.urls)]
