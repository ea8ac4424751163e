"""A small admin site with the address inline on customers, so the inline is tested through real
admin pages before the customers admin (another branch) wires it in."""

from django.contrib import admin
from django.urls import path

from customers.admin_inlines import AddressInline
from customers.models import Customer

site = admin.AdminSite(name="address_inline_test_admin")


@admin.register(Customer, site=site)
class CustomerWithAddressesAdmin(admin.ModelAdmin):
    fields = ["email", "first_name", "last_name"]
    inlines = [AddressInline]


urlpatterns = [path("test-admin/", site.urls)]
