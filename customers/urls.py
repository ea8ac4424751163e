"""Account pages (mounted under /account/)."""

from django.urls import path

from customers.views import addresses, auth, dashboard, profile

app_name = "account"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("register/", auth.RegisterView.as_view(), name="register"),
    path("password-reset/", auth.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/done/", auth.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password-reset/confirm/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    # The link in the API's forgot-password email (PASSWORD_RESET_URL): the same token, the same page.
    path("reset/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(), name="password-reset-link"),
    path(
        "password-reset/complete/", auth.PasswordResetCompleteView.as_view(), name="password-reset-complete"
    ),
    path("addresses/", addresses.address_list, name="addresses"),
    path("addresses/add/", addresses.address_add, name="address-add"),
    path("addresses/<str:address_id>/edit/", addresses.address_edit, name="address-edit"),
    path("addresses/<str:address_id>/delete/", addresses.address_delete_page, name="address-delete"),
    path("addresses/<str:address_id>/default/", addresses.address_make_default, name="address-default"),
    path("profile/", profile.profile_page, name="profile"),
    path("profile/export/", profile.profile_export_download, name="profile-export"),
    path("notifications/", profile.notifications_page, name="notifications"),
    path("delete/", profile.delete_page, name="delete"),
]
