"""A URLconf where one more account section (profile) is installed, for the navigation test."""

from django.http import HttpResponse
from django.urls import include, path

from customers import urls as account_urls


def profile_stand_in(request):
    return HttpResponse("profile")


urlpatterns = [
    path(
        "account/",
        include(
            (account_urls.urlpatterns + [path("profile/", profile_stand_in, name="profile")], "account"),
            namespace="account",
        ),
    ),
]
