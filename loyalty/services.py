"""Every write of the loyalty app.

Balances change only here, in the same transaction as the ledger row that explains them, under a
row lock on the account (`select_for_update`, then `F()` updates). Locks are taken in one order:
the customer's account, then the rows of that customer (order earnings, referrals), then the
reward. Every posting has a unique idempotency key, so the same event never posts twice.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from config.errors import Conflict, ValidationFailed
from config.fields import new_public_id
from integrations import events
from integrations.services import record_event
from loyalty.models import LedgerEntry, LoyaltyAccount, OrderEarning, Redemption, Referral, Reward
from loyalty.selectors import tier_status_for_customer

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed


def _random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


class _DuplicatePosting(Exception):
    """The idempotency key was already posted (a concurrent writer won)."""


# Accounts


def loyalty_account_ensure(*, customer) -> LoyaltyAccount:
    """The customer's loyalty account, opened with a fresh referral code when missing."""
    account = LoyaltyAccount.objects.filter(customer=customer).first()
    if account is not None:
        return account
    for _ in range(5):
        try:
            with transaction.atomic():
                return LoyaltyAccount.objects.create(customer=customer, referral_code=_random_code(8))
        except IntegrityError:
            account = LoyaltyAccount.objects.filter(customer=customer).first()
            if account is not None:
                return account
    raise Conflict("Could not open a loyalty account, please try again.")


def loyalty_accounts_ensure(*, customers: list) -> dict[int, LoyaltyAccount]:
    """The accounts of many customers, opening the missing ones in one insert."""
    ids = [c.pk for c in customers]
    accounts = {a.customer_id: a for a in LoyaltyAccount.objects.filter(customer_id__in=ids)}
    missing = [c for c in customers if c.pk not in accounts]
    if missing:
        LoyaltyAccount.objects.bulk_create(
            [LoyaltyAccount(customer=c, referral_code=_random_code(8)) for c in missing],
            ignore_conflicts=True,
        )
        for account in LoyaltyAccount.objects.filter(customer_id__in=[c.pk for c in missing]):
            accounts[account.customer_id] = account
        for c in missing:
            if c.pk not in accounts:  # a referral-code collision skipped the row
                accounts[c.pk] = loyalty_account_ensure(customer=c)
    return accounts


def _locked_account(customer) -> LoyaltyAccount:
    account = loyalty_account_ensure(customer=customer)
    return LoyaltyAccount.objects.select_for_update().get(pk=account.pk)


def _post(
    account: LoyaltyAccount,
    *,
    type: str,
    key: str,
    description: str,
    points: int = 0,
    tokens: int = 0,
    shortfall: int = 0,
    order_number: str = "",
    created_by=None,
    available_at: datetime | None = None,
    locked_delta: int = 0,
    earned_delta: int = 0,
    redeemed_delta: int = 0,
) -> LedgerEntry:
    """Write one ledger row and move the locked account's balances by the same amounts."""
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                customer_id=account.customer_id,
                type=type,
                points=points,
                tokens=tokens,
                shortfall_points=shortfall,
                description=description[:255],
                order_number=order_number,
                created_by=created_by,
                idempotency_key=key,
                available_at=available_at,
            )
    except IntegrityError:
        if LedgerEntry.objects.filter(idempotency_key=key).exists():
            raise _DuplicatePosting(key)
        raise
    LoyaltyAccount.objects.filter(pk=account.pk).update(
        points_balance=F("points_balance") + points,
        tokens_balance=F("tokens_balance") + tokens,
        locked_points=F("locked_points") + locked_delta,
        lifetime_earned=F("lifetime_earned") + earned_delta,
        lifetime_redeemed=F("lifetime_redeemed") + redeemed_delta,
        updated_at=timezone.now(),
    )
    account.refresh_from_db(
        fields=["points_balance", "tokens_balance", "locked_points", "lifetime_earned", "lifetime_redeemed"]
    )
    return entry


def _points_earned_record(entry: LedgerEntry, *, customer) -> None:
    """`loyalty.points_earned`: the entry as the activity route lists it, with `customer_id`.

    Recorded for the entries that add to `lifetime_earned`: `earn` (a delivered order) and
    `referral` (the referrer's reward). Staff adjustments are corrections, not earnings.
    """
    from loyalty.serializers import LedgerEntryOutputSerializer

    data = dict(LedgerEntryOutputSerializer(entry).data)
    data["customer_id"] = customer.public_id
    record_event(events.LOYALTY_POINTS_EARNED, data)


# Orders (called by orders.services; loyalty never imports orders)


def _require_order_number(order_number: str) -> str:
    order_number = (order_number or "").strip()
    if not order_number:
        raise ValidationFailed.on("order_number", "An order number is required.")
    return order_number


def loyalty_points_for_amount(*, amount: Decimal, multiplier: Decimal) -> int:
    """Points for a paid amount: amount × LOYALTY_EARN_RATE × the tier's multiplier, rounded down."""
    raw = Decimal(amount) * Decimal(settings.LOYALTY_EARN_RATE) * Decimal(multiplier)
    return int(raw.to_integral_value(rounding=ROUND_FLOOR))


@transaction.atomic
def loyalty_points_earn_for_order(
    *,
    customer,
    order_number: str,
    paid_total: Decimal,
    delivered_at: datetime,
    return_window_days: int,
) -> LedgerEntry | None:
    """Post the points of a delivered order, once; None when already posted or nothing is earned.

    The points are locked (in the balance, not redeemable) until the return window ends.
    """
    order_number = _require_order_number(order_number)
    paid_total = Decimal(paid_total)
    if paid_total < 0:
        raise ValidationFailed.on("paid_total", "The paid total cannot be negative.")
    if return_window_days < 0:
        raise ValidationFailed.on("return_window_days", "The return window cannot be negative.")
    key = f"order:{order_number}:earn"
    account = _locked_account(customer)
    if LedgerEntry.objects.filter(idempotency_key=key).exists():
        return None
    status = tier_status_for_customer(customer=customer)
    points = loyalty_points_for_amount(amount=paid_total, multiplier=status.tier.earn_multiplier)
    if points <= 0:
        return None
    now = timezone.now()
    available_at = delivered_at + timedelta(days=return_window_days)
    locked = points if available_at > now else 0
    try:
        entry = _post(
            account,
            type=LedgerEntry.Type.EARN,
            key=key,
            points=points,
            order_number=order_number,
            description=f"Points earned on order {order_number}",
            available_at=available_at,
            locked_delta=locked,
            earned_delta=points,
        )
    except _DuplicatePosting:
        return None
    OrderEarning.objects.create(
        customer=customer,
        order_number=order_number,
        entry=entry,
        paid_total=paid_total,
        points_earned=points,
        locked_points=locked,
        available_at=available_at,
        released_at=None if locked else now,
    )
    _points_earned_record(entry, customer=customer)
    return entry


@transaction.atomic
def loyalty_points_reverse_for_order(
    *, customer, order_number: str, amount: Decimal, reason: str, key_suffix: str
) -> LedgerEntry | None:
    """Take back the points earned on `amount` of an order (cancelled, or items returned).

    The share is points_earned × amount / paid_total, at most what is left of the order's points.
    Locked points of the order go first; beyond them only what the balance still holds is taken
    and the rest is recorded as `shortfall_points`. None when nothing was earned on the order or
    this `key_suffix` was already reversed.
    """
    order_number = _require_order_number(order_number)
    key_suffix = (key_suffix or "").strip()
    if not key_suffix:
        raise ValidationFailed.on("key_suffix", "A key suffix (e.g. `cancel`, `return:ret_…`) is required.")
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationFailed.on("amount", "The amount must be positive.")
    key = f"order:{order_number}:reverse:{key_suffix}"
    account = _locked_account(customer)
    if LedgerEntry.objects.filter(idempotency_key=key).exists():
        return None
    earning = (
        OrderEarning.objects.select_for_update().filter(customer=customer, order_number=order_number).first()
    )
    if earning is None:
        return None
    remaining = earning.points_earned - earning.points_reversed
    if amount >= earning.paid_total:
        wanted = remaining
    else:
        share = Decimal(earning.points_earned) * amount / earning.paid_total
        wanted = min(remaining, int(share.to_integral_value(rounding=ROUND_HALF_UP)))
    if wanted <= 0:
        return None
    from_locked = min(wanted, earning.locked_points)
    from_balance = min(wanted - from_locked, account.redeemable_points)
    taken = from_locked + from_balance
    shortfall = wanted - taken
    description = (reason or "").strip() or f"Points reversed on order {order_number}"
    if shortfall:
        description = f"{description} ({shortfall} points could not be taken back)"
    try:
        entry = _post(
            account,
            type=LedgerEntry.Type.REVERSE,
            key=key,
            points=-taken,
            shortfall=shortfall,
            order_number=order_number,
            description=description,
            locked_delta=-from_locked,
            earned_delta=-min(wanted, account.lifetime_earned),
        )
    except _DuplicatePosting:
        return None
    earning.points_reversed += wanted
    earning.locked_points -= from_locked
    earning.save(update_fields=["points_reversed", "locked_points"])
    return entry


@transaction.atomic
def loyalty_points_spend_for_order(*, customer, order_number: str, points: int) -> LedgerEntry:
    """Spend redeemable points as an order's discount (a `redeem` entry), once per order; 409 when short."""
    order_number = _require_order_number(order_number)
    if points <= 0:
        raise ValidationFailed.on("points", "Must be 1 or more.")
    key = f"order:{order_number}:redeem"
    account = _locked_account(customer)
    existing = LedgerEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    if account.redeemable_points < points:
        raise Conflict(
            f"Not enough points: {points} requested, {account.redeemable_points} redeemable.",
            details={"points": ["More than the redeemable balance."]},
        )
    return _post(
        account,
        type=LedgerEntry.Type.REDEEM,
        key=key,
        points=-points,
        order_number=order_number,
        description=f"Points spent on order {order_number}",
        redeemed_delta=points,
    )


@transaction.atomic
def loyalty_points_refund_for_order(*, customer, order_number: str, reason: str = "") -> LedgerEntry | None:
    """Give back the points spent on an order that was cancelled; None when none were spent or already given back."""
    order_number = _require_order_number(order_number)
    account = _locked_account(customer)
    spent = LedgerEntry.objects.filter(
        idempotency_key=f"order:{order_number}:redeem", customer=customer
    ).first()
    key = f"order:{order_number}:redeem-refund"
    if spent is None or LedgerEntry.objects.filter(idempotency_key=key).exists():
        return None
    try:
        return _post(
            account,
            type=LedgerEntry.Type.REVERSE,
            key=key,
            points=-spent.points,
            order_number=order_number,
            description=(reason or "").strip() or f"Points given back for order {order_number}",
            redeemed_delta=-min(-spent.points, account.lifetime_redeemed),
        )
    except _DuplicatePosting:
        return None


# Locks and expiry (Celery beat and management commands)


def loyalty_points_release(*, now: datetime | None = None) -> int:
    """Unlock the points of orders whose return window has ended; returns how many points."""
    now = now or timezone.now()
    customer_ids = sorted(
        set(
            OrderEarning.objects.filter(released_at__isnull=True, available_at__lte=now).values_list(
                "customer_id", flat=True
            )
        )
    )
    return sum(_release_for_customer(customer_id=pk, now=now) for pk in customer_ids)


@transaction.atomic
def _release_for_customer(*, customer_id: int, now: datetime) -> int:
    account = LoyaltyAccount.objects.select_for_update().get(customer_id=customer_id)
    earnings = list(
        OrderEarning.objects.select_for_update()
        .filter(customer_id=customer_id, released_at__isnull=True, available_at__lte=now)
        .order_by("pk")
    )
    total = sum(e.locked_points for e in earnings)
    OrderEarning.objects.filter(pk__in=[e.pk for e in earnings]).update(locked_points=0, released_at=now)
    if total:
        LoyaltyAccount.objects.filter(pk=account.pk).update(
            locked_points=F("locked_points") - total, updated_at=now
        )
    return total


def loyalty_points_expire(*, now: datetime | None = None) -> int:
    """Expire points older than LOYALTY_POINTS_EXPIRE_DAYS for every account; returns how many points."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.LOYALTY_POINTS_EXPIRE_DAYS)
    customer_ids = sorted(
        set(
            LedgerEntry.objects.filter(
                points__gt=0, created_at__lt=cutoff, customer__loyalty_account__points_balance__gt=0
            ).values_list("customer_id", flat=True)
        )
    )
    from customers.models import Customer

    total = 0
    for customer in Customer.objects.filter(pk__in=customer_ids).order_by("pk"):
        entry = loyalty_points_expire_for_customer(customer=customer, now=now)
        total += -entry.points if entry else 0
    return total


@transaction.atomic
def loyalty_points_expire_for_customer(*, customer, now: datetime | None = None) -> LedgerEntry | None:
    """Expire the customer's points credited before the cutoff and not spent since (first in, first out).

    Reversals cancel the earning they belong to rather than the oldest points. At most the
    redeemable balance expires, and at most once a day (the key names the cutoff's date).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.LOYALTY_POINTS_EXPIRE_DAYS)
    account = _locked_account(customer)
    key = f"expire:{customer.pk}:{cutoff.date().isoformat()}"
    if LedgerEntry.objects.filter(idempotency_key=key).exists():
        return None
    ledger = LedgerEntry.objects.filter(customer=customer)
    old_orders = ledger.filter(type=LedgerEntry.Type.EARN, created_at__lt=cutoff).values("order_number")
    sums = ledger.aggregate(
        old_credits=Sum("points", filter=Q(points__gt=0, created_at__lt=cutoff)),
        old_reversed=Sum(
            "points", filter=Q(type=LedgerEntry.Type.REVERSE, points__lt=0, order_number__in=old_orders)
        ),
        debits=Sum("points", filter=Q(points__lt=0) & ~Q(type=LedgerEntry.Type.REVERSE)),
    )
    due = (sums["old_credits"] or 0) + (sums["old_reversed"] or 0) + (sums["debits"] or 0)
    due = min(due, account.redeemable_points)
    if due <= 0:
        return None
    try:
        return _post(
            account,
            type=LedgerEntry.Type.EXPIRE,
            key=key,
            points=-due,
            description=f"Points earned before {cutoff.date().isoformat()} expired",
        )
    except _DuplicatePosting:
        return None


# Rewards


def _new_coupon_code() -> str:
    return f"MNKY-{_random_code(4)}-{_random_code(4)}"


@transaction.atomic
def loyalty_reward_redeem(*, customer, reward: Reward, request_key: str = "") -> Redemption:
    """Spend a reward's cost and issue its coupon; 409 when short, expired or out of stock.

    With a `request_key` (the page form's one-time token) a repeated submission returns the
    first redemption instead of spending again.
    """
    account = _locked_account(customer)
    public_id = new_public_id("red")
    key = f"redeem:{public_id}"
    if request_key:
        key = f"redeem:{customer.pk}:{request_key[:64]}"
        done = Redemption.objects.filter(entry__idempotency_key=key).first()
        if done is not None:
            return done
    reward = Reward.objects.select_for_update().get(pk=reward.pk)
    now = timezone.now()
    if not reward.is_active or (reward.valid_from and reward.valid_from > now):
        raise Conflict("This reward is not available.")
    if reward.valid_until and reward.valid_until <= now:
        raise Conflict("This reward has expired.")
    if reward.stock is not None and reward.stock <= 0:
        raise Conflict("This reward is out of stock.")
    points = tokens = 0
    if reward.cost_unit == Reward.CostUnit.POINTS:
        if account.redeemable_points < reward.cost:
            raise Conflict(
                f"Not enough points: this reward costs {reward.cost} and you can redeem "
                f"{account.redeemable_points}."
            )
        points = reward.cost
    else:
        if account.tokens_balance < reward.cost:
            raise Conflict(
                f"Not enough tokens: this reward costs {reward.cost} and you have {account.tokens_balance}."
            )
        tokens = reward.cost
    entry = _post(
        account,
        type=LedgerEntry.Type.REDEEM,
        key=key,
        points=-points,
        tokens=-tokens,
        description=f"Redeemed: {reward.name}",
        redeemed_delta=points,
    )
    if reward.stock is not None:
        Reward.objects.filter(pk=reward.pk).update(stock=F("stock") - 1)
    for _ in range(5):
        try:
            with transaction.atomic():
                return Redemption.objects.create(
                    public_id=public_id,
                    customer=customer,
                    reward=reward,
                    code=_new_coupon_code(),
                    points_spent=points,
                    tokens_spent=tokens,
                    entry=entry,
                    created_at=entry.created_at,
                )
        except IntegrityError:
            continue
    raise Conflict("Could not issue a unique coupon code, please try again.")


# Staff


@transaction.atomic
def loyalty_balance_adjust(
    *, customer, points: int = 0, tokens: int = 0, reason: str, by=None
) -> LedgerEntry:
    """A staff correction or grant of points and/or tokens (signed); 409 when a balance would go below zero."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.on("reason", "A reason is required.")
    if not points and not tokens:
        raise ValidationFailed.on("points", "Give points or tokens (or both) to adjust.")
    account = _locked_account(customer)
    if account.redeemable_points + points < 0:
        locked = f" ({account.locked_points} more are locked until their return window ends)"
        raise Conflict(
            f"Points cannot go below zero: {account.redeemable_points} can be taken"
            f"{locked if account.locked_points else ''}.",
            details={"points": ["The balance would go below zero."]},
        )
    if account.tokens_balance + tokens < 0:
        raise Conflict(
            f"Tokens cannot go below zero: the balance is {account.tokens_balance}.",
            details={"tokens": ["The balance would go below zero."]},
        )
    return _post(
        account,
        type=LedgerEntry.Type.ADJUST,
        key=f"adjust:{uuid.uuid4().hex}",
        points=points,
        tokens=tokens,
        description=reason,
        created_by=by if getattr(by, "pk", None) else None,
    )


# Referrals


# Providers that ignore dots in the local part (jane.doe@ and janedoe@ are one mailbox), with the
# domain each is an alias of. Other providers may treat dots as significant, so they keep them.
DOTLESS_MAILBOX_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def mailbox_canonical(email: str) -> str:
    """The mailbox an address delivers to: lower case, without a `+tag`; Gmail also without dots."""
    local, _, domain = (email or "").strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in DOTLESS_MAILBOX_DOMAINS:
        local, domain = local.replace(".", ""), DOTLESS_MAILBOX_DOMAINS[domain]
    return f"{local}@{domain}"


def _mailbox_hash(email: str) -> str:
    return hashlib.sha256(mailbox_canonical(email).encode()).hexdigest()


@transaction.atomic
def loyalty_referral_create_for_signup(*, customer) -> Referral | None:
    """Open the new customer's account and, when they registered with a code, a pending referral.

    An unknown code or the referrer's own mailbox (also with a `+tag`, or Gmail dots) is 400; a mailbox that was
    already referred is 409. It runs inside the registration's transaction, so a refusal leaves
    no account behind.
    """
    loyalty_account_ensure(customer=customer)
    code = (customer.referred_by_code or "").strip().upper()
    if not code:
        return None
    referrer_account = LoyaltyAccount.objects.select_related("customer").filter(referral_code=code).first()
    if referrer_account is None:
        raise ValidationFailed.on("referral_code", "This referral code does not exist.")
    referrer = referrer_account.customer
    if referrer.pk == customer.pk or mailbox_canonical(referrer.email) == mailbox_canonical(customer.email):
        raise ValidationFailed.on("referral_code", "You cannot use your own referral code.")
    mailbox_hash = _mailbox_hash(customer.email)
    duplicate = Conflict(
        "This email address was already referred.", details={"referral_code": ["Already used."]}
    )
    if Referral.objects.filter(Q(referee=customer) | Q(referee_mailbox_hash=mailbox_hash)).exists():
        raise duplicate
    try:
        with transaction.atomic():
            return Referral.objects.create(
                referrer=referrer,
                referee=customer,
                referee_mailbox_hash=mailbox_hash,
                reward_points=settings.LOYALTY_REFERRAL_REWARD,
            )
    except IntegrityError:
        raise duplicate


@transaction.atomic
def loyalty_referral_complete(*, referee, order_number: str) -> LedgerEntry | None:
    """Complete the referee's pending referral on their first delivered order and credit the referrer, once.

    None when the referee was not referred or the referral is already completed.
    """
    order_number = _require_order_number(order_number)
    referral = Referral.objects.filter(referee=referee).select_related("referrer").first()
    if referral is None or referral.status == Referral.Status.COMPLETED:
        return None
    account = _locked_account(referral.referrer)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status == Referral.Status.COMPLETED:
        return None
    try:
        entry = _post(
            account,
            type=LedgerEntry.Type.REFERRAL,
            key=f"referral:{referral.public_id}",
            points=referral.reward_points,
            description="Referral reward: a friend you referred received their first order",
            earned_delta=referral.reward_points,
        )
    except _DuplicatePosting:
        return None
    referral.status = Referral.Status.COMPLETED
    referral.entry = entry
    referral.order_number = order_number
    referral.completed_at = entry.created_at
    referral.save(update_fields=["status", "entry", "order_number", "completed_at"])
    _points_earned_record(entry, customer=referral.referrer)
    return entry
