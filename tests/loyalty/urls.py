"""The project's URLconf, plus the account routes the base template links to where this branch lacks them.

`templates/base.html` and `templates/account/base.html` link to `account:dashboard`, `login`,
`logout` and `register`, which the auth work provides. Until it is merged, this URLconf adds
minimal routes under those names (and nothing once the real ones exist), so the loyalty pages
render in tests.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from config.urls import urlpatterns as project_urlpatterns
from customers import urls as account_urls

_existing = {getattr(p, "name", None) for p in account_urls.urlpatterns}
_fallbacks = {
    "dashboard": path("", RedirectView.as_view(url="/account/loyalty/"), name="dashboard"),
    "login": path("login/", auth_views.LoginView.as_view(), name="login"),
    "logout": path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    "register": path("register/", RedirectView.as_view(url="/account/login/"), name="register"),
}
_account = [*account_urls.urlpatterns, *(p for name, p in _fallbacks.items() if name not in _existing)]

urlpatterns = [
    path("account/loyalty/", include("loyalty.page_urls")),
    path("account/", include((_account, "account"))),
    *project_urlpatterns,
]
handler404 = "config.api.views.not_found"
handler500 = "config.api.views.error"
