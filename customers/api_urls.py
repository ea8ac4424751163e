"""API routes of the customers app (mounted under /api/)."""

from django.urls import path

from customers.api import bank_accounts

urlpatterns: list = [
    path("customers/bank-accounts", bank_accounts.BankAccountListCreateView.as_view(), name="bank-accounts"),
    path(
        "customers/bank-accounts/<str:bank_account_id>",
        bank_accounts.BankAccountDetailView.as_view(),
        name="bank-account-detail",
    ),
]
