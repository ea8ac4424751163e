"""API routes of the reviews app (mounted under /api/, no trailing slashes)."""

from django.urls import path

from reviews import api

urlpatterns = [
    path("customers/reviews", api.CustomerReviewsView.as_view(), name="customer-reviews"),
    path("products/<str:product_id>/reviews", api.ProductReviewsView.as_view(), name="product-reviews"),
    path("reviews/<str:review_id>", api.ReviewDetailView.as_view(), name="review-detail"),
]
