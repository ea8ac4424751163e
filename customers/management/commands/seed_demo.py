"""`manage.py seed_demo`: idempotent demo data from every app, then the logins to try."""

from collections.abc import Callable
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
        self.notes: list[str | Callable[[], str]] = []

    def login(self, role: str, email: str, password: str) -> None:
        self.logins.append((role, email, password))

    def note(self, text: str | Callable[[], str]) -> None:
        """A line to print; a callable is called after every app has seeded (for figures that
        later apps change, such as a balance)."""
        self.notes.append(text)

    def texts(self) -> list[str]:
        return [text() if callable(text) else text for text in self.notes]


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
        for text in report.texts():
            self.stdout.write(f"  {text}")
