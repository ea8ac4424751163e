"""Input and output shapes of the returns API."""

from rest_framework import serializers

from customers.services.addresses import ADDRESS_FIELDS
from orders.models_returns import ReturnEvent, ReturnReason, ReturnResolution, ReturnStatus


class ReturnItemOutputSerializer(serializers.Serializer):
    item_id = serializers.CharField(source="order_item.public_id")
    sku = serializers.CharField(source="order_item.sku")
    name = serializers.CharField(source="order_item.name")
    quantity = serializers.IntegerField()
    resolution = serializers.ChoiceField(choices=ReturnResolution.choices)
    return_reason = serializers.ChoiceField(source="reason", choices=ReturnReason.choices)
    comment = serializers.CharField(allow_blank=True)
    value = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="What these units were paid (order discounts prorated)."
    )


class ReturnEventOutputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReturnStatus.choices)
    note = serializers.CharField(allow_blank=True)
    actor = serializers.ChoiceField(choices=ReturnEvent.Actor.choices)
    created_at = serializers.DateTimeField()


class ReturnOutputSerializer(serializers.Serializer):
    """A return as lists answer it (no history)."""

    id = serializers.CharField(source="public_id")
    order_number = serializers.CharField(source="order.number")
    customer_id = serializers.CharField(source="customer.public_id")
    status = serializers.ChoiceField(choices=ReturnStatus.choices)
    items = ReturnItemOutputSerializer(many=True)
    refund_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    pickup_address = serializers.SerializerMethodField()
    decision_note = serializers.CharField(allow_blank=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)
    refund_id = serializers.SerializerMethodField()
    replacement_order_number = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_pickup_address(self, obj) -> dict | None:
        if not obj.pickup_address:
            return None
        return {field: obj.pickup_address.get(field, "") for field in ADDRESS_FIELDS}

    def get_refund_id(self, obj) -> str | None:
        return obj.refund.public_id if obj.refund_id else None

    def get_replacement_order_number(self, obj) -> str | None:
        return obj.replacement_order.number if obj.replacement_order_id else None


class ReturnDetailOutputSerializer(ReturnOutputSerializer):
    """One return with its history."""

    history = ReturnEventOutputSerializer(many=True)


class ReturnItemInputSerializer(serializers.Serializer):
    item_id = serializers.CharField(max_length=32)
    quantity = serializers.IntegerField(min_value=1, max_value=10_000)
    resolution = serializers.ChoiceField(choices=ReturnResolution.choices)
    return_reason = serializers.ChoiceField(choices=ReturnReason.choices)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReturnCreateInputSerializer(serializers.Serializer):
    return_items = ReturnItemInputSerializer(many=True, allow_empty=False, max_length=100)
    pickup_address_id = serializers.CharField(
        max_length=32, required=False, allow_blank=True, allow_null=True
    )


class ReturnApproveInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReturnRejectInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class ReturnQuerySerializer(serializers.Serializer):
    from_date = serializers.DateField(required=False)
    to_date = serializers.DateField(required=False)

    def validate(self, attrs):
        if attrs.get("from_date") and attrs.get("to_date") and attrs["from_date"] > attrs["to_date"]:
            raise serializers.ValidationError({"to_date": ["Must not be before from_date."]})
        return attrs


class StaffReturnQuerySerializer(ReturnQuerySerializer):
    status = serializers.ChoiceField(choices=ReturnStatus.choices, required=False)
    order_number = serializers.CharField(max_length=32, required=False)
    customer_id = serializers.CharField(max_length=32, required=False)
