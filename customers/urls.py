"""Account pages (mounted under /account/)."""

from django.urls import path

from customers.views import profile

app_name = "account"
urlpatterns: list = [
    path("profile/", profile.profile_page, name="profile"),
    path("profile/export/", profile.profile_export_download, name="profile-export"),
    path("notifications/", profile.notifications_page, name="notifications"),
    path("delete/", profile.delete_page, name="delete"),
]
