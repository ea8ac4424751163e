"""API routes of the customers app (mounted under /api/)."""

from django.urls import path

from customers.api import profile

urlpatterns: list = [
    path("customers/profile", profile.ProfileView.as_view(), name="customer-profile"),
    path("customers/profile/export", profile.ProfileExportView.as_view(), name="customer-profile-export"),
    path("customers/profile/image", profile.ProfileImageView.as_view(), name="customer-profile-image"),
    path(
        "customers/notification-preferences",
        profile.NotificationPreferencesView.as_view(),
        name="customer-notification-preferences",
    ),
]
