"""`manage.py bench_data --customers N --orders M --seed S [--append]`: benchmark data on PostgreSQL."""

import json

from django.core.management.base import BaseCommand, CommandError

from reviews.bench_data import DatabaseNotEmpty, generate


class Command(BaseCommand):
    help = (
        "Load a shop of N customers and M orders (items, shipments, payments, refunds, returns, ledger, "
        "reviews, addresses, scent profiles, blends, business contacts and credit checks; one customer "
        "with 10,000 orders) with COPY. PostgreSQL only; refuses a database with orders unless --append."
    )

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=1000)
        parser.add_argument("--orders", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--append", action="store_true", help="Add to a database that already has orders."
        )
        parser.add_argument(
            "--json", help="Also write the summary (timings, row counts, accounts) to this file."
        )

    def handle(self, *args, **options):
        if options["customers"] < 1 or options["orders"] < 0:
            raise CommandError("--customers must be at least 1 and --orders at least 0.")
        try:
            summary = generate(
                customers=options["customers"],
                orders=options["orders"],
                seed=options["seed"],
                append=options["append"],
                log=self.stdout.write,
            )
        except (DatabaseNotEmpty, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Loaded in {summary['seconds']} s: " + ", ".join(f"{k} {v}" for k, v in summary["rows"].items())
        )
        if summary["heavy_email"]:
            self.stdout.write(f"Customer with {summary['heavy_orders']} orders: {summary['heavy_email']}")
        self.stdout.write(
            f"Staff user: {summary['staff_email']}; password of every bench account: {summary['password']}"
        )
        if options["json"]:
            with open(options["json"], "w") as fh:
                json.dump(summary, fh, indent=2, default=str)
