"""API routes of the customers app (mounted under /api/)."""

from django.urls import path, re_path

from customers.api import bank_accounts, business

# Staff routes take customer ids only (`cust_…`), so they never shadow the "me" routes
# (`customers/profile`, `customers/addresses`, ...).
CUSTOMER = r"(?P<customer_id>cust_[A-Za-z0-9]+)"

urlpatterns: list = [
    path("customers", business.CustomerListCreateView.as_view(), name="staff-customers"),
    re_path(rf"^customers/{CUSTOMER}$", business.CustomerDetailView.as_view(), name="staff-customer-detail"),
    re_path(
        rf"^customers/{CUSTOMER}/analytics$",
        business.CustomerAnalyticsView.as_view(),
        name="staff-customer-analytics",
    ),
    re_path(
        rf"^customers/{CUSTOMER}/contacts$", business.ContactListCreateView.as_view(), name="staff-contacts"
    ),
    re_path(
        rf"^customers/{CUSTOMER}/contacts/(?P<contact_id>[A-Za-z0-9_]+)$",
        business.ContactDetailView.as_view(),
        name="staff-contact-detail",
    ),
    re_path(
        rf"^customers/{CUSTOMER}/credit-check$",
        business.CreditCheckRunView.as_view(),
        name="staff-customer-credit-check",
    ),
    path(
        "credit-checks/<str:credit_check_id>/approve",
        business.CreditCheckApproveView.as_view(),
        name="credit-check-approve",
    ),
    path(
        "credit-checks/<str:credit_check_id>/reject",
        business.CreditCheckRejectView.as_view(),
        name="credit-check-reject",
    ),
    path("customers/bank-accounts", bank_accounts.BankAccountListCreateView.as_view(), name="bank-accounts"),
    path(
        "customers/bank-accounts/<str:bank_account_id>",
        bank_accounts.BankAccountDetailView.as_view(),
        name="bank-account-detail",
    ),
]
