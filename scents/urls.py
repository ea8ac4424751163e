"""API routes of the scents app (mounted under /api/, no trailing slash)."""

from django.urls import path

from scents import api

urlpatterns = [
    path("scents/notes", api.NoteListView.as_view(), name="scent-notes"),
    path("customers/scent-profile", api.ScentProfileView.as_view(), name="scent-profile"),
    path(
        "customers/scent-profile/recommendations",
        api.RecommendationListView.as_view(),
        name="scent-recommendations",
    ),
    path("customers/blends", api.BlendListView.as_view(), name="blends"),
    path("customers/blends/<str:id>", api.BlendDetailView.as_view(), name="blend-detail"),
]
