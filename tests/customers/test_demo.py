"""`manage.py seed_demo` for the customers app: the demo logins, idempotent."""

import re
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from customers import demo
from customers.management.commands.seed_demo import DemoReport
from customers.models import Customer, User
from loyalty.models import LoyaltyAccount

pytestmark = pytest.mark.django_db


def test_seed_creates_jane_and_one_staff_user_per_group_with_working_logins():
    report = DemoReport()

    demo.seed(report)

    jane = Customer.objects.select_related("user").get(email="jane.smith@example.com")
    assert (jane.first_name, jane.last_name, jane.salutation) == ("Jane", "Smith", "ms")
    assert str(jane.phone_number) == "+14155550123" and jane.date_of_birth is not None
    assert (jane.preferred_currency, jane.reminder_frequency, jane.email_marketing) == (
        "USD",
        "monthly",
        True,
    )
    logins = {email: password for _, email, password in report.logins}
    assert jane.user.check_password(logins["jane.smith@example.com"])
    admin = User.objects.get(email="admin@moodmnky.example")
    assert admin.is_superuser and admin.is_staff and admin.check_password(logins["admin@moodmnky.example"])
    support = User.objects.get(email="support@moodmnky.example")
    finance = User.objects.get(email="finance@moodmnky.example")
    assert [g.name for g in support.groups.all()] == ["Customer support"] and not support.is_superuser
    assert [g.name for g in finance.groups.all()] == ["Finance"] and not finance.is_superuser


def test_seed_twice_changes_nothing_and_restores_the_printed_password():
    call_command("seed_demo", stdout=StringIO())
    counts = (User.objects.count(), Customer.objects.count())
    jane = Customer.objects.get(email="jane.smith@example.com")
    history_rows = jane.history.count()
    jane.user.set_password("Changed-By-Someone-1")
    jane.user.save()

    out = StringIO()
    call_command("seed_demo", stdout=out)

    assert (User.objects.count(), Customer.objects.count()) == counts
    assert jane.history.count() == history_rows
    jane.user.refresh_from_db()
    assert jane.user.check_password("Jasmine-Velvet-2026")
    assert "jane.smith@example.com" in out.getvalue() and "admin@moodmnky.example" in out.getvalue()


def test_seed_refuses_known_passwords_in_production(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "0")
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)

    with pytest.raises(ImproperlyConfigured):
        demo.seed(DemoReport())
    assert not User.objects.exists()


def test_seed_demo_prints_each_login_once_and_every_printed_password_works():
    # Given a full demo run
    report = DemoReport()
    call_command("seed_demo", stdout=StringIO())
    # When every app seeds into one report (a second run, as `make run` does each time)
    from importlib import import_module

    from customers.management.commands.seed_demo import ORDER

    for name in ORDER:
        try:
            import_module(f"{name}.demo").seed(report)
        except ModuleNotFoundError:
            continue
    # Then each email is printed once, with the password that logs in
    emails = [email for _, email, _ in report.logins]
    assert len(emails) == len(set(emails))
    for _, email, password in report.logins:
        assert User.objects.get(email__iexact=email).check_password(password), email


def test_seed_demo_prints_janes_points_as_they_are_after_every_app_has_seeded():
    # Given the whole demo (later apps earn Jane points after the loyalty demo ran)
    out = StringIO()
    call_command("seed_demo", stdout=out)

    # When we read the printed balance
    printed = int(re.search(r"Jane \(.+?\) has (\d+) points", out.getvalue()).group(1))

    # Then it is her balance now
    assert printed == LoyaltyAccount.objects.get(customer__email="jane.smith@example.com").points_balance
