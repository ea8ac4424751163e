"""`manage.py create_api_key --name NAME --scopes orders:write,customers:read`: prints the key once."""

from django.core.management.base import BaseCommand, CommandError

from customers.models import APIKey


class Command(BaseCommand):
    help = "Create an API key for an integration and print it once (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Who or what uses the key.")
        parser.add_argument(
            "--scopes",
            required=True,
            help=f"Comma-separated scopes among: {', '.join(APIKey.SCOPES)}.",
        )

    def handle(self, *args, name: str, scopes: str, **options):
        name = name.strip()
        if not name:
            raise CommandError("--name must not be empty.")
        wanted = list(dict.fromkeys(s.strip() for s in scopes.split(",") if s.strip()))
        if not wanted:
            raise CommandError("Give at least one scope with --scopes.")
        unknown = [s for s in wanted if s not in APIKey.SCOPES]
        if unknown:
            raise CommandError(
                f"Unknown scope(s): {', '.join(unknown)}. Valid scopes: {', '.join(APIKey.SCOPES)}."
            )
        key, raw = APIKey.objects.create_key(name=name, scopes=wanted)
        self.stdout.write(
            f"Created API key '{key.name}' (prefix {key.prefix}) with scopes: {', '.join(wanted)}"
        )
        self.stdout.write("Store it now; it is not shown again:")
        self.stdout.write(raw)
