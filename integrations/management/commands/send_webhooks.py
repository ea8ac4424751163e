"""`manage.py send_webhooks`: send the webhook deliveries that are due, once or every minute.

Beat does this in production (`webhook_deliveries_sweep`); without a broker (development) run
this command beside the server to get retries and deliveries left pending.
"""

import time

from django.core.management.base import BaseCommand

from integrations.tasks import webhook_deliveries_sweep


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due (retries included)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep going, once a minute.")

    def handle(self, *args, loop: bool = False, **options):
        while True:
            sent = webhook_deliveries_sweep()
            self.stdout.write(f"{sent} deliveries attempted")
            if not loop:
                return
            time.sleep(60)
