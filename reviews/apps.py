from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Product reviews by verified buyers, their moderation and the products' ratings."""

    name = "reviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from reviews import registrations

        registrations.register()
