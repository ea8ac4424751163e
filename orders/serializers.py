"""Input and output shapes of the orders and catalog API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from customers.services.addresses import ADDRESS_FIELDS
from orders.models import (
    OrderStatus,
    PaymentStatus,
    RefundMode,
    ShippingStatus,
)
from orders.registry import product_fields
from orders.selectors import ORDER_SORTS


def _absolute(serializer, url: str) -> str | None:
    """A stored media path as an absolute URL when the request is known; None when empty."""
    if not url:
        return None
    request = serializer.context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


# --- catalog ---------------------------------------------------------------------------------


class _RegisteredValueField(serializers.Field):
    """A value another app registered for products, read from the page's prefetched `extra`."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, product):
        return self.context.get("extra", {}).get(product.pk, {}).get(self.field_name)


def _registered_field(registered):
    cls = type(f"{registered.name.title().replace('_', '')}ProductField", (_RegisteredValueField,), {})
    if registered.schema is not None:
        cls = extend_schema_field(registered.schema)(cls)
    return cls()


class VariantOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    sku = serializers.CharField()
    name = serializers.CharField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    available_quantity = serializers.SerializerMethodField()
    is_active = serializers.BooleanField()

    def get_available_quantity(self, variant) -> int:
        return variant.stock if variant.is_active else 0


class ProductImageOutputSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    alt = serializers.CharField()

    def get_url(self, image) -> str | None:
        return _absolute(self, image.image.url if image.image else "")


class ProductOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    sku = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    image_url = serializers.SerializerMethodField()
    variants = VariantOutputSerializer(many=True, read_only=True)
    in_stock = serializers.SerializerMethodField()
    images = ProductImageOutputSerializer(many=True, read_only=True)

    def get_in_stock(self, product) -> bool:
        return any(v.is_active and v.stock > 0 for v in product.variants.all())

    def get_fields(self):
        fields = super().get_fields()
        for registered in product_fields():
            fields[registered.name] = _registered_field(registered)
        return fields

    def get_image_url(self, product) -> str | None:
        return _absolute(self, product.image.url if product.image else "")


# --- orders: output --------------------------------------------------------------------------


class OrderListItemOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    placed_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    item_count = serializers.IntegerField()
    shipping_status = serializers.ChoiceField(choices=ShippingStatus.choices)
    delivered_at = serializers.DateTimeField(allow_null=True)
    primary_image_url = serializers.CharField(allow_null=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["primary_image_url"] = _absolute(self, data["primary_image_url"])
        return data


class StaffOrderListItemOutputSerializer(OrderListItemOutputSerializer):
    customer_id = serializers.CharField(source="customer.public_id")
    email = serializers.EmailField(source="customer.email")
    payment_status = serializers.ChoiceField(choices=PaymentStatus.choices)


class OrderItemOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    product_id = serializers.CharField(source="product.public_id")
    sku = serializers.CharField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    image_url = serializers.CharField(allow_null=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["image_url"] = _absolute(self, data["image_url"])
        return data


class CancellationOutputSerializer(serializers.Serializer):
    reason = serializers.CharField(source="cancellation_reason")
    refund_mode = serializers.CharField(source="cancellation_refund_mode")
    cancelled_at = serializers.DateTimeField()


class OrderAddressSerializer(serializers.Serializer):
    """An address: a snapshot on an order, or an inline address given to an order."""

    name = serializers.CharField(required=False, allow_blank=True, max_length=64)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    company = serializers.CharField(required=False, allow_blank=True, max_length=200)
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(required=False, allow_blank=True, max_length=200)
    line3 = serializers.CharField(required=False, allow_blank=True, max_length=200)
    city = serializers.CharField(required=False, allow_blank=True, max_length=120)
    state = serializers.CharField(required=False, allow_blank=True, max_length=120)
    postal_code = serializers.CharField(required=False, allow_blank=True, max_length=20)
    country = serializers.CharField(max_length=2)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32)


class OrderDetailOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    number = serializers.CharField()
    external_id = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    placed_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    items = OrderItemOutputSerializer(many=True)
    billing_address = OrderAddressSerializer(allow_null=True)
    shipping_address = OrderAddressSerializer(allow_null=True)
    subtotal = serializers.DecimalField(max_digits=12, decimal_places=2)
    discount_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    points_discount = serializers.DecimalField(max_digits=12, decimal_places=2)
    shipping_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    tax_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    payment_status = serializers.ChoiceField(choices=PaymentStatus.choices)
    shipping_status = serializers.ChoiceField(choices=ShippingStatus.choices)
    delivered_at = serializers.DateTimeField(allow_null=True)
    is_cancellation_allowed = serializers.BooleanField()
    is_return_allowed = serializers.BooleanField()
    is_retry_available = serializers.BooleanField()
    cancellation = serializers.SerializerMethodField()

    @extend_schema_field(CancellationOutputSerializer(allow_null=True))
    def get_cancellation(self, order):
        if order.cancelled_at is None:
            return None
        return CancellationOutputSerializer(order).data

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for key in ("billing_address", "shipping_address"):
            snapshot = getattr(instance, key)
            data[key] = {field: snapshot.get(field, "") for field in ADDRESS_FIELDS} if snapshot else None
        return data


class ShipmentItemOutputSerializer(serializers.Serializer):
    item_id = serializers.CharField(source="order_item.public_id")
    sku = serializers.CharField(source="order_item.sku")
    name = serializers.CharField(source="order_item.name")
    quantity = serializers.IntegerField()


class ShipmentOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    status = serializers.CharField()
    courier = serializers.CharField()
    tracking_number = serializers.CharField()
    shipped_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    items = ShipmentItemOutputSerializer(many=True)


class ShipmentListOutputSerializer(serializers.Serializer):
    shipments = ShipmentOutputSerializer(many=True)


class PaymentOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    method = serializers.CharField()
    status = serializers.CharField()
    failure_reason = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class PaymentListOutputSerializer(serializers.Serializer):
    payments = PaymentOutputSerializer(many=True)


class RefundOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    mode = serializers.CharField()
    status = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class RefundListOutputSerializer(serializers.Serializer):
    refunds = RefundOutputSerializer(many=True)


class PaymentStatusOutputSerializer(serializers.Serializer):
    payment_status = serializers.ChoiceField(choices=PaymentStatus.choices)
    is_retry_available = serializers.BooleanField()
    amount_due = serializers.DecimalField(max_digits=12, decimal_places=2)


class OrderStatsSerializer(serializers.Serializer):
    """The profile's `order_stats` section."""

    total_orders = serializers.IntegerField()
    total_spent = serializers.DecimalField(max_digits=12, decimal_places=2)
    average_order_value = serializers.DecimalField(max_digits=12, decimal_places=2)
    last_order_date = serializers.DateTimeField(allow_null=True)


# --- orders: input ---------------------------------------------------------------------------


class CustomerOrderQuerySerializer(serializers.Serializer):
    status = serializers.ListField(child=serializers.ChoiceField(choices=OrderStatus.choices), required=False)
    from_date = serializers.DateField(required=False)
    to_date = serializers.DateField(required=False)
    sort = serializers.ChoiceField(choices=list(ORDER_SORTS), required=False, default="-placed_at")

    def validate(self, attrs):
        if attrs.get("from_date") and attrs.get("to_date") and attrs["from_date"] > attrs["to_date"]:
            raise serializers.ValidationError({"to_date": ["Must not be before from_date."]})
        return attrs


class StaffOrderQuerySerializer(CustomerOrderQuerySerializer):
    # An empty filter (`?search=`) is no filter, as a client's blank search box sends it.
    customer_id = serializers.CharField(required=False, allow_blank=True, max_length=32)
    search = serializers.CharField(required=False, allow_blank=True, max_length=254)


class OrderItemInputSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=64)
    quantity = serializers.IntegerField(min_value=1, max_value=10_000)
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)


class PaymentInputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=["card", "bank_transfer", "other"])
    status = serializers.ChoiceField(choices=["succeeded", "paid", "pending", "failed"])
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)
    reference = serializers.CharField(max_length=128, required=False, allow_blank=True)
    failure_reason = serializers.CharField(max_length=255, required=False, allow_blank=True)


_money = {"max_digits": 12, "decimal_places": 2, "min_value": 0, "required": False}


class OrderCreateInputSerializer(serializers.Serializer):
    customer_id = serializers.CharField(max_length=32)
    # A ListField, so that the schema states minItems/maxItems as the validation does.
    items = serializers.ListField(child=OrderItemInputSerializer(), min_length=1, max_length=500)
    shipping_address = OrderAddressSerializer(required=False)
    billing_address = OrderAddressSerializer(required=False)
    shipping_address_id = serializers.CharField(max_length=32, required=False)
    billing_address_id = serializers.CharField(max_length=32, required=False)
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", required=False)
    subtotal = serializers.DecimalField(**_money, help_text="Optional; checked against the items.")
    shipping_total = serializers.DecimalField(**_money)
    tax_total = serializers.DecimalField(**_money)
    discount_total = serializers.DecimalField(**_money)
    points_discount = serializers.DecimalField(**_money)
    total = serializers.DecimalField(**_money, help_text="Optional; checked against the other amounts.")
    payment = PaymentInputSerializer(required=False)
    on_account = serializers.BooleanField(required=False, default=False)
    number = serializers.RegexField(r"^[A-Za-z0-9][A-Za-z0-9-]{2,31}$", required=False)
    placed_at = serializers.DateTimeField(required=False)
    external_id = serializers.CharField(
        max_length=64, required=False, help_text="The integration's own id; an order has it once (else 409)."
    )


class OrderBulkItemInputSerializer(OrderCreateInputSerializer):
    """One order of `POST /api/orders/bulk`: the single route's shape, `external_id` required."""

    external_id = serializers.CharField(max_length=64, help_text="Bulk ingest is idempotent per external id.")


class ShipmentItemInputSerializer(serializers.Serializer):
    item_id = serializers.CharField(max_length=32)
    quantity = serializers.IntegerField(min_value=1, required=False)


class ShipmentCreateInputSerializer(serializers.Serializer):
    courier = serializers.CharField(max_length=64)
    tracking_number = serializers.CharField(max_length=128)
    items = ShipmentItemInputSerializer(many=True, required=False)


class ShipmentBulkItemInputSerializer(ShipmentCreateInputSerializer):
    """One shipment of `POST /api/shipments/bulk`: the single route's shape and the order."""

    order_number = serializers.CharField(max_length=32)


class OrderCancelInputSerializer(serializers.Serializer):
    cancellation_reason = serializers.CharField(max_length=2000)
    refund_mode = serializers.ChoiceField(
        choices=RefundMode.choices, required=False, default=RefundMode.ORIGINAL_PAYMENT_MODE
    )
    bank_account_id = serializers.CharField(max_length=32, required=False, allow_blank=True)
    feedback = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class RetryPaymentInputSerializer(serializers.Serializer):
    payment_token = serializers.CharField(max_length=255, required=False, allow_blank=True)
