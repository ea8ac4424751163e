"""Fixtures shared by the whole suite: API clients for each kind of caller, and test settings."""

import os
import shutil

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from customers import sms
from customers.models import APIKey
from tests.factories import CustomerFactory, StaffUserFactory

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only and browser tests where their service is missing, and say so.

    CI sets REQUIRE_POSTGRES=1 / REQUIRE_BROWSER=1, which turns a missing service into a failure.
    """
    from django.conf import settings

    # Within the transactional tests (run last), the serialized_rollback ones go first: a plain
    # transactional test's flush re-creates content types, which a later serialized test would
    # then insert a second time (duplicate key).
    items.sort(key=_transactional_rank)
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_browser = os.path.exists(os.environ.get("CHROMIUM_PATH", CHROMIUM))
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            if os.environ.get("REQUIRE_POSTGRES") == "1":
                continue
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://..."))
        if "browser" in item.keywords and not has_browser:
            if os.environ.get("REQUIRE_BROWSER") == "1":
                continue
            item.add_marker(
                pytest.mark.skip(reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
            )


def _transactional_rank(item) -> int:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", [])
    transactional = bool(marker and marker.kwargs.get("transaction")) or (
        "live_server" in fixtures or "transactional_db" in fixtures
    )
    if not transactional:
        return 0
    return 1 if marker and marker.kwargs.get("serialized_rollback") else 2


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast hashing, local media, in-memory SMS and a clean cache (throttle counters) per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SMS_BACKEND = "customers.sms.LocmemSMSBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sms.outbox.clear()
    cache.clear()
    yield
    cache.clear()
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def api_client():
    return APIClient()


def bearer_client(user) -> APIClient:
    client = APIClient()
    token = RefreshToken.for_user(user).access_token
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.user = user
    return client


@pytest.fixture
def customer(db):
    return CustomerFactory()


@pytest.fixture
def other_customer(db):
    return CustomerFactory()


@pytest.fixture
def customer_client(customer):
    """A client authenticated as `customer` (JWT)."""
    return bearer_client(customer.user)


@pytest.fixture
def other_client(other_customer):
    return bearer_client(other_customer.user)


@pytest.fixture
def staff_user(db):
    return StaffUserFactory(is_superuser=True)


@pytest.fixture
def staff_client(staff_user):
    """A client authenticated as a staff superuser (JWT)."""
    return bearer_client(staff_user)


@pytest.fixture
def make_staff_client(db):
    """A client for a staff user holding exactly the given permissions (`app.codename`)."""
    from django.contrib.auth.models import Permission

    def make(*perms: str) -> APIClient:
        user = StaffUserFactory()
        for perm in perms:
            app_label, codename = perm.split(".")
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        return bearer_client(user)

    return make


@pytest.fixture
def make_key_client(db):
    """A client authenticated by an API key with the given scopes."""

    def make(*scopes: str) -> APIClient:
        _, raw = APIKey.objects.create_key(name=f"test key {'/'.join(scopes) or 'none'}", scopes=list(scopes))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
        return client

    return make


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return (
        "live_server" in fixtures
        or "transactional_db" in fixtures
        or bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    )


@pytest.fixture(scope="session")
def _reference_data(django_db_setup, django_db_blocker):
    """The migrated database's rows (staff groups, permissions, tiers, the note catalog), serialised
    once, before any transactional test flushes them."""
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _restore_reference_data(request):
    """Give every transactional test (live server, concurrency) the data migrations' rows.

    Each transactional test ends with a flush, which empties every table and lets post_migrate
    re-create content types and permissions under new keys. Before the next one, flush again
    without post_migrate and load the serialised rows, so groups keep their permissions.
    """
    if not _is_transactional(request.node):
        return
    serialized = request.getfixturevalue("_reference_data")
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    if Group.objects.exists():
        return
    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(serialized)
