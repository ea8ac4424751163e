"""The loyalty API: the customer's overview, activity and redemptions; the staff adjustment."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.callers import api_key_of
from config.api.idempotency import idempotency_header_parameter, idempotent
from config.api.permissions import IsCustomer, IsStaffOrScopedKey, customer_of
from customers.models import Customer
from loyalty import selectors, services
from loyalty.models import Reward
from loyalty.serializers import (
    AdjustInputSerializer,
    LedgerEntryOutputSerializer,
    LoyaltySummaryOutputSerializer,
    RedemptionOutputSerializer,
)


class LoyaltySummaryView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="customers_loyalty_retrieve",
        tags=["loyalty"],
        responses=LoyaltySummaryOutputSerializer,
        summary="The customer's tier, balances, latest activity, rewards and referrals",
    )
    def get(self, request):
        customer = customer_of(request)
        account = services.loyalty_account_ensure(customer=customer)
        summary = selectors.loyalty_summary(customer=customer, account=account)
        return Response(
            LoyaltySummaryOutputSerializer(LoyaltySummaryOutputSerializer.from_summary(summary)).data
        )


class LoyaltyActivityView(ListAPIView):
    permission_classes = [IsCustomer]
    serializer_class = LedgerEntryOutputSerializer

    def get_queryset(self):
        return selectors.ledger_for_customer(customer=customer_of(self.request))

    @extend_schema(
        operation_id="customers_loyalty_activity_list",
        tags=["loyalty"],
        summary="The customer's points and tokens ledger, newest first",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RewardRedeemView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="customers_loyalty_rewards_redeem",
        tags=["loyalty"],
        request=None,
        responses={201: RedemptionOutputSerializer},
        parameters=[idempotency_header_parameter()],
        summary="Spend points or tokens on a reward and get its coupon code",
    )
    def post(self, request, reward_id: str):
        return self.redeem(request, reward_id)

    @idempotent
    def redeem(self, request, reward_id: str):
        reward = get_object_or_404(Reward, public_id=reward_id)
        redemption = services.loyalty_reward_redeem(customer=customer_of(request), reward=reward)
        return Response(RedemptionOutputSerializer(redemption).data, status=status.HTTP_201_CREATED)


class LoyaltyAdjustView(APIView):
    permission_classes = [IsStaffOrScopedKey]
    api_key_scope = "loyalty"
    staff_permissions = ["loyalty.adjust_loyaltyaccount"]

    @extend_schema(
        operation_id="customers_loyalty_adjust",
        tags=["loyalty"],
        request=AdjustInputSerializer,
        responses={201: LedgerEntryOutputSerializer},
        summary="Staff: add or take points and/or tokens, with a reason",
    )
    def post(self, request, id: str):
        customer = get_object_or_404(Customer, public_id=id)
        serializer = AdjustInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        key = api_key_of(request)
        if key is not None:
            data["reason"] = f"{data['reason']} [API key: {key.name}]"
        by = None if key is not None else request.user
        entry = services.loyalty_balance_adjust(customer=customer, by=by, **data)
        return Response(LedgerEntryOutputSerializer(entry).data, status=status.HTTP_201_CREATED)
