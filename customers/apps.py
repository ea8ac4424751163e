from django.apps import AppConfig


class CustomersConfig(AppConfig):
    """Users, customers, addresses, contacts, bank accounts, OTP codes, API keys, auth and profile."""

    name = "customers"
    default_auto_field = "django.db.models.BigAutoField"
