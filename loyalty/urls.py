"""API routes of the loyalty app (mounted under /api/)."""

from django.urls import path

from loyalty import api

urlpatterns = [
    path("customers/loyalty", api.LoyaltySummaryView.as_view(), name="loyalty-summary"),
    path("customers/loyalty/activity", api.LoyaltyActivityView.as_view(), name="loyalty-activity"),
    path(
        "customers/loyalty/rewards/<str:reward_id>/redeem",
        api.RewardRedeemView.as_view(),
        name="loyalty-reward-redeem",
    ),
    path("customers/<str:id>/loyalty/adjust", api.LoyaltyAdjustView.as_view(), name="loyalty-adjust"),
]
