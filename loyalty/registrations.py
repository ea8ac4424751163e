"""What loyalty adds to the customers app: profile fields, the GDPR export and the signup hook."""

from rest_framework import serializers

from customers import registry


def _load(customers: list) -> None:
    """Every loyalty section gets the same customer objects: load their accounts with the tier
    points once and keep them on those objects, so a profile's four loyalty fields cost one
    query (and the tier list), not four."""
    from loyalty.selectors import accounts_with_tier_points, tier_points_for_customers
    from loyalty.services import loyalty_accounts_ensure

    missing = [c for c in customers if not hasattr(c, "_loyalty_account")]
    if not missing:
        return
    accounts = accounts_with_tier_points(customer_ids=[c.pk for c in missing])
    absent = [c for c in missing if c.pk not in accounts]
    if absent:  # first visit: open the accounts
        opened = loyalty_accounts_ensure(customers=absent)
        points = tier_points_for_customers(customer_ids=[c.pk for c in absent])
        for customer in absent:
            opened[customer.pk].tier_points = points[customer.pk]
            accounts[customer.pk] = opened[customer.pk]
    for customer in missing:
        customer._loyalty_account = accounts[customer.pk]


def _membership_tier(customers: list) -> dict:
    from loyalty.selectors import tier_for_points, tier_list

    _load(customers)
    tiers = tier_list()
    return {
        c.pk: tier_for_points(points=c._loyalty_account.tier_points, tiers=tiers)[0].name for c in customers
    }


def _balance(field: str):
    def select(customers: list) -> dict:
        _load(customers)
        return {c.pk: getattr(c._loyalty_account, field) for c in customers}

    return select


def _membership_tier_filter(queryset, value):
    from loyalty.selectors import customers_in_tier

    return customers_in_tier(queryset, str(value))


def _export(customer) -> dict:
    from loyalty.selectors import ledger_for_customer, redemptions_for_customer, referrals_for_customer

    def when(value):
        return value.isoformat() if value else None

    return {
        "ledger": [
            {
                "id": e.public_id,
                "type": e.type,
                "points": e.points,
                "tokens": e.tokens,
                "description": e.description,
                "order_number": e.order_number,
                "created_at": when(e.created_at),
            }
            for e in ledger_for_customer(customer=customer)
        ],
        "redemptions": [
            {
                "id": r.public_id,
                "reward": r.reward.name,
                "code": r.code,
                "points_spent": r.points_spent,
                "tokens_spent": r.tokens_spent,
                "created_at": when(r.created_at),
            }
            for r in redemptions_for_customer(customer=customer)
        ],
        "referrals": [
            {"id": r.public_id, "status": r.status, "reward": r.reward_points, "date": when(r.created_at)}
            for r in referrals_for_customer(customer=customer)
        ],
    }


def _signup(customer) -> None:
    from loyalty.services import loyalty_referral_create_for_signup

    loyalty_referral_create_for_signup(customer=customer)


def register() -> None:
    registry.register_profile_section(
        "membership_tier", _membership_tier, schema=serializers.CharField(help_text="member, premium or vip")
    )
    registry.register_profile_section("tokens", _balance("tokens_balance"), schema=serializers.IntegerField())
    registry.register_profile_section(
        "loyalty_points", _balance("points_balance"), schema=serializers.IntegerField()
    )
    registry.register_profile_section(
        "referral_code", _balance("referral_code"), schema=serializers.CharField()
    )
    registry.register_export_section("loyalty", _export)
    registry.register_signup_hook("loyalty", _signup)
    registry.register_customer_filter("membership_tier", _membership_tier_filter)
