"""Account pages (mounted under /account/)."""

from django.urls import path

from customers.views import addresses

app_name = "account"
urlpatterns: list = [
    path("addresses/", addresses.address_list, name="addresses"),
    path("addresses/add/", addresses.address_add, name="address-add"),
    path("addresses/<str:address_id>/edit/", addresses.address_edit, name="address-edit"),
    path("addresses/<str:address_id>/delete/", addresses.address_delete_page, name="address-delete"),
    path("addresses/<str:address_id>/default/", addresses.address_make_default, name="address-default"),
]
