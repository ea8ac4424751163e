"""Input and output shapes of the webhook routes."""

from rest_framework import serializers

from integrations.events import EVENT_TYPES
from integrations.models import Delivery, DeliveryStatus, WebhookEndpoint


class WebhookEndpointOutputSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id", read_only=True)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_TYPES))

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "is_active", "created_at", "failure_count"]
        read_only_fields = fields


class WebhookEndpointWithSecretSerializer(WebhookEndpointOutputSerializer):
    """The endpoint and its signing secret: answered only on creation and rotation."""

    secret = serializers.CharField(read_only=True, help_text="The signing secret; it is never shown again.")

    class Meta(WebhookEndpointOutputSerializer.Meta):
        fields = [*WebhookEndpointOutputSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookEndpointInputSerializer(serializers.Serializer):
    url = serializers.CharField(
        max_length=2000,
        help_text="https to a public address (checked again after name resolution at each delivery).",
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_TYPES), min_length=1, max_length=len(EVENT_TYPES) * 4
    )
    is_active = serializers.BooleanField(required=False, default=True)


class WebhookEndpointUpdateSerializer(WebhookEndpointInputSerializer):
    is_active = serializers.BooleanField(required=False)


class DeliveryOutputSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id", read_only=True)
    event_id = serializers.CharField(source="event.public_id", read_only=True)
    event_type = serializers.ChoiceField(source="event.type", choices=EVENT_TYPES, read_only=True)
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event_id",
            "event_type",
            "status",
            "attempts",
            "last_status_code",
            "last_error",
            "next_attempt_at",
            "created_at",
        ]
        read_only_fields = fields
