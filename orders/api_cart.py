"""The customer's cart and checkout (customer JWT): thin views over `orders.services_cart` and
`orders.services_checkout`; every answer with a cart is priced by `orders.pricing`."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.idempotency import idempotency_header_parameter, idempotent
from config.api.permissions import IsCustomer, customer_of
from orders import selectors, services_cart
from orders.api import ListView
from orders.pricing import shipping_methods
from orders.selectors_cart import cart_country, cart_view
from orders.serializers import OrderDetailOutputSerializer
from orders.serializers_cart import (
    CartAddressesInputSerializer,
    CartDiscountInputSerializer,
    CartItemAddInputSerializer,
    CartItemUpdateInputSerializer,
    CartOutputSerializer,
    CartPointsInputSerializer,
    CheckoutInputSerializer,
    ShippingMethodInputSerializer,
    ShippingMethodOutputSerializer,
    cart_data,
)
from orders.services_checkout import checkout

_LINE = OpenApiParameter("line_id", str, OpenApiParameter.PATH, description="A cart line id (`line_...`).")
_CODE = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description="A discount code applied to the cart."
)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class CartBaseView(APIView):
    permission_classes = [IsCustomer]

    def cart_response(self, status: int = 200) -> Response:
        view = cart_view(customer=customer_of(self.request))
        return Response(cart_data(view, request=self.request), status=status)


class CartView(CartBaseView):
    @extend_schema(operation_id="customers_cart_retrieve", responses=CartOutputSerializer)
    def get(self, request):
        return self.cart_response()


class CartItemsView(CartBaseView):
    @extend_schema(
        operation_id="customers_cart_items_create",
        request=CartItemAddInputSerializer,
        responses={201: CartOutputSerializer},
    )
    def post(self, request):
        values = _valid(CartItemAddInputSerializer, request)
        services_cart.cart_item_add(
            customer=customer_of(request),
            variant_id=values.get("variant_id"),
            sku=values.get("sku"),
            quantity=values["quantity"],
        )
        return self.cart_response(status=201)


class CartItemView(CartBaseView):
    @extend_schema(
        operation_id="customers_cart_items_update",
        parameters=[_LINE],
        request=CartItemUpdateInputSerializer,
        responses=CartOutputSerializer,
    )
    def patch(self, request, line_id: str):
        values = _valid(CartItemUpdateInputSerializer, request)
        services_cart.cart_item_update(
            customer=customer_of(request), line_id=line_id, quantity=values["quantity"]
        )
        return self.cart_response()

    @extend_schema(operation_id="customers_cart_items_delete", parameters=[_LINE], responses={204: None})
    def delete(self, request, line_id: str):
        services_cart.cart_item_remove(customer=customer_of(request), line_id=line_id)
        return Response(status=204)


class CartDiscountsView(CartBaseView):
    @extend_schema(
        operation_id="customers_cart_discounts_create",
        request=CartDiscountInputSerializer,
        responses=CartOutputSerializer,
    )
    def post(self, request):
        values = _valid(CartDiscountInputSerializer, request)
        services_cart.cart_discount_apply(customer=customer_of(request), code=values["code"])
        return self.cart_response()


class CartDiscountView(CartBaseView):
    @extend_schema(operation_id="customers_cart_discounts_delete", parameters=[_CODE], responses={204: None})
    def delete(self, request, code: str):
        services_cart.cart_discount_remove(customer=customer_of(request), code=code)
        return Response(status=204)


class CartPointsView(CartBaseView):
    @extend_schema(
        operation_id="customers_cart_points_update",
        request=CartPointsInputSerializer,
        responses=CartOutputSerializer,
    )
    def put(self, request):
        values = _valid(CartPointsInputSerializer, request)
        services_cart.cart_points_set(customer=customer_of(request), points=values["points"])
        return self.cart_response()


class CartAddressesView(CartBaseView):
    @extend_schema(
        operation_id="customers_cart_addresses_update",
        request=CartAddressesInputSerializer,
        responses=CartOutputSerializer,
    )
    def put(self, request):
        values = _valid(CartAddressesInputSerializer, request)
        services_cart.cart_addresses_set(
            customer=customer_of(request),
            shipping_address_id=values.get("shipping_address_id"),
            billing_address_id=values.get("billing_address_id"),
            shipping_address=dict(values["shipping_address"]) if values.get("shipping_address") else None,
            billing_address=dict(values["billing_address"]) if values.get("billing_address") else None,
        )
        return self.cart_response()


class CartShippingMethodsView(ListView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="customers_cart_shipping_methods_list",
        responses=ShippingMethodOutputSerializer(many=True),
    )
    def get(self, request):
        view = cart_view(customer=customer_of(request))
        goods = view.quote.subtotal - view.quote.discount_total
        methods = shipping_methods(country=cart_country(view.cart), goods_total=goods)
        return self.paginated(methods, ShippingMethodOutputSerializer)


class CartShippingMethodView(CartBaseView):
    @extend_schema(
        operation_id="customers_cart_shipping_method_update",
        request=ShippingMethodInputSerializer,
        responses=CartOutputSerializer,
    )
    def put(self, request):
        values = _valid(ShippingMethodInputSerializer, request)
        services_cart.cart_shipping_method_set(customer=customer_of(request), code=values["code"])
        return self.cart_response()


class CheckoutView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="customers_checkout",
        parameters=[idempotency_header_parameter()],
        request=CheckoutInputSerializer,
        responses={201: OrderDetailOutputSerializer},
    )
    @idempotent
    def post(self, request):
        values = _valid(CheckoutInputSerializer, request)
        order = checkout(
            customer=customer_of(request),
            payment_method=values["payment"]["method"],
            payment_token=values.get("payment_token", ""),
        )
        order = selectors.order_get(number=order.number)
        return Response(OrderDetailOutputSerializer(order, context={"request": request}).data, status=201)
