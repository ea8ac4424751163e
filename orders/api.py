"""The orders and catalog API: thin views over `orders.services` and `orders.selectors`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.callers import api_key_of
from config.api.idempotency import idempotency_header_parameter, idempotent
from config.api.pagination import PagePagination
from config.api.permissions import IsCustomer, IsOwnerCustomerOrStaff, IsStaffOrScopedKey, customer_of
from config.errors import NotFound, ValidationFailed
from customers.models import Customer
from orders import selectors, services
from orders.models import OrderStatus, Shipment
from orders.registry import product_filters
from orders.serializers import (
    CustomerOrderQuerySerializer,
    OrderCancelInputSerializer,
    OrderCreateInputSerializer,
    OrderDetailOutputSerializer,
    OrderListItemOutputSerializer,
    PaymentListOutputSerializer,
    PaymentStatusOutputSerializer,
    ProductOutputSerializer,
    RefundListOutputSerializer,
    RetryPaymentInputSerializer,
    ShipmentCreateInputSerializer,
    ShipmentListOutputSerializer,
    ShipmentOutputSerializer,
    StaffOrderListItemOutputSerializer,
    StaffOrderQuerySerializer,
)

_FILTER_PARAMETERS = [
    OpenApiParameter(
        "status",
        str,
        many=True,
        explode=True,
        enum=OrderStatus.values,
        description="Repeatable: `?status=paid&status=shipped`.",
    ),
    OpenApiParameter("from_date", OpenApiTypes.DATE, description="Placed on or after (UTC, inclusive)."),
    OpenApiParameter("to_date", OpenApiTypes.DATE, description="Placed on or before (UTC, inclusive)."),
]
_SORT_PARAMETER = OpenApiParameter("sort", str, enum=["placed_at", "-placed_at", "total", "-total"])
_NUMBER = OpenApiParameter("number", str, OpenApiParameter.PATH, description="The order number, `MNKY-1001`.")


def _query(serializer_class, request) -> selectors.OrderFilters:
    data = {key: request.query_params.get(key) for key in request.query_params if key != "status"}
    statuses = request.query_params.getlist("status")
    if statuses:
        data["status"] = statuses
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    values = serializer.validated_data
    return selectors.OrderFilters(
        statuses=values.get("status", []),
        from_date=values.get("from_date"),
        to_date=values.get("to_date"),
        sort=values.get("sort") or "-placed_at",
        customer_id=values.get("customer_id"),
        search=values.get("search", ""),
    )


def _owner_scope(request) -> Customer | None:
    """The customer whose orders the caller may see, or None for staff and API keys (all orders)."""
    if api_key_of(request) is None and request.user.is_staff:
        return None
    return customer_of(request)


class ListView(GenericAPIView):
    """A paginated list in the contract's envelope (`page`, `limit`), documented as such."""

    pagination_class = PagePagination
    filter_backends: list = []

    def paginated(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        context = {"request": self.request}
        return self.get_paginated_response(serializer_class(page, many=True, context=context).data)


class OrderScopedView(APIView):
    """Owner, staff or a key with the `orders` scope; customers see only their own orders."""

    permission_classes = [IsOwnerCustomerOrStaff]
    api_key_scope = "orders"
    staff_permissions = {"get": ["orders.view_order"], "post": ["orders.change_order"]}

    def get_order(self, number: str, *, detail: bool = True):
        return selectors.order_get(number=number, customer=_owner_scope(self.request), detail=detail)


# --- catalog ---------------------------------------------------------------------------------


def _product_filter_parameters():
    params = [OpenApiParameter("search", str, description="Name (contains) or exact SKU.")]
    params += [f.schema or OpenApiParameter(f.name, str) for f in product_filters()]
    return params


class ProductListView(ListView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="products_list",
        parameters=_product_filter_parameters(),
        responses=ProductOutputSerializer(many=True),
    )
    def get(self, request):
        params = {f.name: request.query_params.get(f.name) for f in product_filters()}
        queryset = selectors.product_list(
            search=request.query_params.get("search", "").strip(), params=params
        )
        page = self.paginate_queryset(queryset)
        context = {"request": request, "extra": selectors.product_extra_fields(page)}
        return self.get_paginated_response(ProductOutputSerializer(page, many=True, context=context).data)


class ProductDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="products_retrieve", responses=ProductOutputSerializer)
    def get(self, request, product_id: str):
        product = selectors.product_get(public_id=product_id)
        context = {"request": request, "extra": selectors.product_extra_fields([product])}
        return Response(ProductOutputSerializer(product, context=context).data)


# --- the customer's own orders ---------------------------------------------------------------


class CustomerOrderListView(ListView):
    permission_classes = [IsCustomer]
    default_limit, max_limit = 10, 50

    @extend_schema(
        operation_id="customers_orders_list",
        parameters=[*_FILTER_PARAMETERS, _SORT_PARAMETER],
        responses=OrderListItemOutputSerializer(many=True),
    )
    def get(self, request):
        filters = _query(CustomerOrderQuerySerializer, request)
        queryset = selectors.order_list_for_customer(customer=customer_of(request), filters=filters)
        return self.paginated(queryset, OrderListItemOutputSerializer)


class CustomerOrdersForStaffView(ListView):
    """A customer's orders, for staff (and keys with `orders:read` or `customers:read`)."""

    permission_classes = [IsStaffOrScopedKey]
    api_key_scope = "orders"
    staff_permissions = ["orders.view_order"]

    def check_permissions(self, request):
        key = api_key_of(request)
        if key is not None and key.has_scope("customers:read") and request.method == "GET":
            return
        super().check_permissions(request)

    @extend_schema(
        operation_id="customers_orders_for_customer",
        parameters=_FILTER_PARAMETERS,
        responses=StaffOrderListItemOutputSerializer(many=True),
    )
    def get(self, request, customer_id: str):
        customer = Customer.objects.filter(public_id=customer_id).first()
        if customer is None:
            raise NotFound("No such customer.")
        filters = _query(CustomerOrderQuerySerializer, request)
        queryset = selectors.order_list(filters=filters).filter(customer=customer)
        return self.paginated(queryset, StaffOrderListItemOutputSerializer)


# --- staff and integrations ------------------------------------------------------------------


def order_ingest(payload, *, serializer=None, customers=None, catalog=None):
    """One ingested order, as `POST /api/orders` and each item of its bulk form make it: the
    input serializer, then `services.order_create`. The bulk route passes one serializer
    instance for all its items (building one deep-copies its fields: most of an item's cost)
    and `customers` (public id → Customer) and `catalog` (the SKUs), loaded for all its items
    at once."""
    data = dict((serializer or OrderCreateInputSerializer()).run_validation(payload))
    customer_id = data.pop("customer_id")
    if customers is not None:
        customer = customers.get(customer_id)
    else:
        customer = Customer.objects.filter(public_id=customer_id).first()
    if customer is None:
        raise ValidationFailed.on("customer_id", "No such customer.")
    data["items"] = [dict(item) for item in data["items"]]
    for key in ("shipping_address", "billing_address", "payment"):
        if key in data:
            data[key] = dict(data[key])
    return services.order_create(customer=customer, catalog=catalog, **data)


def shipment_create(order, payload, *, serializer=None):
    """One shipment, as `POST /api/orders/{number}/shipments` and each item of its bulk form make
    it: the input serializer, then `services.order_ship`."""
    values = (serializer or ShipmentCreateInputSerializer()).run_validation(payload)
    return services.order_ship(
        order=order,
        courier=values["courier"],
        tracking_number=values["tracking_number"],
        items=[dict(i) for i in values.get("items") or []] or None,
    )


class OrderListCreateView(ListView):
    permission_classes = [IsStaffOrScopedKey]
    api_key_scope = "orders"
    staff_permissions = {"get": ["orders.view_order"], "post": ["orders.add_order"]}

    @extend_schema(
        operation_id="orders_list",
        parameters=[
            *_FILTER_PARAMETERS,
            _SORT_PARAMETER,
            OpenApiParameter("customer_id", str),
            OpenApiParameter("search", str, description="An order number or a customer's email."),
        ],
        responses=StaffOrderListItemOutputSerializer(many=True),
    )
    def get(self, request):
        filters = _query(StaffOrderQuerySerializer, request)
        return self.paginated(selectors.order_list(filters=filters), StaffOrderListItemOutputSerializer)

    @extend_schema(
        operation_id="orders_create",
        parameters=[idempotency_header_parameter()],
        request=OrderCreateInputSerializer,
        responses={201: OrderDetailOutputSerializer},
    )
    @idempotent
    def post(self, request):
        order = order_ingest(request.data)
        order = selectors.order_get(number=order.number)
        return Response(OrderDetailOutputSerializer(order, context={"request": request}).data, status=201)


class OrderDetailView(OrderScopedView):
    @extend_schema(
        operation_id="orders_retrieve", parameters=[_NUMBER], responses=OrderDetailOutputSerializer
    )
    def get(self, request, number: str):
        return Response(
            OrderDetailOutputSerializer(self.get_order(number), context={"request": request}).data
        )


class OrderShipmentsView(OrderScopedView):
    def get_permissions(self):
        if self.request.method == "POST":
            return [IsStaffOrScopedKey()]
        return super().get_permissions()

    @extend_schema(
        operation_id="orders_shipments_list", parameters=[_NUMBER], responses=ShipmentListOutputSerializer
    )
    def get(self, request, number: str):
        order = self.get_order(number)
        return Response(ShipmentListOutputSerializer({"shipments": order.shipments.all()}).data)

    @extend_schema(
        operation_id="orders_shipments_create",
        parameters=[_NUMBER],
        request=ShipmentCreateInputSerializer,
        responses={201: ShipmentOutputSerializer},
    )
    def post(self, request, number: str):
        order = selectors.order_get(number=number, detail=False)
        shipment = shipment_create(order, request.data)
        return Response(ShipmentOutputSerializer(_shipment(shipment.pk)).data, status=201)


def _shipment(pk: int) -> Shipment:
    return Shipment.objects.prefetch_related("items__order_item").get(pk=pk)


class ShipmentDeliverView(APIView):
    permission_classes = [IsStaffOrScopedKey]
    api_key_scope = "orders"
    staff_permissions = ["orders.change_order"]

    @extend_schema(
        operation_id="orders_shipments_deliver",
        parameters=[_NUMBER],
        request=None,
        responses=ShipmentOutputSerializer,
    )
    def post(self, request, number: str, shipment_id: str):
        shipment = (
            Shipment.objects.select_related("order")
            .filter(public_id=shipment_id, order__number=number)
            .first()
        )
        if shipment is None:
            raise NotFound("No such shipment on this order.")
        services.shipment_deliver(shipment=shipment)
        return Response(ShipmentOutputSerializer(_shipment(shipment.pk)).data)


class OrderPaymentsView(OrderScopedView):
    @extend_schema(
        operation_id="orders_payments_list", parameters=[_NUMBER], responses=PaymentListOutputSerializer
    )
    def get(self, request, number: str):
        order = self.get_order(number)
        return Response(PaymentListOutputSerializer({"payments": order.payments.all()}).data)


class OrderRefundsView(OrderScopedView):
    @extend_schema(
        operation_id="orders_refunds_list", parameters=[_NUMBER], responses=RefundListOutputSerializer
    )
    def get(self, request, number: str):
        order = self.get_order(number)
        return Response(RefundListOutputSerializer({"refunds": order.refunds.all()}).data)


class OrderPaymentStatusView(OrderScopedView):
    @extend_schema(
        operation_id="orders_payment_status", parameters=[_NUMBER], responses=PaymentStatusOutputSerializer
    )
    def get(self, request, number: str):
        return Response(PaymentStatusOutputSerializer(self.get_order(number, detail=False)).data)


class OrderCancelView(OrderScopedView):
    @extend_schema(
        operation_id="orders_cancel",
        parameters=[_NUMBER, idempotency_header_parameter()],
        request=OrderCancelInputSerializer,
        responses=OrderDetailOutputSerializer,
    )
    @idempotent
    def post(self, request, number: str):
        order = self.get_order(number, detail=False)
        serializer = OrderCancelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        services.order_cancel(
            order=order,
            reason=values["cancellation_reason"],
            refund_mode=values["refund_mode"],
            bank_account_id=values.get("bank_account_id") or None,
            feedback=values.get("feedback", ""),
            by=request.user if getattr(request.user, "pk", None) else None,
        )
        return Response(
            OrderDetailOutputSerializer(self.get_order(number), context={"request": request}).data
        )


class OrderRetryPaymentView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="orders_retry_payment",
        parameters=[_NUMBER, idempotency_header_parameter()],
        request=RetryPaymentInputSerializer,
        responses=PaymentStatusOutputSerializer,
    )
    @idempotent
    def post(self, request, number: str):
        order = selectors.order_get(number=number, customer=customer_of(request), detail=False)
        serializer = RetryPaymentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = services.order_retry_payment(
            order=order, payment_token=serializer.validated_data.get("payment_token", "")
        )
        return Response(PaymentStatusOutputSerializer(order).data)
