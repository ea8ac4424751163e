"""`manage.py seed_demo`: idempotent demo data from every app, then the logins to try."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

# Apps seed in dependency order; each may have a `demo` module with `seed(report)`.
ORDER = ["customers", "orders", "loyalty", "scents", "reviews", "integrations"]


class DemoReport:
    """What the seeders want printed: logins and notes."""

    def __init__(self):
        self.logins: list[tuple[str, str, str]] = []
        self.notes: list[str] = []

    def login(self, role: str, email: str, password: str) -> None:
        self.logins.append((role, email, password))

    def note(self, text: str) -> None:
        self.notes.append(text)


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the logins."

    def handle(self, *args, **options):
        report = DemoReport()
        installed = {config.name for config in apps.get_app_configs()}
        for name in ORDER:
            if name not in installed:
                continue
            try:
                module = import_module(f"{name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{name}.demo":
                    continue
                raise
            with transaction.atomic():
                module.seed(report)
        self.stdout.write(self.style.SUCCESS("Demo data is loaded.") + "\n")
        if report.logins:
            self.stdout.write("  Logins (role, email, password):")
            for role, email, password in report.logins:
                self.stdout.write(f"    {role:<22} {email:<36} {password}")
        for text in report.notes:
            self.stdout.write(f"  {text}")
