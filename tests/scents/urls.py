"""The project's URLconf, with stand-ins for account pages another branch provides (login, dashboard).

The shared base template links to `account:dashboard`, `account:login`, `account:logout` and
`account:register`. Where those routes are not in the project yet, page tests use this URLconf
so the scent pages render; once they exist, `use_account_routes` leaves the real URLconf alone.
"""

from django.http import HttpResponse
from django.urls import NoReverseMatch, include, path, reverse

from config.urls import urlpatterns as project_urlpatterns


def _stand_in(request):
    return HttpResponse("account page stand-in")


_account = [
    path("", _stand_in, name="dashboard"),
    path("login/", _stand_in, name="login"),
    path("logout/", _stand_in, name="logout"),
    path("register/", _stand_in, name="register"),
]

urlpatterns = [
    *[p for p in project_urlpatterns if getattr(p, "namespace", None) != "account"],
    path("account/", include((_account, "account"))),
]
handler404 = "config.api.views.not_found"
handler500 = "config.api.views.error"


def use_account_routes(settings) -> None:
    """Point ROOT_URLCONF here only when the real account routes are missing."""
    try:
        reverse("account:dashboard")
        reverse("account:logout")
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.scents.urls"
