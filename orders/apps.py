from django.apps import AppConfig


class OrdersConfig(AppConfig):
    """The catalog, orders, shipments, payments, refunds and returns."""

    name = "orders"
    default_auto_field = "django.db.models.BigAutoField"
