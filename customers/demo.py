"""Demo data of the customers app: Jane Smith, a staff superuser and one staff user per group.

Idempotent: running it again finds the same rows, brings them back to the demo values and
leaves everything else alone. The passwords are fixed so that the printed logins always work,
which is why the demo refuses to run with DJANGO_DEBUG=0 unless DEMO_PASSWORD is set.
"""

import os
from datetime import date

from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured

from customers.demo_addresses import seed_addresses
from customers.demo_profile import seed_profile
from customers.models import Customer, User
from customers.services.registration import customer_register

JANE_EMAIL = "jane.smith@example.com"
ADMIN_EMAIL = "admin@moodmnky.example"
STAFF = [
    # (role, email, full name, group)
    ("Support staff", "support@moodmnky.example", "Sam Support", "Customer support"),
    ("Finance staff", "finance@moodmnky.example", "Fran Finance", "Finance"),
]
JANE_PROFILE = {
    "salutation": Customer.Salutation.MS,
    "first_name": "Jane",
    "last_name": "Smith",
    "phone_number": "+14155550123",
    "date_of_birth": date(1990, 4, 12),
    "preferred_currency": "USD",
    "reminder_frequency": Customer.ReminderFrequency.MONTHLY,
    "email_marketing": True,
}


def _production() -> bool:
    # The environment, not settings.DEBUG: test runners turn DEBUG off while seeding demo data.
    return os.environ.get("DJANGO_DEBUG", "1").strip().lower() in {"0", "false", "no", "off"}


def _passwords() -> tuple[str, str]:
    shared = os.environ.get("DEMO_PASSWORD", "")
    if not shared and _production():
        raise ImproperlyConfigured("seed_demo with DJANGO_DEBUG=0 needs DEMO_PASSWORD (no known passwords).")
    return shared or "Jasmine-Velvet-2026", shared or "Staff-Amber-Oud-2026"


def _ensure_password(user: User, password: str) -> None:
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])


def _jane(password: str) -> Customer:
    customer = Customer.objects.filter(email__iexact=JANE_EMAIL).select_related("user").first()
    if customer is None:
        customer = customer_register(
            email=JANE_EMAIL,
            password=password,
            first_name=JANE_PROFILE["first_name"],
            last_name=JANE_PROFILE["last_name"],
            accepted_terms=True,
        )
    wanted = {**JANE_PROFILE, "is_active": True}
    changed = [field for field, value in wanted.items() if getattr(customer, field) != value]
    if changed:
        # Only real changes are saved, so a re-run adds no rows to the audit history.
        for field in changed:
            setattr(customer, field, wanted[field])
        customer.save(update_fields=[*changed, "updated_at"])
    _ensure_password(customer.user, password)
    return customer


def _staff(email: str, full_name: str, password: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password)
    wanted = {"full_name": full_name, "is_staff": True, "is_active": True, "is_superuser": superuser}
    changed = [field for field, value in wanted.items() if getattr(user, field) != value]
    if changed:
        for field in changed:
            setattr(user, field, wanted[field])
        user.save(update_fields=changed)
    _ensure_password(user, password)
    return user


def seed(report) -> None:
    """Create or refresh the demo customer and staff logins, and report them."""
    customer_password, staff_password = _passwords()
    jane = _jane(customer_password)
    seed_profile(customer=jane)
    seed_addresses(jane)
    report.login("Customer", jane.email, customer_password)

    _staff(ADMIN_EMAIL, "Ada Admin", staff_password, superuser=True)
    report.login("Staff superuser", ADMIN_EMAIL, staff_password)

    for role, email, full_name, group_name in STAFF:
        user = _staff(email, full_name, staff_password)
        group, _ = Group.objects.get_or_create(name=group_name)
        user.groups.add(group)
        report.login(role, email, staff_password)
