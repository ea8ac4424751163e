"""The address book API: the customer's own ("me") routes and the staff routes, one service layer.

- `GET, POST /api/customers/addresses`, `GET, PATCH, PUT, DELETE /api/customers/addresses/{id}`
  (customer JWT; another customer's address is 404).
- `GET, POST /api/customers/{id}/addresses`, `GET, PATCH, PUT, DELETE
  /api/customers/{id}/addresses/{address_id}` (staff with the address permissions, or an API key
  with `customers:read` / `customers:write`; an unknown customer is 404).
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from config.api.permissions import IsCustomer, IsStaffOrScopedKey, customer_of
from config.errors import NotFound
from customers.models import Address, Customer
from customers.selectors.addresses import address_get_for_customer, address_list_for_customer
from customers.serializers.addresses import AddressInputSerializer, AddressOutputSerializer
from customers.services.addresses import ADDRESS_FIELDS, address_create, address_delete, address_update

STAFF_PERMISSIONS = {
    "get": ["customers.view_address"],
    "post": ["customers.add_address"],
    "put": ["customers.change_address"],
    "patch": ["customers.change_address"],
    "delete": ["customers.delete_address"],
}
CUSTOMER_ID = OpenApiParameter("id", str, OpenApiParameter.PATH, description="The customer's id (`cust_…`).")
ADDRESS_ID = OpenApiParameter(
    "address_id", str, OpenApiParameter.PATH, description="The address id (`addr_…`)."
)
ME_ADDRESS_ID = OpenApiParameter("id", str, OpenApiParameter.PATH, description="The address id (`addr_…`).")


class _AddressBookMixin:
    """Whose address book the request works on; subclasses decide (the caller, or a path id)."""

    serializer_class = AddressOutputSerializer
    queryset = Address.objects.none()  # for the schema generator; requests use the selectors

    def address_book_owner(self) -> Customer:
        raise NotImplementedError


class _StaffMixin(_AddressBookMixin):
    permission_classes = [IsStaffOrScopedKey]
    api_key_scope = "customers"
    staff_permissions = STAFF_PERMISSIONS

    def address_book_owner(self) -> Customer:
        customer = Customer.objects.filter(public_id=self.kwargs["id"]).first()
        if customer is None:
            raise NotFound("No such customer.")
        return customer


class _MeMixin(_AddressBookMixin):
    permission_classes = [IsCustomer]
    address_kwarg = "id"

    def address_book_owner(self) -> Customer:
        return customer_of(self.request)


class _AddressListBase(_AddressBookMixin, GenericAPIView):
    def get_queryset(self):
        return address_list_for_customer(customer=self.address_book_owner())

    def get(self, request, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AddressOutputSerializer(page, many=True).data)

    def post(self, request, **kwargs):
        customer = self.address_book_owner()
        serializer = AddressInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        address = address_create(customer=customer, data=serializer.validated_data)
        return Response(AddressOutputSerializer(address).data, status=status.HTTP_201_CREATED)


class _AddressDetailBase(_AddressBookMixin, GenericAPIView):
    address_kwarg = "address_id"

    def get_object(self):
        return address_get_for_customer(
            customer=self.address_book_owner(), public_id=self.kwargs[self.address_kwarg]
        )

    def get(self, request, **kwargs):
        return Response(AddressOutputSerializer(self.get_object()).data)

    def put(self, request, **kwargs):
        return self._update(request, partial=False)

    def patch(self, request, **kwargs):
        return self._update(request, partial=True)

    def delete(self, request, **kwargs):
        address_delete(address=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _update(self, request, *, partial: bool):
        address = self.get_object()
        serializer = AddressInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if not partial:
            # PUT replaces the address: what is not sent is blank. The default flags are not part
            # of the address itself, so leaving them out keeps them as they are.
            data = {field: data.get(field, "") for field in ADDRESS_FIELDS} | {
                key: value for key, value in data.items() if key.startswith("is_default_")
            }
        address = address_update(address=address, data=data)
        return Response(AddressOutputSerializer(address).data)


_LIST_DOCS = {
    "get": {
        "summary": "List the address book",
        "description": "Defaults first (billing, then shipping), then the most recently updated.",
        "responses": AddressOutputSerializer(many=True),
    },
    "post": {
        "summary": "Add an address",
        "description": "Validated per country. The first address becomes default billing and shipping; "
        "an address already in the book (after normalisation) is 409 with its id in "
        "`details.address_id`.",
        "request": AddressInputSerializer,
        "responses": {201: AddressOutputSerializer},
    },
}
_DETAIL_DOCS = {
    "get": {"summary": "One address", "responses": AddressOutputSerializer},
    "put": {
        "summary": "Replace an address",
        "description": "Fields left out become blank; default flags left out keep their value.",
        "request": AddressInputSerializer,
        "responses": AddressOutputSerializer,
    },
    "patch": {
        "summary": "Change an address",
        "description": "Only the fields sent change. `is_default_*: true` makes it that default; false "
        "on the current default is 409 (make another address the default instead).",
        "request": AddressInputSerializer,
        "responses": AddressOutputSerializer,
    },
    "delete": {
        "summary": "Delete an address",
        "description": "A default it held goes to the most recently updated remaining address.",
        "request": None,
        "responses": {204: None},
    },
}
_VERBS = {"post": "create", "put": "update", "patch": "partial_update", "delete": "destroy"}


def _docs(docs: dict, *, tag: str, prefix: str, parameters: list, many: bool) -> dict:
    """`extend_schema_view` arguments: one documented operation per method, with a unique id."""

    def operation_id(method: str) -> str:
        verb = ("list" if many else "retrieve") if method == "get" else _VERBS[method]
        return f"{prefix}_{verb}"

    return {
        method: extend_schema(tags=[tag], operation_id=operation_id(method), parameters=parameters, **kwargs)
        for method, kwargs in docs.items()
    }


@extend_schema_view(**_docs(_LIST_DOCS, tag="addresses", prefix="addresses", parameters=[], many=True))
class AddressListView(_MeMixin, _AddressListBase):
    """The caller's address book."""


@extend_schema_view(
    **_docs(_DETAIL_DOCS, tag="addresses", prefix="addresses", parameters=[ME_ADDRESS_ID], many=False)
)
class AddressDetailView(_MeMixin, _AddressDetailBase):
    """One address of the caller's book."""


@extend_schema_view(
    **_docs(
        _LIST_DOCS, tag="staff: addresses", prefix="customer_addresses", parameters=[CUSTOMER_ID], many=True
    )
)
class StaffAddressListView(_StaffMixin, _AddressListBase):
    """A customer's address book, for staff and integrations."""


@extend_schema_view(
    **_docs(
        _DETAIL_DOCS,
        tag="staff: addresses",
        prefix="customer_addresses",
        parameters=[CUSTOMER_ID, ADDRESS_ID],
        many=False,
    )
)
class StaffAddressDetailView(_StaffMixin, _AddressDetailBase):
    """One address of a customer's book, for staff and integrations."""
