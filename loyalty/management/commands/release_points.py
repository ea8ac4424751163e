from django.core.management.base import BaseCommand

from loyalty.services import loyalty_points_release


class Command(BaseCommand):
    help = "Unlock the points of orders whose return window has ended (also a Celery beat task)."

    def handle(self, *args, **options):
        released = loyalty_points_release()
        self.stdout.write(f"Released {released} points.")
