"""Account pages of returns (mounted under /account/returns/)."""

from django.urls import path

from orders import views_returns

app_name = "returns"
urlpatterns = [
    path("", views_returns.ReturnListPage.as_view(), name="list"),
    path("request/<str:number>/", views_returns.ReturnRequestPage.as_view(), name="request"),
    path("<str:return_id>/cancel/", views_returns.ReturnCancelPage.as_view(), name="cancel"),
]
