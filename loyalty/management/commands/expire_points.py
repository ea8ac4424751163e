from django.core.management.base import BaseCommand

from loyalty.services import loyalty_points_expire


class Command(BaseCommand):
    help = "Expire points older than LOYALTY_POINTS_EXPIRE_DAYS (idempotent; also a Celery beat task)."

    def handle(self, *args, **options):
        expired = loyalty_points_expire()
        self.stdout.write(f"Expired {expired} points.")
