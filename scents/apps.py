from django.apps import AppConfig


class ScentsConfig(AppConfig):
    """Fragrance note catalog, scent profiles, custom blends and recommendations."""

    name = "scents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from scents import registrations

        registrations.register()
