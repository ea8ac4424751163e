"""The project's URLconf, plus placeholders for account page names that other branches own.

The shared base templates link to `account:dashboard`, `account:login`, ... Until those pages are
merged, this URLconf answers the missing names with a plain view so the order pages can render;
once they exist, it adds nothing and the project's own routes are used.
"""

from django.http import HttpResponse
from django.urls import NoReverseMatch, URLPattern, URLResolver, include, path, reverse

from config import urls as project_urls
from customers import urls as account_urls

NEEDED = ["dashboard", "login", "logout", "register"]


def _placeholder(request):
    return HttpResponse("placeholder page of another branch")


def _missing() -> list[str]:
    missing = []
    for name in NEEDED:
        try:
            reverse(f"account:{name}", urlconf="config.urls")
        except NoReverseMatch:
            missing.append(name)
    return missing


_account_patterns = list(account_urls.urlpatterns) + [
    path(f"_placeholder/{name}/", _placeholder, name=name) for name in _missing()
]


def _replace(pattern: URLPattern | URLResolver):
    if isinstance(pattern, URLResolver) and getattr(pattern, "app_name", None) == "account":
        return path("account/", include((_account_patterns, "account")))
    return pattern


urlpatterns = [_replace(p) for p in project_urls.urlpatterns]
