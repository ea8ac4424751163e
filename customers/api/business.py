"""Staff and integration API for customers: the list, create, detail, contacts, analytics and
credit checks (staff JWT with the model permission of the method, e.g. `customers.view_customer`,
or an API key with `customers:read` / `customers:write`).

Approving or rejecting a credit check needs a staff user with `customers.approve_credit`; no API
key can. Views only parse, call `customers.services.business` / `customers.selectors.business`
and render.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.callers import api_key_of
from config.api.idempotency import idempotency_header_parameter, idempotent
from config.api.pagination import PagePagination
from config.api.permissions import IsStaffOrScopedKey
from customers.selectors import business as selectors
from customers.serializers.business import (
    AnalyticsOutputSerializer,
    AnalyticsQuerySerializer,
    ContactInputSerializer,
    ContactOutputSerializer,
    ContactUpdateSerializer,
    CreditCheckDecisionSerializer,
    CreditCheckOutputSerializer,
    CreditCheckRejectSerializer,
    CustomerCreateSerializer,
    CustomerListQuerySerializer,
    CustomerOutputSerializer,
    CustomerWriteSerializer,
)
from customers.services import business as services

_CUSTOMER_ID = OpenApiParameter("customer_id", str, OpenApiParameter.PATH, description="`cust_…`")


def _actor(request):
    """The staff user behind the request; None for an API key."""
    if api_key_of(request) is not None:
        return None
    return request.user if request.user.is_authenticated else None


def _render_customers(customers) -> list:
    customers = list(customers)
    totals = selectors.customer_order_totals(customers)
    return CustomerOutputSerializer(customers, many=True, context={"totals": totals}).data


def _render_customer(customer) -> dict:
    customer = selectors.with_related(type(customer).objects.filter(pk=customer.pk)).get()
    return _render_customers([customer])[0]


def customer_create_from_input(payload, *, by):
    """One customer, as `POST /api/customers` and a new email in its bulk form make it: the input
    serializer, then `services.customer_create`."""
    serializer = CustomerCreateSerializer(data=payload)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    return services.customer_create(
        by=by,
        kind=data.pop("kind"),
        email=data.pop("email"),
        credit_limit=data.pop("credit_limit", None) or 0,
        billing_address=data.pop("billing_address", None),
        shipping_address=data.pop("shipping_address", None),
        contacts=data.pop("contacts", None),
        **data,
    )


def customer_update_from_input(customer, payload, *, by, partial: bool):
    """A customer changed as `PUT`/`PATCH /api/customers/{id}` and a known email in the bulk form
    change it: the input serializer, then `services.customer_update`."""
    serializer = CustomerWriteSerializer(data=payload, partial=partial)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    data.pop("kind", None)
    return services.customer_update(customer=customer, by=by, data=data)


VIEW, ADD, CHANGE = "customers.view_customer", "customers.add_customer", "customers.change_customer"


class StaffCustomerView(APIView):
    """Staff users need the Django permission of the method (`staff_permissions`); API keys the
    `customers:read` / `customers:write` scope."""

    permission_classes = [IsStaffOrScopedKey]
    api_key_scope = "customers"


class CustomerListCreateView(StaffCustomerView):
    pagination_class = PagePagination  # the schema documents the list envelope
    staff_permissions = {"get": [VIEW], "post": [ADD]}

    @extend_schema(
        operation_id="staff_customers_list",
        parameters=[CustomerListQuerySerializer],
        responses=CustomerOutputSerializer(many=True),
        description="Customers for staff. `search` matches name, company, email and phone; "
        "`membership_tier` filters when the loyalty app is installed.",
    )
    def get(self, request):
        query = CustomerListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        filters = selectors.CustomerFilters(
            is_active=values.get("is_active"),
            kind=values.get("kind"),
            search=values.get("search", ""),
            created_from=values.get("created_from"),
            created_to=values.get("created_to"),
            sort=values.get("sort") or "-created_at",
            extra={"membership_tier": values.get("membership_tier")},
        )
        paginator = PagePagination()
        page = paginator.paginate_queryset(selectors.customer_list(filters=filters), request, view=self)
        return paginator.get_paginated_response(_render_customers(page))

    @extend_schema(
        operation_id="staff_customers_create",
        request=CustomerCreateSerializer,
        responses={201: CustomerOutputSerializer},
    )
    def post(self, request):
        customer = customer_create_from_input(request.data, by=_actor(request))
        return Response(_render_customer(customer), status=201)


class CustomerDetailView(StaffCustomerView):
    staff_permissions = {"get": [VIEW], "put": [CHANGE], "patch": [CHANGE]}

    @extend_schema(
        operation_id="staff_customers_retrieve", parameters=[_CUSTOMER_ID], responses=CustomerOutputSerializer
    )
    def get(self, request, customer_id: str):
        return Response(_render_customer(services.customer_get(public_id=customer_id)))

    def _update(self, request, customer_id: str, *, partial: bool):
        customer = services.customer_get(public_id=customer_id)
        customer_update_from_input(customer, request.data, by=_actor(request), partial=partial)
        return Response(_render_customer(customer))

    @extend_schema(
        operation_id="staff_customers_update",
        parameters=[_CUSTOMER_ID],
        request=CustomerWriteSerializer,
        responses=CustomerOutputSerializer,
        description="`credit_limit` other than the current one is 400: limits change through credit checks.",
    )
    def put(self, request, customer_id: str):
        return self._update(request, customer_id, partial=False)

    @extend_schema(
        operation_id="staff_customers_partial_update",
        parameters=[_CUSTOMER_ID],
        request=CustomerWriteSerializer(partial=True),
        responses=CustomerOutputSerializer,
    )
    def patch(self, request, customer_id: str):
        return self._update(request, customer_id, partial=True)


class CustomerAnalyticsView(StaffCustomerView):
    staff_permissions = [VIEW]

    @extend_schema(
        operation_id="staff_customers_analytics",
        parameters=[_CUSTOMER_ID, AnalyticsQuerySerializer],
        responses=AnalyticsOutputSerializer,
        description="`overview.lifetime_value`, `last_order_date` and `days_since_last_order` are "
        "all-time; the other order figures, `order_history` and `top_products` cover `period`. "
        "Revenue is `total - amount_refunded` of paid-or-later orders. `customer_segment` and "
        "`risk_score` follow the rules documented in `orders/analytics.py`.",
    )
    def get(self, request, customer_id: str):
        query = AnalyticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        customer = services.customer_get(public_id=customer_id)
        analytics = selectors.customer_analytics(customer=customer, period=query.validated_data["period"])
        return Response(AnalyticsOutputSerializer(analytics).data)


class ContactListCreateView(StaffCustomerView):
    pagination_class = PagePagination  # the schema documents the list envelope
    staff_permissions = {"get": ["customers.view_contact"], "post": ["customers.add_contact"]}

    @extend_schema(
        operation_id="staff_contacts_list",
        parameters=[_CUSTOMER_ID],
        responses=ContactOutputSerializer(many=True),
    )
    def get(self, request, customer_id: str):
        customer = services.customer_get(public_id=customer_id)
        paginator = PagePagination()
        page = paginator.paginate_queryset(
            customer.contacts.order_by("-is_primary", "name", "id"), request, view=self
        )
        return paginator.get_paginated_response(ContactOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="staff_contacts_create",
        parameters=[_CUSTOMER_ID],
        request=ContactInputSerializer,
        responses={201: ContactOutputSerializer},
    )
    def post(self, request, customer_id: str):
        customer = services.customer_get(public_id=customer_id)
        serializer = ContactInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_create(customer=customer, **serializer.validated_data)
        return Response(ContactOutputSerializer(contact).data, status=201)


class ContactDetailView(StaffCustomerView):
    staff_permissions = {
        "get": ["customers.view_contact"],
        "put": ["customers.change_contact"],
        "patch": ["customers.change_contact"],
        "delete": ["customers.delete_contact"],
    }

    def _contact(self, customer_id: str, contact_id: str):
        customer = services.customer_get(public_id=customer_id)
        return services.contact_get(customer=customer, public_id=contact_id)

    @extend_schema(
        operation_id="staff_contacts_retrieve", parameters=[_CUSTOMER_ID], responses=ContactOutputSerializer
    )
    def get(self, request, customer_id: str, contact_id: str):
        return Response(ContactOutputSerializer(self._contact(customer_id, contact_id)).data)

    def _update(self, request, customer_id, contact_id, *, partial):
        contact = self._contact(customer_id, contact_id)
        serializer = ContactUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_update(contact=contact, data=dict(serializer.validated_data))
        return Response(ContactOutputSerializer(contact).data)

    @extend_schema(
        operation_id="staff_contacts_update",
        parameters=[_CUSTOMER_ID],
        request=ContactUpdateSerializer,
        responses=ContactOutputSerializer,
    )
    def put(self, request, customer_id: str, contact_id: str):
        return self._update(request, customer_id, contact_id, partial=False)

    @extend_schema(
        operation_id="staff_contacts_partial_update",
        parameters=[_CUSTOMER_ID],
        request=ContactUpdateSerializer(partial=True),
        responses=ContactOutputSerializer,
    )
    def patch(self, request, customer_id: str, contact_id: str):
        return self._update(request, customer_id, contact_id, partial=True)

    @extend_schema(operation_id="staff_contacts_destroy", parameters=[_CUSTOMER_ID], responses={204: None})
    def delete(self, request, customer_id: str, contact_id: str):
        services.contact_delete(contact=self._contact(customer_id, contact_id))
        return Response(status=204)


class CreditCheckRunView(StaffCustomerView):
    staff_permissions = ["customers.add_creditcheck"]

    @extend_schema(
        operation_id="staff_customers_credit_check",
        parameters=[_CUSTOMER_ID, idempotency_header_parameter()],
        request=None,
        responses={201: CreditCheckOutputSerializer},
    )
    @idempotent
    def post(self, request, customer_id: str):
        customer = services.customer_get(public_id=customer_id)
        credit_check = services.credit_check_run(customer=customer, by=_actor(request))
        return Response(CreditCheckOutputSerializer(credit_check).data, status=201)


class CreditCheckDecisionView(APIView):
    """Only staff users with `customers.approve_credit`; no API key."""

    permission_classes = [IsStaffOrScopedKey]
    api_key_allowed = False
    staff_permissions = [services.APPROVE_PERMISSION]


class CreditCheckApproveView(CreditCheckDecisionView):
    @extend_schema(
        operation_id="credit_checks_approve",
        request=CreditCheckDecisionSerializer,
        responses=CreditCheckOutputSerializer,
    )
    def post(self, request, credit_check_id: str):
        serializer = CreditCheckDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        credit_check = services.credit_check_get(public_id=credit_check_id)
        credit_check = services.credit_check_approve(
            credit_check=credit_check, by=request.user, note=serializer.validated_data.get("note", "")
        )
        return Response(CreditCheckOutputSerializer(credit_check).data)


class CreditCheckRejectView(CreditCheckDecisionView):
    @extend_schema(
        operation_id="credit_checks_reject",
        request=CreditCheckRejectSerializer,
        responses=CreditCheckOutputSerializer,
    )
    def post(self, request, credit_check_id: str):
        serializer = CreditCheckRejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        credit_check = services.credit_check_get(public_id=credit_check_id)
        credit_check = services.credit_check_reject(
            credit_check=credit_check, by=request.user, note=serializer.validated_data["note"]
        )
        return Response(CreditCheckOutputSerializer(credit_check).data)
