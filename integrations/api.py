"""Webhook endpoints and their delivery logs (staff JWT with the model permissions, or an API key
with `webhooks:write` for every method). Endpoints are shared by all staff and keys: an
integration's endpoints are the shop's, as its API keys are. Views only parse, call
`integrations.services` and render."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.callers import api_key_of
from config.api.pagination import PagePagination
from config.api.permissions import IsStaffOrScopedKey
from integrations import services
from integrations.models import Delivery, WebhookEndpoint
from integrations.serializers import (
    DeliveryOutputSerializer,
    WebhookEndpointInputSerializer,
    WebhookEndpointOutputSerializer,
    WebhookEndpointUpdateSerializer,
    WebhookEndpointWithSecretSerializer,
)

_WEBHOOK_ID = OpenApiParameter("webhook_id", str, OpenApiParameter.PATH, description="`whk_…`")
_DELIVERY_ID = OpenApiParameter("delivery_id", str, OpenApiParameter.PATH, description="`dlv_…`")


def _actor(request):
    """The staff user behind the request; None for an API key."""
    if api_key_of(request) is not None:
        return None
    return request.user if request.user.is_authenticated else None


def _with_secret(endpoint, secret: str) -> dict:
    endpoint.secret = secret
    return WebhookEndpointWithSecretSerializer(endpoint).data


class WebhookView(APIView):
    permission_classes = [IsStaffOrScopedKey]
    api_key_scope_all_methods = "webhooks:write"


class WebhookListView(WebhookView):
    pagination_class = PagePagination  # the schema documents the list envelope
    staff_permissions = {
        "get": ["integrations.view_webhookendpoint"],
        "post": ["integrations.add_webhookendpoint"],
    }

    @extend_schema(operation_id="webhooks_list", responses=WebhookEndpointOutputSerializer(many=True))
    def get(self, request):
        paginator = PagePagination()
        page = paginator.paginate_queryset(
            WebhookEndpoint.objects.order_by("-created_at", "-id"), request, self
        )
        return paginator.get_paginated_response(WebhookEndpointOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="webhooks_create",
        request=WebhookEndpointInputSerializer,
        responses={201: WebhookEndpointWithSecretSerializer},
        description="The answer carries the signing `secret`, shown only this once.",
    )
    def post(self, request):
        serializer = WebhookEndpointInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint, secret = services.webhook_endpoint_create(**serializer.validated_data, by=_actor(request))
        return Response(_with_secret(endpoint, secret), status=201)


class WebhookDetailView(WebhookView):
    staff_permissions = {
        "get": ["integrations.view_webhookendpoint"],
        "patch": ["integrations.change_webhookendpoint"],
        "delete": ["integrations.delete_webhookendpoint"],
    }

    @extend_schema(
        operation_id="webhooks_retrieve", parameters=[_WEBHOOK_ID], responses=WebhookEndpointOutputSerializer
    )
    def get(self, request, webhook_id: str):
        endpoint = services.webhook_endpoint_get(public_id=webhook_id)
        return Response(WebhookEndpointOutputSerializer(endpoint).data)

    @extend_schema(
        operation_id="webhooks_partial_update",
        parameters=[_WEBHOOK_ID],
        request=WebhookEndpointUpdateSerializer(partial=True),
        responses=WebhookEndpointOutputSerializer,
        description="Activating a disabled endpoint clears its failure record; deactivating one "
        "fails its pending deliveries (redeliver them from the log).",
    )
    def patch(self, request, webhook_id: str):
        endpoint = services.webhook_endpoint_get(public_id=webhook_id)
        serializer = WebhookEndpointUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        endpoint = services.webhook_endpoint_update(endpoint=endpoint, **serializer.validated_data)
        return Response(WebhookEndpointOutputSerializer(endpoint).data)

    @extend_schema(operation_id="webhooks_delete", parameters=[_WEBHOOK_ID], responses={204: None})
    def delete(self, request, webhook_id: str):
        services.webhook_endpoint_delete(endpoint=services.webhook_endpoint_get(public_id=webhook_id))
        return Response(status=204)


class WebhookRotateSecretView(WebhookView):
    staff_permissions = {"post": ["integrations.change_webhookendpoint"]}

    @extend_schema(
        operation_id="webhooks_rotate_secret",
        parameters=[_WEBHOOK_ID],
        request=None,
        responses=WebhookEndpointWithSecretSerializer,
        description="A new signing `secret`, shown only this once. For 24 h deliveries are signed "
        "with the new and the previous secret (one `v1=` each, newest first).",
    )
    def post(self, request, webhook_id: str):
        endpoint = services.webhook_endpoint_get(public_id=webhook_id)
        endpoint, secret = services.webhook_endpoint_rotate_secret(endpoint=endpoint)
        return Response(_with_secret(endpoint, secret))


class WebhookDeliveryListView(WebhookView):
    pagination_class = PagePagination  # the schema documents the list envelope
    staff_permissions = {"get": ["integrations.view_delivery"]}

    @extend_schema(
        operation_id="webhooks_deliveries_list",
        parameters=[_WEBHOOK_ID],
        responses=DeliveryOutputSerializer(many=True),
        description="The endpoint's delivery log, newest first.",
    )
    def get(self, request, webhook_id: str):
        endpoint = services.webhook_endpoint_get(public_id=webhook_id)
        log = (
            Delivery.objects.filter(endpoint=endpoint).select_related("event").order_by("-created_at", "-id")
        )
        paginator = PagePagination()
        page = paginator.paginate_queryset(log, request, self)
        return paginator.get_paginated_response(DeliveryOutputSerializer(page, many=True).data)


class WebhookRedeliverView(WebhookView):
    staff_permissions = {"post": ["integrations.change_delivery"]}

    @extend_schema(
        operation_id="webhooks_deliveries_redeliver",
        parameters=[_WEBHOOK_ID, _DELIVERY_ID],
        request=None,
        responses={202: DeliveryOutputSerializer},
        description="Send the event again now (a disabled endpoint is 409). Receivers "
        "de-duplicate on the event `id`.",
    )
    def post(self, request, webhook_id: str, delivery_id: str):
        endpoint = services.webhook_endpoint_get(public_id=webhook_id)
        delivery = services.delivery_get(endpoint=endpoint, public_id=delivery_id)
        delivery = services.delivery_redeliver(delivery=delivery)
        delivery = Delivery.objects.select_related("event").get(pk=delivery.pk)
        return Response(DeliveryOutputSerializer(delivery).data, status=202)
