"""`POST /api/customers/bulk`: customers created or updated by email.

A new email goes through `POST /api/customers`'s function, a known one (case-insensitive,
erased accounts excluded) through `PATCH /api/customers/{id}`'s: the same serializers and
services, so a different `credit_limit` on an update is that item's 400 as it is on PATCH, and
`billing_address`, `shipping_address` and `contacts` count only on creation (afterwards they
change through their own routes). The customers the items name are loaded in one query.
"""

from django.db.models.functions import Lower
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.bulk import (
    BULK_DESCRIPTION,
    UPSERT_STATUSES,
    bulk_items,
    bulk_request_serializer,
    bulk_response_serializer,
    bulk_run,
    lookup_keys,
)
from config.api.idempotency import idempotency_header_parameter, idempotent
from config.api.permissions import IsStaffOrScopedKey
from config.errors import Conflict
from customers.api.business import (
    ADD,
    CHANGE,
    _actor,
    customer_create_from_input,
    customer_update_from_input,
)
from customers.models import Customer
from customers.serializers.business import CustomerCreateSerializer


def _email(item) -> str | None:
    value = item.get("email") if isinstance(item, dict) else None
    return value if isinstance(value, str) else None


def _key(email: str | None) -> str:
    return (email or "").strip().lower()


def _by_email(emails) -> dict[str, Customer]:
    customers = Customer.objects.annotate(email_key=Lower("email")).filter(
        email_key__in=lookup_keys(emails), erased_at__isnull=True
    )
    return {c.email_key: c for c in customers}


class CustomerBulkView(APIView):
    permission_classes = [IsStaffOrScopedKey]
    api_key_scope = "customers"
    staff_permissions = [ADD, CHANGE]

    @extend_schema(
        operation_id="staff_customers_bulk",
        parameters=[idempotency_header_parameter()],
        request=bulk_request_serializer("Customer", CustomerCreateSerializer()),
        responses={
            200: bulk_response_serializer(
                "Customer",
                {
                    "email": serializers.CharField(allow_null=True),
                    "id": serializers.CharField(required=False, allow_null=True),
                },
                UPSERT_STATUSES,
            )
        },
        description="Customers of the `POST /api/customers` shape, matched by `email` "
        "(case-insensitive): a new email is created (`created`), a known one is changed as "
        "`PATCH /api/customers/{id}` changes it (`updated`; a different `credit_limit` is that "
        "item's 400, and addresses and contacts count only on creation). " + BULK_DESCRIPTION,
    )
    @idempotent
    def post(self, request):
        items, atomic = bulk_items(request.data)
        by = _actor(request)
        known = _by_email({_key(_email(item)) for item in items if _email(item)})

        def update(customer, item):
            customer_update_from_input(customer, item, by=by, partial=True)
            return {"status": "updated", "id": customer.public_id}

        def process(index, item):
            key = _key(_email(item))
            if key in known:
                return update(known[key], item)
            try:
                customer = customer_create_from_input(item, by=by)
            except Conflict as exc:
                # a concurrent request created this email first: update it instead
                if "email" not in exc.details:
                    raise
                found = _by_email({key}).get(key)
                if found is None:
                    raise
                known[key] = found
                return update(found, item)
            known[key] = customer
            return {"status": "created", "id": customer.public_id}

        results = bulk_run(items, process, atomic=atomic, key=lambda item: {"email": _email(item)})
        return Response({"results": results})
