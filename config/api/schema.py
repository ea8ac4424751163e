"""drf-spectacular hooks: every operation documents the contract's error responses; decimals."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "example": "validation_error"},
                "message": {"type": "string", "example": "Human readable summary."},
                "details": {"type": "object", "additionalProperties": True},
            },
        }
    },
}

_DESCRIPTIONS = {
    "400": "Invalid input (`validation_error`).",
    "401": "Not authenticated (`not_authenticated` or `token_invalid`).",
    "403": "Not allowed (`permission_denied`).",
    "404": "Not found, or not yours (`not_found`).",
    "405": "Method not allowed (`method_not_allowed`).",
    "409": "Conflict with the resource's state, or a duplicate (`conflict`).",
    "413": "Body too large (`payload_too_large`).",
    "415": "Unsupported media type (`unsupported_media_type`).",
    "429": "Rate limited (`throttled`); see `Retry-After`.",
}


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: an `Error` component and error responses on every operation."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "403", "404", "405", "429"]
            if path == "/api/health":
                codes = ["503"]
                responses.setdefault(
                    "503",
                    {
                        "description": "The database is unreachable.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "status": {"type": "string"},
                                        "database": {"type": "string"},
                                    },
                                }
                            }
                        },
                    },
                )
                continue
            if method in {"post", "put", "patch", "delete"}:
                codes += ["409", "413", "415"]
            for code in codes:
                responses.setdefault(
                    code,
                    {"description": _DESCRIPTIONS[code], "content": {"application/json": {"schema": ref}}},
                )
    return result


class DecimalFieldExtension(OpenApiSerializerFieldExtension):
    """Decimals as the strings DRF takes and gives: at least one digit, no sign when the field
    has `min_value >= 0` (drf-spectacular's own pattern accepted "", "-" and negative amounts,
    so clients and the fuzzer were told that a 400 body was valid)."""

    target_class = "rest_framework.fields.DecimalField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        whole = field.max_whole_digits
        places = field.decimal_places
        digits = rf"\d{{1,{whole}}}" if whole else (r"0" if whole == 0 else r"\d+")
        sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
        fraction = rf"(?:\.\d{{0,{places}}})?" if places else ""
        pattern = rf"^{sign}{digits}{fraction}$"
        schema = {"type": "string", "format": "decimal", "pattern": pattern}
        if not getattr(field, "coerce_to_string", True):
            schema = {"type": "number", "format": "double"}
        return schema


class APIKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """`Authorization: Api-Key <key>` on the operations that take keys (without it the schema
    listed no key security on any operation, and `check --deploy` warned for every view)."""

    target_class = "customers.authentication.APIKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>` for integrations; the key's scopes decide its routes.",
        }
