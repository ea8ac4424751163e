"""Robustness of the API surface found by the fuzz stage: methods and media types."""

import json

import pytest

from tests.security.routes import api_operations, example_url


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted({route for _, route, _ in api_operations()}))
@pytest.mark.parametrize("caller", ["customer_client", "staff_client"])
def test_options_on_an_api_route_is_refused_never_a_500(request, caller, route):
    # Given any API route (path parameters filled with a dummy id)
    url = example_url(route)
    # When a client sends OPTIONS
    client = request.getfixturevalue(caller)
    response = client.options(url, {"holder_name": "0"}, format="json")
    # Then it is 405 (or 403 where the caller may not use the route at all), never a 500
    assert response.status_code in {403, 405}, (url, response.content[:200])
    if route in {"api/docs/", "api/schema/"}:
        return  # the Swagger page and the schema render HTML and OpenAPI, not the error body
    codes = {403: "permission_denied", 405: "method_not_allowed"}
    assert json.loads(response.content)["error"]["code"] == codes[response.status_code]


@pytest.mark.django_db
def test_a_form_encoded_body_is_415_because_the_api_takes_json(customer_client):
    # Given a route that takes a body
    # When the body is form-encoded
    response = customer_client.post(
        "/api/customers/bank-accounts",
        "holder_name=Jane&iban=DE89370400440532013000",
        content_type="application/x-www-form-urlencoded",
    )
    # Then it is refused with the contract's 415 body
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def _schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_decimal_schema_patterns_refuse_empty_and_negative_amounts():
    # Given the decimal fields of the schema (money in and out)
    import re

    patterns = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("format") == "decimal" and "pattern" in node:
                patterns.append(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(_schema())
    assert patterns
    # Then none accepts an empty string or a lone sign, and each accepts a plain amount
    for pattern in patterns:
        assert not re.match(pattern, ""), pattern
        assert not re.match(pattern, "-"), pattern
        assert re.match(pattern, "8"), pattern
    # And an amount that may not be negative (an order's shipping_total) says so
    request = _schema()["components"]["schemas"]["OrderCreateInputRequest"]["properties"]
    assert not re.match(request["shipping_total"]["pattern"], "-1.00")


@pytest.mark.django_db
def test_a_repeated_page_or_limit_is_400(customer_client):
    # Given a list route, when `limit` comes twice (a garbage value, then an empty one)
    response = customer_client.get("/api/customers/bank-accounts?limit=abc&limit=")
    # Then it is refused rather than read from the last value
    assert response.status_code == 400
    assert "limit" in response.json()["error"]["details"]
    assert customer_client.get("/api/customers/bank-accounts?page=1&page=2").status_code == 400
