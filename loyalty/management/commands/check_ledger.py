import sys

from django.core.management.base import BaseCommand

from loyalty.selectors import ledger_mismatches


class Command(BaseCommand):
    help = (
        "Check every loyalty balance against the sum of its ledger; exit 1 with a report on any difference."
    )

    def handle(self, *args, **options):
        mismatches = ledger_mismatches()
        if not mismatches:
            self.stdout.write("Every loyalty balance matches its ledger.")
            return
        for m in mismatches:
            self.stdout.write(
                f"customer {m.customer_id}: {m.field} is {m.stored}, the ledger says {m.expected}"
            )
        self.stderr.write(f"{len(mismatches)} balance(s) differ from the ledger.")
        sys.exit(1)
