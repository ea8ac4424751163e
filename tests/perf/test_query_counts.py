"""Query counts of every paginated API list and every admin changelist (issue 13): never timing.

Each list is found by walking what is served (the OpenAPI schema's list envelopes, the admin's
registry), so a new list route or admin without a row below fails here. For each one the page of
2 items and the page of 20 cost the same number of queries, within the issue's budget.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.perf import builders

pytestmark = pytest.mark.django_db

SMALL, LARGE = 2, 20
LIST_BUDGET = 5  # queries per list request, authentication included (issue 13)
ADMIN_BUDGET = 10  # a changelist: session, user, permissions, page, its counts


def _list_routes() -> dict[str, str]:
    """`{url name: route}` of every GET under /api/ that answers the contract's list envelope."""
    from drf_spectacular.generators import SchemaGenerator

    from tests.security.routes import api_operations, openapi_path

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]

    def resolve(node):
        while "$ref" in node:
            node = components[node["$ref"].rsplit("/", 1)[-1]]
        return node

    listed = set()
    for path, operations in schema["paths"].items():
        ok = operations.get("get", {}).get("responses", {}).get("200", {})
        body = ok.get("content", {}).get("application/json", {}).get("schema")
        if body and "pagination" in resolve(body).get("properties", {}):
            listed.add(path)
    return {
        name: route
        for name, route, method in api_operations()
        if method == "GET" and openapi_path(route) in listed
    }


LIST_ROUTES = _list_routes()


def count_queries(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


def test_every_api_list_route_has_a_builder():
    assert set(LIST_ROUTES) - set(builders.API_LISTS) == set()
    assert set(builders.API_LISTS) - set(LIST_ROUTES) == set(), "a builder for a route that is not served"


@pytest.mark.parametrize("name", sorted(LIST_ROUTES))
def test_api_list_costs_the_same_queries_for_2_and_20_items(name):
    build = builders.API_LISTS[name]
    ctx = builders.Context()
    client, url, exact = build(ctx, SMALL)
    few, few_sql = count_queries(client, url)
    response = client.get(url)
    if exact:
        assert len(response.json()["data"]) == SMALL, f"{name}: the builder made {SMALL} rows"
    client, url, exact = build(ctx, LARGE - SMALL)
    many, many_sql = count_queries(client, url)
    if exact:
        assert len(client.get(url).json()["data"]) == LARGE, f"{name}: the builder made {LARGE} rows"

    assert many == few, f"{name}: {few} queries for {SMALL} items, {many} for {LARGE}:\n" + "\n".join(
        many_sql
    )
    assert many <= LIST_BUDGET, f"{name}: {many} queries:\n" + "\n".join(many_sql)


def _admin_models() -> dict[str, type]:
    return {f"{m._meta.app_label}.{m._meta.model_name}": m for m in admin.site._registry}


ADMIN_MODELS = _admin_models()


def test_every_admin_changelist_has_a_builder():
    assert set(ADMIN_MODELS) - set(builders.ADMIN_ROWS) == set()


@pytest.mark.parametrize("label", sorted(ADMIN_MODELS))
def test_admin_changelist_costs_the_same_queries_for_2_and_20_rows(label, admin_client):
    model = ADMIN_MODELS[label]
    build = builders.ADMIN_ROWS[label]
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    ctx = builders.Context()
    build(ctx, SMALL)
    admin_client.get(url)  # warm caches (content types, session)
    few, _ = count_queries(admin_client, url)
    build(ctx, LARGE - SMALL)
    many, many_sql = count_queries(admin_client, url)

    assert many == few, f"{label}: {few} queries for {SMALL} rows, {many} for {LARGE}:\n" + "\n".join(
        many_sql
    )
    assert many <= ADMIN_BUDGET, f"{label}: {many} queries:\n" + "\n".join(many_sql)


PROFILE_BUDGET = 8  # GET /api/customers/profile, authentication included (issue 13)


def _fill_profile(ctx, n):
    """`n` more of everything the profile shows: addresses, orders, ledger entries, blends."""
    builders.address_list(ctx, n)
    builders.customer_orders(ctx, n)
    builders.loyalty_activity(ctx, n)
    builders.blends(ctx, n)


def test_profile_costs_at_most_8_queries_whatever_the_customer_holds():
    ctx = builders.Context()
    builders.scent_profile_update(
        customer=ctx.customer, favorite_notes=["lavender", "vanilla"], disliked_notes=["rose"]
    )
    _fill_profile(ctx, SMALL)
    few, _ = count_queries(ctx.customer_client, "/api/customers/profile")
    _fill_profile(ctx, LARGE - SMALL)
    many, sql = count_queries(ctx.customer_client, "/api/customers/profile")

    assert many == few
    assert many <= PROFILE_BUDGET, f"{many} queries:\n" + "\n".join(sql)


def test_staff_analytics_costs_the_same_queries_for_2_and_20_orders():
    ctx = builders.Context()
    url = f"/api/customers/{ctx.customer.public_id}/analytics"
    builders.customer_orders(ctx, SMALL)
    few, _ = count_queries(ctx.staff_client, url)
    builders.customer_orders(ctx, LARGE - SMALL)
    many, sql = count_queries(ctx.staff_client, url)

    assert many == few, "\n".join(sql)
    assert many <= LIST_BUDGET, f"{many} queries:\n" + "\n".join(sql)
