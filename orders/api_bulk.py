"""Bulk ingest of orders and shipments (`POST /api/orders/bulk`, `POST /api/shipments/bulk`).

Each item goes through the single route's own function (`orders.api.order_ingest`,
`orders.api.shipment_create`): the same serializer and service, so the rules exist once. What is
batched here is only the lookups every item would repeat: the external ids already taken, the
customers, the SKUs (`services.catalog_for_skus`) and the orders, each loaded once up front. See `config.api.bulk` for the loop.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.bulk import (
    BULK_DESCRIPTION,
    INGEST_STATUSES,
    bulk_items,
    bulk_request_serializer,
    bulk_response_serializer,
    bulk_run,
    lookup_keys,
)
from config.api.idempotency import idempotency_header_parameter, idempotent
from config.api.permissions import IsStaffOrScopedKey
from config.errors import NotFound, ValidationFailed
from customers.models import Customer
from orders import services
from orders.api import order_ingest, shipment_create
from orders.models import Order, Shipment
from orders.serializers import OrderBulkItemInputSerializer, ShipmentBulkItemInputSerializer

MAX_CATALOG = 2000


def _strings(items, field: str) -> set[str]:
    return lookup_keys(item.get(field) for item in items if isinstance(item, dict))


def _field(item, field: str):
    value = item.get(field) if isinstance(item, dict) else None
    return value if isinstance(value, str) else None


class OrderBulkView(APIView):
    permission_classes = [IsStaffOrScopedKey]
    api_key_scope = "orders"
    staff_permissions = ["orders.add_order"]

    @extend_schema(
        operation_id="orders_bulk_create",
        parameters=[idempotency_header_parameter()],
        request=bulk_request_serializer("Order", OrderBulkItemInputSerializer()),
        responses={
            200: bulk_response_serializer(
                "Order",
                {
                    "external_id": serializers.CharField(allow_null=True),
                    "number": serializers.CharField(required=False, allow_null=True),
                },
                INGEST_STATUSES,
            )
        },
        description="Orders of the `POST /api/orders` shape, each with its `external_id`. An "
        "external id that names an order already (from an earlier request, or earlier in this "
        "one) answers `existing` with that order's `number` and creates nothing. " + BULK_DESCRIPTION,
    )
    @idempotent
    def post(self, request):
        items, atomic = bulk_items(request.data)
        known = dict(
            Order.objects.filter(external_id__in=_strings(items, "external_id")).values_list(
                "external_id", "number"
            )
        )
        customers = {
            c.public_id: c for c in Customer.objects.filter(public_id__in=_strings(items, "customer_id"))
        }

        skus = lookup_keys(
            line.get("sku")
            for item in items
            if isinstance(item, dict) and isinstance(item.get("items"), list)
            for line in item["items"]
            if isinstance(line, dict)
        )
        # past MAX_CATALOG distinct SKUs each order looks up its own (one IN list stays bounded)
        catalog = services.catalog_for_skus(skus) if len(skus) <= MAX_CATALOG else None
        serializer = OrderBulkItemInputSerializer()

        def process(index, item):
            external_id = _field(item, "external_id")
            if external_id in known:
                return {"status": "existing", "number": known[external_id]}
            try:
                order = order_ingest(item, serializer=serializer, customers=customers, catalog=catalog)
            except services.ExternalIdExists as exc:  # a concurrent request made it first
                return {"status": "existing", "number": exc.number}
            known[order.external_id] = order.number
            return {"status": "created", "number": order.number}

        results = bulk_run(
            items, process, atomic=atomic, key=lambda item: {"external_id": _field(item, "external_id")}
        )
        return Response({"results": results})


class ShipmentBulkView(APIView):
    permission_classes = [IsStaffOrScopedKey]
    api_key_scope = "orders"
    staff_permissions = ["orders.change_order"]

    @extend_schema(
        operation_id="shipments_bulk_create",
        parameters=[idempotency_header_parameter()],
        request=bulk_request_serializer("Shipment", ShipmentBulkItemInputSerializer()),
        responses={
            200: bulk_response_serializer(
                "Shipment",
                {
                    "order_number": serializers.CharField(allow_null=True),
                    "tracking_number": serializers.CharField(allow_null=True),
                    "shipment_id": serializers.CharField(required=False, allow_null=True),
                },
                INGEST_STATUSES,
            )
        },
        description="Shipments of the `POST /api/orders/{number}/shipments` shape, each naming its "
        "`order_number`. A shipment with the same tracking number on that order answers `existing` "
        "with its `shipment_id` and ships nothing (checked under the order's row lock). " + BULK_DESCRIPTION,
    )
    @idempotent
    def post(self, request):
        items, atomic = bulk_items(request.data)
        orders = {
            o.number: o
            for o in Order.objects.select_related("customer").filter(
                number__in=_strings(items, "order_number")
            )
        }

        serializer = ShipmentBulkItemInputSerializer()

        def process(index, item):
            number = _field(item, "order_number")
            if not number:
                raise ValidationFailed.on("order_number", "The order number is required.")
            order = orders.get(number)
            if order is None:
                raise NotFound(f"No such order {number}.")
            # the same lock the service takes, first: a concurrent replay waits, then sees ours
            Order.objects.select_for_update().filter(pk=order.pk).values_list("pk").first()
            tracking_number = (_field(item, "tracking_number") or "").strip()
            existing = (
                Shipment.objects.filter(order=order, tracking_number=tracking_number)
                .values_list("public_id", flat=True)
                .first()
                if tracking_number and lookup_keys([tracking_number])
                else None  # a NUL in it: not looked up, the serializer refuses it
            )
            if existing is not None:
                return {"status": "existing", "shipment_id": existing}
            shipment = shipment_create(order, item, serializer=serializer)
            return {"status": "created", "shipment_id": shipment.public_id}

        results = bulk_run(
            items,
            process,
            atomic=atomic,
            key=lambda item: {
                "order_number": _field(item, "order_number"),
                "tracking_number": _field(item, "tracking_number"),
            },
        )
        return Response({"results": results})
