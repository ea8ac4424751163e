"""The authorization matrix (OWASP API1, API5): every API route × seven callers.

The routes come from the URLconf, so a route served without a row in `matrix.ROWS` fails
`test_every_api_route_has_a_matrix_row`, naming it. See tests/security/README.md.
"""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.test import APIClient

from customers.models import APIKey
from tests.conftest import bearer_client
from tests.factories import StaffUserFactory
from tests.security.matrix import (
    CALLERS,
    OK,
    ROWS,
    Row,
    World,
    every_scope_but,
    first_scope,
)
from tests.security.routes import api_operations

ROWS_BY_ID = {row.id: row for row in ROWS}


def test_every_api_route_has_a_matrix_row():
    # Given the API routes served by the URLconf, with their methods
    served = {f"{method} {name}" for name, _, method in api_operations()}
    # Then each has a row, and no row names a route that is not served
    missing = sorted(served - ROWS_BY_ID.keys())
    assert not missing, "API routes without a row in tests/security/matrix.py: " + ", ".join(missing)
    stale = sorted(ROWS_BY_ID.keys() - served)
    assert not stale, "Rows in tests/security/matrix.py for routes not served: " + ", ".join(stale)
    assert len(ROWS_BY_ID) == len(ROWS), "A route has two rows in tests/security/matrix.py"


def test_every_staff_route_needs_a_django_permission():
    # Given the rows of staff routes ("staff" and "owner, staff")
    staff_rows = [row for row in ROWS if row.kind in {"staff", "owner_or_staff"}]
    # Then each names the model permission a staff user needs (a staff user without it gets 403):
    # being staff is not enough for any route
    bare = sorted(row.id for row in staff_rows if not row.perms)
    assert not bare, (
        "Staff routes that any staff user may call (give the view staff_permissions): " + ", ".join(bare)
    )


def _staff_client(perms) -> APIClient:
    user = StaffUserFactory()
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return bearer_client(user)


def _key_client(scopes) -> APIClient:
    _, raw = APIKey.objects.create_key(name="matrix key", scopes=list(scopes))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    client.user = None
    return client


def _client(caller: str, row: Row, world: World) -> APIClient:
    if caller == "anonymous":
        client = APIClient()
        client.user = None
        return client
    if caller == "owner":
        return bearer_client(world.owner.user)
    if caller == "other":
        return bearer_client(world.other.user)
    if caller == "staff_noperm":
        return _staff_client([])
    if caller == "staff_perm":
        return _staff_client(row.perms)
    if caller == "key_noscope":
        return _key_client(every_scope_but(row.scope))
    if caller == "key_scope":
        return _key_client(first_scope(row.scope))
    raise AssertionError(caller)


def _body_of(response) -> dict:
    try:
        return json.loads(response.content or b"{}")
    except ValueError:
        return {}


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_route_answers_each_caller_as_the_matrix_says(row, caller):
    # Given the owner's objects and a client for the caller
    world = World()
    client = _client(caller, row, world)
    world.caller_user = client.user
    url = reverse(row.route, kwargs=row.path(world))
    body = row.body(world) if row.body else None
    # When the caller calls the route
    response = getattr(client, row.method.lower())(url, body, format=row.format)
    # Then the status is the one the matrix expects
    expected = row.expected(caller)
    status = row.ok if expected == OK else expected
    assert response.status_code == status, (
        f"{row.id} as {caller}: expected {status}, got {response.status_code}: {response.content[:300]!r}"
    )
    if expected == OK:
        return
    # And a refusal is the contract's error body, carrying none of the owner's data
    error = _body_of(response).get("error", {})
    codes = {401: {"not_authenticated", "token_invalid"}, 403: {"permission_denied"}, 404: {"not_found"}}
    assert error.get("code") in codes[status], f"{row.id} as {caller}: {response.content[:300]!r}"
    if row.secret is not None and status == 404:
        assert row.secret(world) not in response.content.decode()
