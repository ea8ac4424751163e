from django.apps import AppConfig


class OrdersConfig(AppConfig):
    """The catalog, orders, shipments, payments, refunds and returns."""

    name = "orders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from customers import registry
        from orders.selectors import order_export_for_customer, order_stats_for_customers
        from orders.selectors_returns import return_export_for_customer
        from orders.serializers import OrderStatsSerializer
        from orders.services import orders_erase_personal_data
        from orders.services_returns import returns_erase_personal_data

        registry.register_profile_section(
            "order_stats", order_stats_for_customers, schema=OrderStatsSerializer()
        )
        registry.register_export_section("orders", order_export_for_customer)
        registry.register_export_section("returns", return_export_for_customer)
        registry.register_eraser("returns", returns_erase_personal_data)
        registry.register_eraser("orders", orders_erase_personal_data)

        from orders.analytics import customer_analytics, customer_order_totals, customer_order_totals_annotate

        registry.register_customer_order_totals(
            customer_order_totals, annotate=customer_order_totals_annotate
        )
        registry.register_customer_analytics(customer_analytics)
