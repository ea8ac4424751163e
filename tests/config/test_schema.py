"""The OpenAPI schema of the project's own URLconf."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_openapi_schema_is_valid_and_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "apiKeyAuth" in text and "jwtAuth" in text
