"""Account pages of the scents app (mounted under /account/scent-profile/)."""

from django.urls import path

from scents import views

app_name = "scents"
urlpatterns = [
    path("", views.scent_profile_page, name="profile"),
    path("blends/new/", views.blend_create_page, name="blend-create"),
    path("blends/<str:blend_id>/", views.blend_edit_page, name="blend-edit"),
    path("blends/<str:blend_id>/delete/", views.blend_delete_page, name="blend-delete"),
]
