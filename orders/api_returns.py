"""The returns API: thin views over `orders.services_returns` and `orders.selectors_returns`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.idempotency import idempotency_header_parameter, idempotent
from config.api.permissions import IsCustomer, IsOwnerCustomerOrStaff, IsStaffOrScopedKey, customer_of
from orders import selectors, selectors_returns, services_returns
from orders.api import ListView, _owner_scope
from orders.models_returns import ReturnStatus
from orders.serializers_returns import (
    ReturnApproveInputSerializer,
    ReturnCreateInputSerializer,
    ReturnDetailOutputSerializer,
    ReturnOutputSerializer,
    ReturnQuerySerializer,
    ReturnRejectInputSerializer,
    StaffReturnQuerySerializer,
)

_NUMBER = OpenApiParameter("number", str, OpenApiParameter.PATH, description="The order number, `MNKY-1001`.")
_DATES = [
    OpenApiParameter("from_date", OpenApiTypes.DATE, description="Requested on or after (UTC, inclusive)."),
    OpenApiParameter("to_date", OpenApiTypes.DATE, description="Requested on or before (UTC, inclusive)."),
]


def _by(request):
    """The user behind the request, or None for an API key."""
    return request.user if getattr(request.user, "pk", None) else None


def _filters(serializer_class, request) -> selectors_returns.ReturnFilters:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return selectors_returns.ReturnFilters(**serializer.validated_data)


def _detail(request, *, public_id: str) -> Response:
    found = selectors_returns.return_get(public_id=public_id)
    return Response(ReturnDetailOutputSerializer(found, context={"request": request}).data)


class OrderReturnCreateView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="orders_returns_create",
        parameters=[_NUMBER, idempotency_header_parameter()],
        request=ReturnCreateInputSerializer,
        responses={201: ReturnDetailOutputSerializer},
    )
    @idempotent
    def post(self, request, number: str):
        order = selectors.order_get(number=number, customer=customer_of(request), detail=False)
        serializer = ReturnCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        created = services_returns.return_create(
            order=order,
            items=[dict(line) for line in values["return_items"]],
            pickup_address_id=values.get("pickup_address_id") or None,
            by=request.user,
        )
        found = selectors_returns.return_get(public_id=created.public_id)
        return Response(ReturnDetailOutputSerializer(found, context={"request": request}).data, status=201)


class OrderReturnDetailView(APIView):
    permission_classes = [IsOwnerCustomerOrStaff]
    api_key_scope = "orders"
    staff_permissions = ["orders.view_return"]

    @extend_schema(
        operation_id="orders_returns_retrieve", parameters=[_NUMBER], responses=ReturnDetailOutputSerializer
    )
    def get(self, request, number: str, return_id: str):
        found = selectors_returns.return_get_for_order(
            number=number, return_id=return_id, customer=_owner_scope(request)
        )
        return Response(ReturnDetailOutputSerializer(found, context={"request": request}).data)


class OrderReturnCancelView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="orders_returns_cancel",
        parameters=[_NUMBER, idempotency_header_parameter()],
        request=None,
        responses=ReturnDetailOutputSerializer,
    )
    @idempotent
    def post(self, request, number: str, return_id: str):
        found = selectors_returns.return_get_for_order(
            number=number, return_id=return_id, customer=customer_of(request)
        )
        services_returns.return_cancel(return_request=found, by=request.user)
        return _detail(request, public_id=found.public_id)


class CustomerReturnListView(ListView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="customers_returns_list", parameters=_DATES, responses=ReturnOutputSerializer(many=True)
    )
    def get(self, request):
        filters = _filters(ReturnQuerySerializer, request)
        queryset = selectors_returns.return_list_for_customer(customer=customer_of(request), filters=filters)
        return self.paginated(queryset, ReturnOutputSerializer)


class ReturnListView(ListView):
    """The staff work queue: requested returns oldest first, then the rest."""

    permission_classes = [IsStaffOrScopedKey]
    api_key_scope = "orders"
    staff_permissions = ["orders.view_return"]

    @extend_schema(
        operation_id="returns_list",
        parameters=[
            OpenApiParameter("status", str, enum=ReturnStatus.values),
            OpenApiParameter("order_number", str),
            OpenApiParameter("customer_id", str),
            *_DATES,
        ],
        responses=ReturnOutputSerializer(many=True),
    )
    def get(self, request):
        filters = _filters(StaffReturnQuerySerializer, request)
        return self.paginated(selectors_returns.return_list(filters=filters), ReturnOutputSerializer)


class _DecisionView(APIView):
    permission_classes = [IsStaffOrScopedKey]
    api_key_scope = "orders"
    staff_permissions = ["orders.approve_return"]


class ReturnApproveView(_DecisionView):
    @extend_schema(
        operation_id="returns_approve",
        request=ReturnApproveInputSerializer,
        responses=ReturnDetailOutputSerializer,
    )
    def post(self, request, return_id: str):
        found = selectors_returns.return_get(public_id=return_id)
        serializer = ReturnApproveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services_returns.return_approve(
            return_request=found, by=_by(request), note=serializer.validated_data["note"]
        )
        return _detail(request, public_id=return_id)


class ReturnRejectView(_DecisionView):
    @extend_schema(
        operation_id="returns_reject",
        request=ReturnRejectInputSerializer,
        responses=ReturnDetailOutputSerializer,
    )
    def post(self, request, return_id: str):
        found = selectors_returns.return_get(public_id=return_id)
        serializer = ReturnRejectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services_returns.return_reject(
            return_request=found, by=_by(request), note=serializer.validated_data["note"]
        )
        return _detail(request, public_id=return_id)


class ReturnReceiveView(_DecisionView):
    @extend_schema(operation_id="returns_receive", request=None, responses=ReturnDetailOutputSerializer)
    def post(self, request, return_id: str):
        found = selectors_returns.return_get(public_id=return_id)
        services_returns.return_receive(return_request=found, by=_by(request))
        return _detail(request, public_id=return_id)
