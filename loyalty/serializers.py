"""Output and input shapes of the loyalty API."""

from rest_framework import serializers

from loyalty.models import LedgerEntry, Redemption, Referral, Reward


class LedgerEntryOutputSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id")

    class Meta:
        model = LedgerEntry
        fields = ["id", "type", "points", "tokens", "description", "order_number", "created_at"]
        read_only_fields = fields


class RewardOutputSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id")
    expires_at = serializers.DateTimeField(source="valid_until", allow_null=True)

    class Meta:
        model = Reward
        fields = ["id", "name", "description", "cost", "cost_unit", "expires_at"]
        read_only_fields = fields


class ReferralOutputSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id")
    date = serializers.DateTimeField(source="created_at")
    reward = serializers.IntegerField(source="reward_points", help_text="Points the referrer earns.")

    class Meta:
        model = Referral
        fields = ["id", "status", "date", "reward"]
        read_only_fields = fields


class NextTierSerializer(serializers.Serializer):
    name = serializers.CharField()
    threshold = serializers.IntegerField()
    points_needed = serializers.IntegerField()


class LoyaltySummaryOutputSerializer(serializers.Serializer):
    """The customer's loyalty overview."""

    membership_tier = serializers.CharField()
    tokens = serializers.IntegerField()
    loyalty_points = serializers.IntegerField(help_text="The balance, locked points included.")
    total_earned = serializers.IntegerField()
    total_redeemed = serializers.IntegerField()
    redeemable_points = serializers.IntegerField(
        help_text="The balance less points still in a return window."
    )
    next_tier = NextTierSerializer(allow_null=True, help_text="Null at the top tier.")
    transactions = LedgerEntryOutputSerializer(many=True, help_text="The latest 10 ledger entries.")
    available_rewards = RewardOutputSerializer(many=True)
    referral_code = serializers.CharField()
    referral_reward = serializers.IntegerField()
    referrals = ReferralOutputSerializer(many=True)

    @staticmethod
    def from_summary(summary) -> dict:
        account, status = summary.account, summary.status
        return {
            "membership_tier": status.tier.name,
            "tokens": account.tokens_balance,
            "loyalty_points": account.points_balance,
            "total_earned": account.lifetime_earned,
            "total_redeemed": account.lifetime_redeemed,
            "redeemable_points": account.redeemable_points,
            "next_tier": None
            if status.next_tier is None
            else {
                "name": status.next_tier.name,
                "threshold": status.next_tier.threshold,
                "points_needed": status.points_needed,
            },
            "transactions": summary.transactions,
            "available_rewards": summary.rewards,
            "referral_code": account.referral_code,
            "referral_reward": summary.referral_reward,
            "referrals": summary.referrals,
        }


class RedemptionOutputSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id")
    reward = RewardOutputSerializer()

    class Meta:
        model = Redemption
        fields = ["id", "reward", "code", "points_spent", "tokens_spent", "created_at"]
        read_only_fields = fields


class AdjustInputSerializer(serializers.Serializer):
    points = serializers.IntegerField(required=False, default=0, min_value=-1_000_000, max_value=1_000_000)
    tokens = serializers.IntegerField(required=False, default=0, min_value=-1_000_000, max_value=1_000_000)
    reason = serializers.CharField(max_length=255)

    def validate(self, attrs):
        if not attrs["points"] and not attrs["tokens"]:
            raise serializers.ValidationError({"points": ["Give points or tokens (or both) to adjust."]})
        return attrs
