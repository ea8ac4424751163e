"""The project's URLs, plus stand-ins for the account pages the base templates link to that live
on other branches (dashboard, login, logout, register). A stand-in is only added while the real
route is missing, so after the merge this is the project's URLconf as it is."""

from django.http import HttpResponse
from django.urls import URLPattern, include, path

from config.urls import urlpatterns as project_urlpatterns
from customers import urls as account_urls

LINKED_FROM_BASE = ["dashboard", "login", "logout", "register"]


def not_on_this_branch(request, *args, **kwargs):
    return HttpResponse(f"{request.path} is served by another branch.", content_type="text/plain")


present = {p.name for p in account_urls.urlpatterns if isinstance(p, URLPattern)}
stand_ins = [
    path(f"_stand-in/{name}/", not_on_this_branch, name=name)
    for name in LINKED_FROM_BASE
    if name not in present
]
urlpatterns = [
    *[p for p in project_urlpatterns if str(p.pattern) != "account/"],
    path("account/", include(([*account_urls.urlpatterns, *stand_ins], "account"))),
]
handler404 = "config.api.views.not_found"
handler500 = "config.api.views.error"
