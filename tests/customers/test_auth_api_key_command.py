"""manage.py create_api_key."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from customers.models import APIKey

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("create_api_key", *args, stdout=out)
    return out.getvalue()


def test_create_api_key_prints_a_working_key_once_with_its_scopes(api_client):
    output = run("--name", "Warehouse", "--scopes", "orders:write, customers:read,orders:write")

    raw = output.strip().splitlines()[-1]
    key = APIKey.objects.get(name="Warehouse")
    assert key.scopes == ["orders:write", "customers:read"]
    assert APIKey.objects.get_from_key(raw) == key
    assert raw not in key.hashed_key
    assert "not shown again" in output


@pytest.mark.parametrize("scopes", ["orders:delete", "orders:write,admin", "", " , "])
def test_create_api_key_refuses_unknown_or_missing_scopes(scopes):
    with pytest.raises(CommandError):
        run("--name", "Warehouse", "--scopes", scopes)

    assert not APIKey.objects.exists()


def test_create_api_key_needs_a_name():
    with pytest.raises(CommandError):
        run("--name", "  ", "--scopes", "orders:read")
