"""Loyalty accounts, the append-only points ledger, tiers, rewards, redemptions and referrals."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from config.fields import PublicIdField


class Tier(models.Model):
    """A membership tier reached by the points earned in the last 12 months."""

    name = models.CharField(max_length=32, unique=True)
    threshold = models.PositiveIntegerField(unique=True, help_text="Points earned in the last 12 months.")
    earn_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.00"))

    class Meta:
        ordering = ["threshold"]
        constraints = [
            models.CheckConstraint(condition=Q(earn_multiplier__gt=0), name="loyalty_tier_multiplier_gt_0"),
        ]

    def __str__(self):
        return f"{self.name} (from {self.threshold} points, ×{self.earn_multiplier})"


class LoyaltyAccount(models.Model):
    """A customer's balances; they change only together with a ledger row, under a row lock."""

    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="loyalty_account"
    )
    referral_code = models.CharField(max_length=16, unique=True)
    points_balance = models.IntegerField(default=0)
    locked_points = models.IntegerField(
        default=0, help_text="Part of the balance earned on orders still inside their return window."
    )
    tokens_balance = models.IntegerField(default=0)
    lifetime_earned = models.IntegerField(default=0)
    lifetime_redeemed = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(points_balance__gte=0), name="loyalty_account_points_gte_0"),
            models.CheckConstraint(condition=Q(tokens_balance__gte=0), name="loyalty_account_tokens_gte_0"),
            models.CheckConstraint(
                condition=Q(locked_points__gte=0) & Q(locked_points__lte=F("points_balance")),
                name="loyalty_account_locked_within_balance",
            ),
            models.CheckConstraint(
                condition=Q(lifetime_earned__gte=0) & Q(lifetime_redeemed__gte=0),
                name="loyalty_account_lifetime_gte_0",
            ),
        ]
        permissions = [("adjust_loyaltyaccount", "Can adjust loyalty points and tokens")]

    def __str__(self):
        return f"Loyalty account of customer {self.customer_id}"

    @property
    def redeemable_points(self) -> int:
        return self.points_balance - self.locked_points


class LedgerQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused too: the ledger is append-only."""

    def update(self, **kwargs):
        raise RuntimeError("Ledger entries are append-only and cannot be changed.")

    def delete(self):
        raise RuntimeError("Ledger entries are append-only and cannot be deleted.")


class LedgerEntry(models.Model):
    """One posting of points and/or tokens. Rows are written once and never changed or deleted."""

    class Type(models.TextChoices):
        EARN = "earn", "Earned"
        REDEEM = "redeem", "Redeemed"
        REVERSE = "reverse", "Reversed"
        ADJUST = "adjust", "Adjusted"
        REFERRAL = "referral", "Referral"
        EXPIRE = "expire", "Expired"

    public_id = PublicIdField(prefix="txn")
    # PROTECT: a customer with a ledger is erased (anonymised), never deleted, so the ledger stays whole.
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    type = models.CharField(max_length=16, choices=Type.choices)
    points = models.IntegerField(default=0)
    tokens = models.IntegerField(default=0)
    shortfall_points = models.PositiveIntegerField(
        default=0, help_text="Points a reversal should have taken back but the balance no longer held."
    )
    description = models.CharField(max_length=255)
    order_number = models.CharField(max_length=32, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The staff user who made an adjustment.",
    )
    idempotency_key = models.CharField(max_length=128, unique=True)
    available_at = models.DateTimeField(
        null=True, blank=True, help_text="Earned points are locked until then (the order's return window)."
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "ledger entries"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-created_at", "-id"], name="loyalty_ledger_by_customer"),
            models.Index(fields=["customer", "type", "created_at"], name="loyalty_ledger_by_type"),
            # The expiry job looks for old credits across all customers.
            models.Index(fields=["created_at"], condition=Q(points__gt=0), name="loyalty_ledger_credits"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(points=0) | ~Q(tokens=0) | Q(shortfall_points__gt=0),
                name="loyalty_ledger_moves_something",
            ),
        ]

    def __str__(self):
        return f"{self.type} {self.points:+d} points {self.tokens:+d} tokens"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise RuntimeError("Ledger entries are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Ledger entries are append-only and cannot be deleted.")


class OrderEarning(models.Model):
    """The points earned on one order: how many are still locked, and how many were reversed."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="order_earnings"
    )
    order_number = models.CharField(max_length=32, unique=True)
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="order_earning")
    paid_total = models.DecimalField(max_digits=12, decimal_places=2)
    points_earned = models.PositiveIntegerField()
    points_reversed = models.PositiveIntegerField(default=0)
    locked_points = models.PositiveIntegerField(default=0)
    available_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(points_reversed__lte=F("points_earned")),
                name="loyalty_earning_reversed_lte_earned",
            ),
            models.CheckConstraint(
                condition=Q(locked_points__lte=F("points_earned") - F("points_reversed")),
                name="loyalty_earning_locked_lte_net",
            ),
        ]
        indexes = [
            models.Index(
                fields=["available_at"],
                condition=Q(released_at__isnull=True),
                name="loyalty_earning_to_release",
            ),
        ]

    def __str__(self):
        return f"{self.points_earned} points on {self.order_number}"


class Reward(models.Model):
    """Something a customer can buy with points or tokens."""

    class CostUnit(models.TextChoices):
        POINTS = "points", "Points"
        TOKENS = "tokens", "Tokens"

    public_id = PublicIdField(prefix="rew")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    cost = models.PositiveIntegerField()
    cost_unit = models.CharField(max_length=8, choices=CostUnit.choices, default=CostUnit.POINTS)
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    stock = models.PositiveIntegerField(null=True, blank=True, help_text="Empty for unlimited.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cost", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gt=0), name="loyalty_reward_cost_gt_0"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gt=F("valid_from")),
                name="loyalty_reward_window_ordered",
            ),
        ]
        indexes = [models.Index(fields=["is_active", "valid_until"], name="loyalty_reward_available")]

    def __str__(self):
        return f"{self.name} ({self.cost} {self.cost_unit})"

    def is_available(self, at=None) -> bool:
        at = at or timezone.now()
        return (
            self.is_active
            and (self.valid_from is None or self.valid_from <= at)
            and (self.valid_until is None or self.valid_until > at)
            and (self.stock is None or self.stock > 0)
        )


class Redemption(models.Model):
    """A reward bought by a customer, with the coupon code that claims it."""

    public_id = PublicIdField(prefix="red")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="redemptions")
    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions")
    code = models.CharField(max_length=32, unique=True)
    points_spent = models.PositiveIntegerField(default=0)
    tokens_spent = models.PositiveIntegerField(default=0)
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="redemption")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["customer", "-created_at"], name="loyalty_redemption_by_customer")]

    def __str__(self):
        return f"{self.reward.name}: {self.code}"


class Referral(models.Model):
    """A referee who registered with a referrer's code; completed by the referee's first delivery."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        COMPLETED = "completed", "Completed"

    public_id = PublicIdField(prefix="refl")
    referrer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="referrals_made"
    )
    referee = models.OneToOneField("customers.Customer", on_delete=models.CASCADE, related_name="referral")
    referee_mailbox_hash = models.CharField(
        max_length=64,
        unique=True,
        help_text="SHA-256 of the referee's mailbox without +tags: one referral each.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    reward_points = models.PositiveIntegerField()
    order_number = models.CharField(max_length=32, blank=True)
    entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="referral"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["referrer", "-created_at"], name="loyalty_referral_by_referrer")]
        constraints = [
            models.CheckConstraint(condition=~Q(referrer=F("referee")), name="loyalty_referral_not_self"),
            models.CheckConstraint(
                condition=Q(status="pending", entry__isnull=True, completed_at__isnull=True)
                | Q(status="completed", entry__isnull=False, completed_at__isnull=False),
                name="loyalty_referral_status_consistent",
            ),
        ]

    def __str__(self):
        return f"Referral {self.public_id} ({self.status})"
