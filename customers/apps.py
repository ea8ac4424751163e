from django.apps import AppConfig


class CustomersConfig(AppConfig):
    """Users, customers, addresses, contacts, bank accounts, OTP codes, API keys, auth and profile."""

    name = "customers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from customers import registry
        from customers.serializers.addresses import address_export
        from customers.services.addresses import address_erase_all
        from customers.services.business import contacts_erase, contacts_export

        registry.register_export_section("addresses", address_export)
        registry.register_eraser("addresses", lambda customer: address_erase_all(customer=customer))
        registry.register_export_section("contacts", contacts_export)
        registry.register_eraser("contacts", contacts_erase)
