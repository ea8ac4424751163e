"""The API's shared plumbing: error bodies, pagination, throttles, API-key scopes, idempotency, health."""

import pytest
from django.db import DatabaseError
from django.test import override_settings

from config.api.pagination import PagePagination
from tests.config import urls as test_urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.config.urls")]


def error_of(response):
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


def test_validation_error_has_contract_body_with_field_details(api_client):
    response = api_client.post("/api/_test/errors", {"name": "x" * 20}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert set(error["details"]) == {"name", "count"}
    assert isinstance(error["details"]["name"], list)


def test_malformed_json_is_400_validation_error(api_client):
    response = api_client.post("/api/_test/errors", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "validation_error"


def test_missing_credentials_is_401_not_authenticated(api_client):
    response = api_client.post("/api/_test/idempotent", {}, format="json")
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_garbage_bearer_token_is_401_token_invalid(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")
    response = api_client.post("/api/_test/idempotent", {}, format="json")
    assert response.status_code == 401
    assert error_of(response)["code"] == "token_invalid"


def test_customer_on_staff_route_is_403_permission_denied(customer_client):
    response = customer_client.get("/api/_test/staff-orders")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


def test_unknown_api_path_is_404_json(api_client):
    response = api_client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_wrong_method_is_405(api_client):
    response = api_client.delete("/api/_test/errors")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_domain_conflict_is_409_with_details(api_client):
    response = api_client.get("/api/_test/errors", {"kind": "conflict"})
    assert response.status_code == 409
    error = error_of(response)
    assert error == {"code": "conflict", "message": "That is taken.", "details": {"name": ["Already used."]}}


def test_unhandled_exception_is_500_without_traceback():
    from rest_framework.test import APIClient

    client = APIClient(raise_request_exception=False)
    response = client.get("/api/_test/errors", {"kind": "crash"})
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "server_error"
    assert "secret internals" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_body_over_limit_is_413_before_it_is_read(api_client, settings):
    settings.API_MAX_BODY_BYTES = 1000
    response = api_client.post("/api/_test/errors", {"name": "x" * 5000, "count": 1}, format="json")
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


def test_unsupported_content_type_is_415(api_client):
    response = api_client.post("/api/_test/errors", "name=x", content_type="text/plain")
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


@override_settings()
def test_anonymous_throttle_answers_429_with_retry_after_and_rate_headers(api_client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
    from config.api.throttling import CallerRateThrottle

    original = CallerRateThrottle.THROTTLE_RATES
    CallerRateThrottle.THROTTLE_RATES = {**original, "anon": "3/hour"}
    try:
        statuses = []
        for _ in range(3):
            response = api_client.get("/api/_test/errors")
            statuses.append(response.status_code)
            assert response["X-RateLimit-Limit"] == "3"
        assert statuses == [200, 200, 200]
        assert response["X-RateLimit-Remaining"] == "0"
        refused = api_client.get("/api/_test/errors")
    finally:
        CallerRateThrottle.THROTTLE_RATES = original
    assert refused.status_code == 429
    assert error_of(refused)["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0


def test_customer_rate_is_separate_from_anonymous(customer_client):
    response = customer_client.post("/api/_test/idempotent", {"a": 1}, format="json")
    assert response["X-RateLimit-Limit"] == "1000"


def test_health_is_not_throttled_and_reports_database(api_client):
    for _ in range(3):
        response = api_client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "X-RateLimit-Limit" not in response


def test_health_answers_503_when_database_is_unreachable(api_client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = api_client.get("/api/health")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_api_key_with_read_scope_may_read_but_not_write(make_key_client):
    client = make_key_client("orders:read")
    assert client.get("/api/_test/staff-orders").status_code == 200
    response = client.post("/api/_test/staff-orders", {}, format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


def test_api_key_without_scope_is_403_and_with_write_scope_may_write(make_key_client):
    assert make_key_client("customers:read").get("/api/_test/staff-orders").status_code == 403
    assert (
        make_key_client("orders:write").post("/api/_test/staff-orders", {}, format="json").status_code == 201
    )


def test_unknown_or_revoked_api_key_is_401(api_client, make_key_client):
    from customers.models import APIKey

    api_client.credentials(HTTP_AUTHORIZATION="Api-Key nope.nope")
    assert api_client.get("/api/_test/staff-orders").status_code == 401
    client = make_key_client("orders:read")
    APIKey.objects.update(revoked=True)
    assert client.get("/api/_test/staff-orders").status_code == 401


def test_staff_user_may_use_staff_route(staff_client):
    assert staff_client.get("/api/_test/staff-orders").status_code == 200


def test_idempotent_replay_returns_first_answer_and_changes_nothing(customer_client):
    test_urls.calls.clear()
    first = customer_client.post("/api/_test/idempotent", {"a": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = customer_client.post("/api/_test/idempotent", {"a": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() == {"call": 1, "echo": {"a": 1}}
    assert again["Idempotent-Replayed"] == "true"
    assert len(test_urls.calls) == 1


def test_idempotency_key_with_different_body_is_409(customer_client):
    test_urls.calls.clear()
    customer_client.post("/api/_test/idempotent", {"a": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    response = customer_client.post(
        "/api/_test/idempotent", {"a": 2}, format="json", HTTP_IDEMPOTENCY_KEY="k2"
    )
    assert response.status_code == 409
    assert len(test_urls.calls) == 1


def test_idempotency_keys_are_per_caller(customer_client, other_client):
    test_urls.calls.clear()
    customer_client.post("/api/_test/idempotent", {"a": 1}, format="json", HTTP_IDEMPOTENCY_KEY="same")
    response = other_client.post(
        "/api/_test/idempotent", {"a": 1}, format="json", HTTP_IDEMPOTENCY_KEY="same"
    )
    assert response.json()["call"] == 2


def test_idempotency_key_while_first_request_runs_is_409(customer, customer_client):
    from config.models import IdempotencyRecord

    IdempotencyRecord.objects.create(caller=f"user:{customer.user.pk}", key="busy", fingerprint="x")
    response = customer_client.post(
        "/api/_test/idempotent", {"a": 1}, format="json", HTTP_IDEMPOTENCY_KEY="busy"
    )
    assert response.status_code == 409


class _Request:
    def __init__(self, **params):
        self.query_params = params


class _Queryset(list):
    def count(self):
        return len(self)


def test_pagination_envelope_and_page_past_the_end():
    paginator = PagePagination()
    page = paginator.paginate_queryset(_Queryset(range(45)), _Request(page="3", limit="20"))
    assert page == list(range(40, 45))
    assert paginator.get_paginated_response(page).data["pagination"] == {
        "page": 3,
        "limit": 20,
        "total": 45,
        "pages": 3,
        "has_more": False,
    }
    assert paginator.paginate_queryset(_Queryset(range(45)), _Request(page="9")) == []


def test_pagination_clamps_limit_and_refuses_garbage():
    from rest_framework.exceptions import ValidationError

    paginator = PagePagination()
    paginator.paginate_queryset(_Queryset(range(500)), _Request(limit="1000"))
    assert paginator.limit == 100
    with pytest.raises(ValidationError):
        paginator.paginate_queryset(_Queryset(range(5)), _Request(page="0"))
    with pytest.raises(ValidationError):
        paginator.paginate_queryset(_Queryset(range(5)), _Request(limit="abc"))


def test_schema_and_docs_are_served(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert api_client.get("/api/docs/").status_code == 200


def test_nul_character_in_query_or_path_is_400_not_a_database_error(api_client):
    for url in ("/api/_test/errors?kind=a%00b", "/api/no-such%00thing"):
        response = api_client.get(url)
        assert response.status_code == 400
        assert error_of(response)["code"] == "validation_error"
