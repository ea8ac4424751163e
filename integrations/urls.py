"""API routes of the integrations app (mounted under /api/, no trailing slashes)."""

from django.urls import path

from integrations import api

urlpatterns = [
    path("webhooks", api.WebhookListView.as_view(), name="webhooks"),
    path("webhooks/<str:webhook_id>", api.WebhookDetailView.as_view(), name="webhook-detail"),
    path(
        "webhooks/<str:webhook_id>/rotate-secret",
        api.WebhookRotateSecretView.as_view(),
        name="webhook-rotate-secret",
    ),
    path(
        "webhooks/<str:webhook_id>/deliveries",
        api.WebhookDeliveryListView.as_view(),
        name="webhook-deliveries",
    ),
    path(
        "webhooks/<str:webhook_id>/deliveries/<str:delivery_id>/redeliver",
        api.WebhookRedeliverView.as_view(),
        name="webhook-delivery-redeliver",
    ),
]
