"""Root URLconf: the admin, the API (no trailing slashes), the account pages and the shop front."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.api.views import HealthView

api_patterns = [
    path("health", HealthView.as_view(), name="health"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("", include("loyalty.urls")),
    # Before orders: `products/<id>/reviews` must not fall to a catalog route.
    path("", include("reviews.urls")),
    path("", include("orders.urls")),
    # scents before customers: its `customers/blends` and `customers/scent-profile` are fixed paths.
    path("", include("scents.urls")),
    path("", include("customers.api_urls")),
    path("", include("integrations.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    path("account/returns/", include("orders.page_urls_returns")),
    path("", include("orders.shop_urls")),
    path("account/orders/", include("orders.page_urls")),
    path("account/loyalty/", include("loyalty.page_urls")),
    path("account/scent-profile/", include("scents.page_urls")),
    path("account/reviews/", include("reviews.page_urls")),
    path("account/", include("customers.urls")),
]

if settings.SERVE_MEDIA:
    # Local media in development and demos; production serves it from its storage backend.
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})
    )

handler404 = "config.api.views.not_found"
handler500 = "config.api.views.error"

admin.site.site_header = "MOOD MNKY staff"
admin.site.site_title = "MOOD MNKY staff"
admin.site.index_title = "Customers, orders and loyalty"
