"""Reads of the loyalty app: tiers, balances, activity, rewards and referrals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from loyalty.models import LedgerEntry, LoyaltyAccount, Redemption, Referral, Reward, Tier

TIER_WINDOW = timedelta(days=365)

# Points that count towards a tier: earned (orders, referrals), less what was reversed on orders.
TIER_POINTS_FILTER = Q(type__in=[LedgerEntry.Type.EARN, LedgerEntry.Type.REFERRAL]) | Q(
    type=LedgerEntry.Type.REVERSE, points__lt=0
)


@dataclass(frozen=True)
class TierStatus:
    tier: Tier
    tier_points: int
    next_tier: Tier | None

    @property
    def points_needed(self) -> int | None:
        if self.next_tier is None:
            return None
        return max(0, self.next_tier.threshold - self.tier_points)


BASE_TIER = Tier(name="member", threshold=0, earn_multiplier=Decimal("1.00"))


def tier_list() -> list[Tier]:
    """Every tier, lowest threshold first (the base tier when none are configured)."""
    return list(Tier.objects.order_by("threshold")) or [BASE_TIER]


def tier_for_points(*, points: int, tiers: list[Tier]) -> tuple[Tier, Tier | None]:
    """The tier reached with `points` and the one after it (None at the top)."""
    current, following = tiers[0], None
    for tier in tiers:
        if tier.threshold <= points:
            current = tier
        elif following is None:
            following = tier
    return current, following


def tier_points_for_customers(*, customer_ids: list[int], now: datetime | None = None) -> dict[int, int]:
    """Points earned in the last 12 months per customer, in one query."""
    since = (now or timezone.now()) - TIER_WINDOW
    rows = (
        LedgerEntry.objects.filter(customer_id__in=customer_ids, created_at__gte=since)
        .filter(TIER_POINTS_FILTER)
        .values("customer_id")
        .annotate(total=Sum("points"))
    )
    totals = {row["customer_id"]: max(0, row["total"] or 0) for row in rows}
    return {pk: totals.get(pk, 0) for pk in customer_ids}


def accounts_with_tier_points(
    *, customer_ids: list[int], now: datetime | None = None
) -> dict[int, LoyaltyAccount]:
    """The existing accounts of these customers, each with `tier_points` (the same figure as
    `tier_points_for_customers`) computed by a correlated subquery: one query for both."""
    since = (now or timezone.now()) - TIER_WINDOW
    earned = (
        LedgerEntry.objects.filter(customer_id=OuterRef("customer_id"), created_at__gte=since)
        .filter(TIER_POINTS_FILTER)
        .order_by()
        .values("customer_id")
        .annotate(total=Sum("points"))
        .values("total")[:1]
    )
    accounts = {}
    for account in LoyaltyAccount.objects.filter(customer_id__in=customer_ids).annotate(
        _earned=Subquery(earned)
    ):
        account.tier_points = max(0, account._earned or 0)
        accounts[account.customer_id] = account
    return accounts


def tier_status_for_customers(
    *, customer_ids: list[int], now: datetime | None = None
) -> dict[int, TierStatus]:
    """Each customer's tier, tier points and next tier (two queries for any number of customers)."""
    tiers = tier_list()
    points = tier_points_for_customers(customer_ids=customer_ids, now=now)
    out = {}
    for pk in customer_ids:
        current, following = tier_for_points(points=points[pk], tiers=tiers)
        out[pk] = TierStatus(tier=current, tier_points=points[pk], next_tier=following)
    return out


def tier_status_for_customer(*, customer, now: datetime | None = None) -> TierStatus:
    return tier_status_for_customers(customer_ids=[customer.pk], now=now)[customer.pk]


def ledger_for_customer(*, customer) -> QuerySet[LedgerEntry]:
    """The customer's ledger, newest first."""
    return LedgerEntry.objects.filter(customer=customer).order_by("-created_at", "-id")


def rewards_available(*, now: datetime | None = None) -> QuerySet[Reward]:
    """Rewards that can be redeemed now: active, inside their window, in stock."""
    now = now or timezone.now()
    return (
        Reward.objects.filter(is_active=True)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=now))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .filter(Q(stock__isnull=True) | Q(stock__gt=0))
        .order_by("cost_unit", "cost", "id")
    )


def referrals_for_customer(*, customer) -> QuerySet[Referral]:
    """Referrals the customer made, newest first."""
    return Referral.objects.filter(referrer=customer).order_by("-created_at", "-id")


def redemptions_for_customer(*, customer) -> QuerySet[Redemption]:
    return (
        Redemption.objects.filter(customer=customer).select_related("reward").order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class LoyaltySummary:
    account: LoyaltyAccount
    status: TierStatus
    transactions: list[LedgerEntry]
    rewards: list[Reward]
    referrals: list[Referral]
    referral_reward: int


def loyalty_summary(*, customer, account: LoyaltyAccount) -> LoyaltySummary:
    """Everything the loyalty overview shows, in a fixed number of queries."""
    return LoyaltySummary(
        account=account,
        status=tier_status_for_customer(customer=customer),
        transactions=list(ledger_for_customer(customer=customer)[:10]),
        rewards=list(rewards_available()),
        referrals=list(referrals_for_customer(customer=customer)),
        referral_reward=settings.LOYALTY_REFERRAL_REWARD,
    )


@dataclass(frozen=True)
class LedgerMismatch:
    customer_id: int
    field: str
    stored: int
    expected: int


def ledger_mismatches() -> list[LedgerMismatch]:
    """Accounts whose balances differ from the sums of their ledger (and locks), for check_ledger."""
    from loyalty.models import OrderEarning

    sums = {
        row["customer_id"]: row
        for row in LedgerEntry.objects.values("customer_id").annotate(
            points=Sum("points"), tokens=Sum("tokens")
        )
    }
    locks = {
        row["customer_id"]: row["locked"]
        for row in OrderEarning.objects.filter(released_at__isnull=True)
        .values("customer_id")
        .annotate(locked=Sum("locked_points"))
    }
    found = []
    for account in LoyaltyAccount.objects.order_by("customer_id").iterator():
        row = sums.get(account.customer_id, {})
        expected = {
            "points_balance": row.get("points") or 0,
            "tokens_balance": row.get("tokens") or 0,
            "locked_points": locks.get(account.customer_id) or 0,
        }
        for field, value in expected.items():
            stored = getattr(account, field)
            if stored != value:
                found.append(LedgerMismatch(account.customer_id, field, stored, value))
    return found


def customers_in_tier(queryset, tier_name: str, *, now: datetime | None = None):
    """Filter a Customer queryset to one membership tier, computed in the database.

    A customer's tier follows the points earned in the last 12 months (as the profile shows it),
    so the filter annotates that sum with a subquery and keeps the tier's threshold band.
    An unknown tier name matches nobody.
    """
    from django.db.models import IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    tiers = tier_list()
    names = [tier.name for tier in tiers]
    if tier_name not in names:
        return queryset.none()
    index = names.index(tier_name)
    low = tiers[index].threshold if index else None  # the base tier starts at nothing earned
    high = tiers[index + 1].threshold if index + 1 < len(tiers) else None
    since = (now or timezone.now()) - TIER_WINDOW
    earned = (
        LedgerEntry.objects.filter(customer_id=OuterRef("pk"), created_at__gte=since)
        .filter(TIER_POINTS_FILTER)
        .order_by()
        .values("customer_id")
        .annotate(total=Sum("points"))
        .values("total")
    )
    queryset = queryset.annotate(
        tier_points=Coalesce(Subquery(earned, output_field=IntegerField()), Value(0))
    )
    if low is not None:
        queryset = queryset.filter(tier_points__gte=low)
    if high is not None:
        queryset = queryset.filter(tier_points__lt=high)
    return queryset
