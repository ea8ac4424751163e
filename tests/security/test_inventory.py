"""API9 (improper inventory): the OpenAPI schema documents exactly the routes that are served."""

from drf_spectacular.generators import SchemaGenerator

from tests.security.routes import api_operations, openapi_path

# The schema and its docs page describe the API; they are not operations of it.
UNDOCUMENTED = {("GET", "/api/schema/"), ("GET", "/api/docs/")}


def _served() -> set[tuple[str, str]]:
    operations = set()
    for _, route, method in api_operations():
        operations.add((method, openapi_path(route)))
    return operations - UNDOCUMENTED


def _documented() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }


def test_every_served_api_route_is_documented_and_nothing_else():
    # Given the routes the URLconf serves and the operations the schema documents
    served, documented = _served(), _documented()
    # Then they are the same set
    assert not served - documented, f"Served but not in /api/schema/: {sorted(served - documented)}"
    assert not documented - served, f"In /api/schema/ but not served: {sorted(documented - served)}"


def test_every_documented_operation_has_an_id_and_error_responses():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("operationId"), f"{method.upper()} {path} has no operationId"
            if path != "/api/health":
                assert "401" in operation["responses"] or "403" in operation["responses"], (method, path)


def test_no_documented_answer_is_a_bare_array():
    # The contract answers lists in the `{"data", "pagination"}` envelope (or a named key), so a
    # schema promising a bare array is wrong about what the route answers.
    schema = SchemaGenerator().get_schema(request=None, public=True)
    bare = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for status, response in operation.get("responses", {}).items()
        if status.startswith("2")
        and response.get("content", {}).get("application/json", {}).get("schema", {}).get("type") == "array"
    ]
    assert not bare, f"Documented as a bare array: {bare}"
