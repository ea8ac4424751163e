"""`/api/customers/bank-accounts`: the customer's saved accounts for bank-transfer refunds."""

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.pagination import PagePagination
from config.api.permissions import IsCustomer, customer_of
from customers.models import BankAccount
from customers.serializers.bank_accounts import BankAccountInputSerializer, BankAccountOutputSerializer
from customers.services.bank_accounts import bank_account_create, bank_account_delete


class BankAccountListCreateView(GenericAPIView):
    permission_classes = [IsCustomer]
    pagination_class = PagePagination
    filter_backends: list = []

    @extend_schema(
        operation_id="customers_bank_accounts_list", responses=BankAccountOutputSerializer(many=True)
    )
    def get(self, request):
        queryset = BankAccount.objects.filter(customer=customer_of(request)).order_by("-created_at", "-id")
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(BankAccountOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="customers_bank_accounts_create",
        request=BankAccountInputSerializer,
        responses={201: BankAccountOutputSerializer},
    )
    def post(self, request):
        serializer = BankAccountInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account = bank_account_create(customer=customer_of(request), **serializer.validated_data)
        return Response(BankAccountOutputSerializer(account).data, status=201)


class BankAccountDetailView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(operation_id="customers_bank_accounts_destroy", request=None, responses={204: None})
    def delete(self, request, bank_account_id: str):
        bank_account_delete(customer=customer_of(request), public_id=bank_account_id)
        return Response(status=204)
