from django.apps import AppConfig


class LoyaltyConfig(AppConfig):
    """Loyalty accounts, the append-only points ledger, tiers, rewards, redemptions and referrals."""

    name = "loyalty"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from loyalty import registrations

        registrations.register()
