"""Demo data: rewards, and Jane as a premium member with a history and a completed referral."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from customers.models import Customer, User
from loyalty import services
from loyalty.models import LedgerEntry, Redemption, Referral, Reward

DEMO_PASSWORD = "Sandalwood-Ember-42"

REWARDS = [
    ("Free 10 ml travel spray", "A travel size of any scent in the shop.", 100, "points", None),
    ("15% off your next order", "A one-time code for 15% off a full-price order.", 250, "points", None),
    ("Discovery set", "Eight 2 ml samples of the current collection.", 500, "points", None),
    ("Limited edition candle", "The seasonal candle, only for members.", 20, "tokens", 25),
]


def _customer(
    email: str, first_name: str, last_name: str, *, referred_by_code: str = ""
) -> tuple[Customer, bool]:
    customer = Customer.objects.filter(email__iexact=email).first()
    if customer is not None:
        return customer, False
    user = User.objects.filter(email__iexact=email).first() or User.objects.create_user(
        email=email, password=DEMO_PASSWORD
    )
    customer = Customer.objects.create(
        user=user,
        email=email,
        first_name=first_name,
        last_name=last_name,
        referred_by_code=referred_by_code,
        accepted_terms_at=timezone.now(),
    )
    return customer, True


def seed(report) -> None:
    rewards = {}
    for name, description, cost, unit, stock in REWARDS:
        rewards[name], _ = Reward.objects.get_or_create(
            name=name, defaults={"description": description, "cost": cost, "cost_unit": unit, "stock": stock}
        )

    jane, created = _customer("jane.smith@example.com", "Jane", "Smith")
    if created:
        report.login("customer", jane.email, DEMO_PASSWORD)
    account = services.loyalty_account_ensure(customer=jane)
    now = timezone.now()
    for number, total, days_ago in [("MNKY-1001", "89.97", 120), ("MNKY-1002", "64.50", 75)]:
        services.loyalty_points_earn_for_order(
            customer=jane,
            order_number=number,
            paid_total=Decimal(total),
            delivered_at=now - timedelta(days=days_ago),
            return_window_days=30,
        )

    referee, referee_created = _customer(
        "liam.walker@example.com", "Liam", "Walker", referred_by_code=account.referral_code
    )
    if referee_created or not Referral.objects.filter(referee=referee).exists():
        if referee.referred_by_code != account.referral_code:
            Customer.objects.filter(pk=referee.pk).update(referred_by_code=account.referral_code)
            referee.referred_by_code = account.referral_code
        services.loyalty_referral_create_for_signup(customer=referee)
    services.loyalty_referral_complete(referee=referee, order_number="MNKY-1050")

    if not Redemption.objects.filter(customer=jane).exists():
        services.loyalty_reward_redeem(customer=jane, reward=rewards["Free 10 ml travel spray"])
    if not LedgerEntry.objects.filter(customer=jane, type=LedgerEntry.Type.ADJUST).exists():
        services.loyalty_balance_adjust(
            customer=jane, points=25, tokens=30, reason="Welcome gift for joining the scent panel"
        )

    def balance_note() -> str:
        # At print time: later demos (reviews' delivered order) earn Jane more points.
        account.refresh_from_db()
        return (
            f"Loyalty: Jane ({jane.email}) has {account.points_balance} points and "
            f"{account.tokens_balance} tokens; her referral code is {account.referral_code}."
        )

    report.note(balance_note)
