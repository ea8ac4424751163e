"""Account pages of orders (mounted under /account/orders/)."""

from django.urls import path

from orders import views

app_name = "orders"
urlpatterns = [
    path("", views.OrderListPage.as_view(), name="list"),
    path("<str:number>/", views.OrderDetailPage.as_view(), name="detail"),
]
