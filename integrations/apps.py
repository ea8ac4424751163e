from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """The event outbox, webhook endpoints and their deliveries.

    It imports no domain app: orders, loyalty, reviews and customers record events through
    `integrations.services.record_event`, inside the transaction of the change that causes them.
    """

    name = "integrations"
    default_auto_field = "django.db.models.BigAutoField"
