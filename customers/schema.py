"""OpenAPI description of the API-key authentication (drf-spectacular extension)."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class APIKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """`Authorization: Api-Key <key>`; the key's scopes decide which staff routes it may call."""

    target_class = "customers.authentication.APIKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>` for integrations; the key's scopes decide its routes.",
        }


class JWTUserCustomerAuthenticationScheme(SimpleJWTScheme):
    """The project's JWT authentication is simplejwt's, documented the same way."""

    target_class = "customers.authentication.JWTUserCustomerAuthentication"
