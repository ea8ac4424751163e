"""Fixture of the fuzz stage: demo data plus the four callers, printed as shell assignments.

Run with the same environment as the server (production settings, the fuzz database):
`python .ci/fuzz_callers.py > callers.env`. It loads `seed_demo` (a customer with orders,
addresses, a bank account and loyalty points; products; rewards), makes sure the staff
superuser exists, creates an API key with every scope, and prints an access token for the
customer and the staff user and the raw API key.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from rest_framework_simplejwt.tokens import RefreshToken  # noqa: E402

from customers.models import APIKey, BankAccount, Customer, User  # noqa: E402


def main() -> None:
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    customer = Customer.objects.select_related("user").get(email__iexact="jane.smith@example.com")
    if not BankAccount.objects.filter(customer=customer).exists():
        from customers.services.bank_accounts import bank_account_create

        bank_account_create(customer=customer, holder_name="Jane Smith", iban="DE89370400440532013000")
    staff = User.objects.filter(is_superuser=True, is_staff=True, is_active=True).order_by("pk").first()
    if staff is None:
        sys.exit("seed_demo made no staff superuser")
    _, raw_key = APIKey.objects.create_key(name="fuzz: every scope", scopes=list(APIKey.SCOPES))
    print(f"CUSTOMER_TOKEN={RefreshToken.for_user(customer.user).access_token}")
    print(f"STAFF_TOKEN={RefreshToken.for_user(staff).access_token}")
    print(f"API_KEY={raw_key}")


if __name__ == "__main__":
    main()
