"""API routes of the customers app (mounted under /api/)."""

from django.urls import path, re_path

from customers.api import addresses, auth, bank_accounts, bulk, business, profile

# Staff routes take a customer id, which always starts with `cust_`, so they never catch the
# customer's own routes (`customers/addresses`, `customers/profile`, ...).
CUSTOMER_ID = r"(?P<id>cust_[A-Za-z0-9]+)"
CUSTOMER = r"(?P<customer_id>cust_[A-Za-z0-9]+)"

urlpatterns: list = [
    path("auth/register", auth.RegisterView.as_view(), name="auth-register"),
    path("auth/token", auth.TokenObtainView.as_view(), name="auth-token"),
    path("auth/token/refresh", auth.TokenRefreshView.as_view(), name="auth-token-refresh"),
    path("auth/logout", auth.LogoutView.as_view(), name="auth-logout"),
    path("auth/change-password", auth.ChangePasswordView.as_view(), name="auth-change-password"),
    path("auth/forgot-password", auth.ForgotPasswordView.as_view(), name="auth-forgot-password"),
    path("auth/reset-password", auth.ResetPasswordView.as_view(), name="auth-reset-password"),
    path("auth/generate-otp", auth.GenerateOTPView.as_view(), name="auth-generate-otp"),
    path("auth/verify-otp", auth.VerifyOTPView.as_view(), name="auth-verify-otp"),
    path("customers", business.CustomerListCreateView.as_view(), name="staff-customers"),
    path("customers/bulk", bulk.CustomerBulkView.as_view(), name="staff-customers-bulk"),
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
    path("customers/profile", profile.ProfileView.as_view(), name="customer-profile"),
    path("customers/profile/export", profile.ProfileExportView.as_view(), name="customer-profile-export"),
    path("customers/profile/image", profile.ProfileImageView.as_view(), name="customer-profile-image"),
    path(
        "customers/notification-preferences",
        profile.NotificationPreferencesView.as_view(),
        name="customer-notification-preferences",
    ),
]
