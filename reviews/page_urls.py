"""Account pages of the reviews app (mounted under /account/reviews/)."""

from django.urls import path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.reviews_overview, name="overview"),
    path("products/<str:product_id>/", views.review_write, name="write"),
    path("<str:review_id>/edit/", views.review_edit, name="edit"),
    path("<str:review_id>/delete/", views.review_delete, name="delete"),
]
