"""API routes of the customers app (mounted under /api/)."""

from django.urls import path, re_path

from customers.api import addresses

# Staff routes take a customer id, which always starts with `cust_`, so they never catch the
# customer's own routes (`customers/addresses`, `customers/profile`, ...).
CUSTOMER_ID = r"(?P<id>cust_[A-Za-z0-9]+)"

urlpatterns = [
    path("customers/addresses", addresses.AddressListView.as_view(), name="address-list"),
    path("customers/addresses/<str:id>", addresses.AddressDetailView.as_view(), name="address-detail"),
    re_path(
        rf"^customers/{CUSTOMER_ID}/addresses$",
        addresses.StaffAddressListView.as_view(),
        name="staff-address-list",
    ),
    re_path(
        rf"^customers/{CUSTOMER_ID}/addresses/(?P<address_id>[^/]+)$",
        addresses.StaffAddressDetailView.as_view(),
        name="staff-address-detail",
    ),
]
