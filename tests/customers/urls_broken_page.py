"""A URLconf with a page that fails, to see the friendly 500 page."""

from django.urls import path

from config.urls import handler404, handler500  # noqa: F401  (the project's handlers)


def broken_page(request):
    raise RuntimeError("boom")


urlpatterns = [path("account/broken/", broken_page)]
