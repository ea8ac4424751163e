"""Input and output shapes of the cart, checkout and the staff catalog routes."""

from rest_framework import serializers

from orders.models import DiscountCode
from orders.selectors_cart import CartView, line_image_url
from orders.serializers import OrderAddressSerializer, _absolute

_money = {"max_digits": 12, "decimal_places": 2}


# --- cart ------------------------------------------------------------------------------------


class CartLineOutputSerializer(serializers.Serializer):
    id = serializers.CharField()
    product_id = serializers.CharField()
    variant_id = serializers.CharField()
    sku = serializers.CharField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(**_money)
    total = serializers.DecimalField(**_money)
    image_url = serializers.CharField(allow_null=True)
    available_quantity = serializers.IntegerField()


class CartCodeOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    description = serializers.CharField()
    amount = serializers.DecimalField(**_money)


class CartOutputSerializer(serializers.Serializer):
    id = serializers.CharField()
    items = CartLineOutputSerializer(many=True)
    discount_codes = CartCodeOutputSerializer(many=True)
    points_applied = serializers.IntegerField()
    points_discount = serializers.DecimalField(**_money)
    subtotal = serializers.DecimalField(**_money)
    discount_total = serializers.DecimalField(**_money)
    shipping_total = serializers.DecimalField(**_money)
    tax_total = serializers.DecimalField(**_money)
    total = serializers.DecimalField(**_money)
    currency = serializers.CharField()
    shipping_address = OrderAddressSerializer(allow_null=True)
    billing_address = OrderAddressSerializer(allow_null=True)
    shipping_method = serializers.CharField(allow_null=True)
    updated_at = serializers.DateTimeField()


def cart_data(view: CartView, *, request=None) -> dict:
    """The contract's cart body from a priced `CartView`."""
    quote, cart = view.quote, view.cart
    helper = CartLineOutputSerializer(context={"request": request})
    items = []
    for priced in quote.lines:
        line, variant = priced.key, priced.variant
        items.append(
            {
                "id": line.public_id,
                "product_id": variant.product.public_id,
                "variant_id": variant.public_id,
                "sku": variant.sku,
                "name": variant.display_name,
                "quantity": priced.quantity,
                "unit_price": priced.unit_price,
                "total": priced.total,
                "image_url": _absolute(helper, line_image_url(line)),
                "available_quantity": variant.stock if variant.is_sellable else 0,
            }
        )
    data = {
        "id": cart.public_id,
        "items": items,
        "discount_codes": [
            {"code": c.code.code, "description": c.code.description, "amount": c.amount} for c in quote.codes
        ],
        "points_applied": quote.points_applied,
        "points_discount": quote.points_discount,
        "subtotal": quote.subtotal,
        "discount_total": quote.discount_total,
        "shipping_total": quote.shipping_total,
        "tax_total": quote.tax_total,
        "total": quote.total,
        "currency": cart.currency,
        "shipping_address": cart.shipping_address or None,
        "billing_address": cart.billing_address or None,
        "shipping_method": quote.shipping_method or None,
        "updated_at": cart.updated_at,
    }
    return CartOutputSerializer(data).data


class CartItemAddInputSerializer(serializers.Serializer):
    variant_id = serializers.CharField(max_length=32, required=False)
    sku = serializers.CharField(max_length=64, required=False)
    quantity = serializers.IntegerField(min_value=1, max_value=99)

    def validate(self, attrs):
        if not attrs.get("variant_id") and not attrs.get("sku"):
            raise serializers.ValidationError({"variant_id": ["A variant_id or a sku is required."]})
        return attrs


class CartItemUpdateInputSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=0, max_value=99)


class CartDiscountInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)


class CartPointsInputSerializer(serializers.Serializer):
    points = serializers.IntegerField(min_value=0)


class CartAddressesInputSerializer(serializers.Serializer):
    shipping_address_id = serializers.CharField(max_length=32, required=False)
    billing_address_id = serializers.CharField(max_length=32, required=False)
    shipping_address = OrderAddressSerializer(required=False)
    billing_address = OrderAddressSerializer(required=False)


class ShippingMethodOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    price = serializers.DecimalField(**_money)
    estimated_days = serializers.IntegerField()


class ShippingMethodInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)


class CheckoutPaymentSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=["card", "bank_transfer", "on_account"])


class CheckoutInputSerializer(serializers.Serializer):
    payment = CheckoutPaymentSerializer()
    payment_token = serializers.CharField(max_length=255, required=False, allow_blank=True)


# --- staff catalog ---------------------------------------------------------------------------


class VariantCreateInputSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    price = serializers.DecimalField(**_money, min_value=0)
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", required=False)
    stock = serializers.IntegerField(min_value=0, required=False)


class ProductCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.ListField(child=serializers.SlugField(), required=False)
    is_active = serializers.BooleanField(required=False, default=True)
    variants = VariantCreateInputSerializer(many=True, allow_empty=False)


class ProductUpdateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.ListField(child=serializers.SlugField(), required=False)
    is_active = serializers.BooleanField(required=False)


class StockAdjustmentInputSerializer(serializers.Serializer):
    quantity = serializers.IntegerField()
    reason = serializers.CharField(max_length=255)


class VariantUpdateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    price = serializers.DecimalField(**_money, min_value=0, required=False)
    is_active = serializers.BooleanField(required=False)
    stock_adjustment = StockAdjustmentInputSerializer(required=False)


class VariantDetailOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    product_id = serializers.CharField(source="product.public_id")
    sku = serializers.CharField()
    name = serializers.CharField()
    price = serializers.DecimalField(**_money)
    currency = serializers.CharField()
    stock = serializers.IntegerField()
    available_quantity = serializers.SerializerMethodField()
    is_active = serializers.BooleanField()

    def get_available_quantity(self, variant) -> int:
        return variant.stock if variant.is_active else 0


class DiscountCodeSerializer(serializers.Serializer):
    """Read and write shape of a discount code (`times_used` is read-only)."""

    code = serializers.CharField(max_length=40)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=DiscountCode.Kind.values)
    value = serializers.DecimalField(**_money, min_value=0)
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", required=False)
    starts_at = serializers.DateTimeField(required=False, allow_null=True)
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    min_subtotal = serializers.DecimalField(**_money, min_value=0, required=False)
    usage_limit = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    once_per_customer = serializers.BooleanField(required=False)
    combinable = serializers.BooleanField(required=False)
    times_used = serializers.IntegerField(read_only=True)
    is_active = serializers.BooleanField(required=False)
