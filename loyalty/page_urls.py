"""Account pages of the loyalty app (mounted under /account/loyalty/)."""

from django.urls import path

from loyalty import views

app_name = "loyalty"
urlpatterns = [
    path("", views.loyalty_overview, name="overview"),
    path("rewards/<str:reward_id>/redeem/", views.reward_redeem, name="reward-redeem"),
]
