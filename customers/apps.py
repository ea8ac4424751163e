from django.apps import AppConfig


class CustomersConfig(AppConfig):
    """Users, customers, addresses, contacts, bank accounts, OTP codes, API keys, auth and profile."""

    name = "customers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from customers.registry import register_eraser, register_export_section
        from customers.serializers.addresses import address_export
        from customers.services.addresses import address_erase_all

        register_export_section("addresses", address_export)
        register_eraser("addresses", lambda customer: address_erase_all(customer=customer))
