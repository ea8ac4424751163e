"""API routes of the customers app (mounted under /api/)."""

urlpatterns: list = []
