from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project's shared API plumbing; it owns the idempotency records."""

    name = "config"
    verbose_name = "API plumbing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from config.api import schema  # noqa: F401 - registers the schema extensions
