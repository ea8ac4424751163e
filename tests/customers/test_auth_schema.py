"""The OpenAPI schema documents every auth route with its bodies."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(
    "path, status, has_body",
    [
        ("/api/auth/register", "201", True),
        ("/api/auth/token", "200", True),
        ("/api/auth/token/refresh", "200", True),
        ("/api/auth/logout", "204", False),
        ("/api/auth/change-password", "204", False),
        ("/api/auth/forgot-password", "204", False),
        ("/api/auth/reset-password", "204", False),
        ("/api/auth/generate-otp", "202", True),
        ("/api/auth/verify-otp", "200", True),
    ],
)
def test_schema_documents_auth_route_request_and_response(schema, path, status, has_body):
    operation = schema["paths"][path]["post"]

    assert "application/json" in operation["requestBody"]["content"]
    assert status in operation["responses"]
    assert ("content" in operation["responses"][status]) is has_body
    assert "400" in operation["responses"] and "429" in operation["responses"]


def test_schema_register_answers_the_profile(schema):
    ref = schema["paths"]["/api/auth/register"]["post"]["responses"]["201"]["content"]["application/json"]
    name = ref["schema"]["$ref"].rsplit("/", 1)[-1]
    properties = schema["components"]["schemas"][name]["properties"]

    assert {"id", "email", "first_name", "last_name", "phone_verified", "created_at"} <= set(properties)
