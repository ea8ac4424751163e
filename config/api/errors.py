"""One exception handler that gives every API error the contract's body.

`{"error": {"code": "...", "message": "...", "details": {...}}}` for DRF's exceptions, Django's
404 and validation errors, simplejwt's token errors, the domain errors of `config.errors`, and
any unhandled exception (a 500 `server_error` whose body carries no traceback).
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import set_rollback
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from config.errors import DomainError

logger = logging.getLogger("config.api")

_CODES = {
    400: "validation_error",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "throttled",
}

# simplejwt's answers for a well-formed token that no longer holds: its user is gone or
# disabled, or the password changed since it was issued.
_TOKEN_INVALID_CODES = {"user_not_found", "user_inactive", "password_changed"}


def _auth_code(exc) -> str | None:
    # simplejwt puts `{"detail": ..., "code": ...}` in the detail of its AuthenticationFailed
    if isinstance(exc.detail, dict):
        return str(exc.detail.get("code") or "") or None
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else None


def error_body(code: str, message: str, details: dict | None = None) -> dict:
    """The contract's error body."""
    return {"error": {"code": code, "message": message, "details": details or {}}}


def _details_from(detail) -> dict:
    """DRF's `detail` (dict, list or string) as a `{field: [messages]}` mapping."""
    if isinstance(detail, dict):
        out = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                out[key] = _details_from(value)
            elif isinstance(value, list):
                out[key] = [_flatten(v) for v in value]
            else:
                out[key] = [str(value)]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [_flatten(v) for v in detail]}
    return {}


def _flatten(value):
    if isinstance(value, dict):
        return _details_from(value)
    if isinstance(value, list):
        return [_flatten(v) for v in value]
    return str(value)


def _summary(details: dict) -> str:
    for field, messages in details.items():
        first = messages[0] if isinstance(messages, list) and messages else messages
        if isinstance(first, str):
            prefix = "" if field == "non_field_errors" else f"{field}: "
            return f"{prefix}{first}"
    return "Invalid input."


def error_parts(exc) -> tuple[int, str, str, dict, dict] | None:
    """`(status, code, message, details, headers)` of an exception the API answers on purpose;
    None for an unexpected one (a 500). Shared by the handler and the bulk routes, whose per-item
    errors carry the same code, message and details as the single route would answer."""
    headers = {}
    if isinstance(exc, DomainError):
        status, code, message, details = exc.status, exc.code, exc.message, exc.details
        if getattr(exc, "retry_after", None):
            headers["Retry-After"] = str(exc.retry_after)
    elif isinstance(exc, InvalidToken | TokenError):
        status, code, details = 401, "token_invalid", {}
        message = "The token is invalid or expired."
    elif isinstance(exc, Http404):
        status, code, message, details = 404, "not_found", "Not found.", {}
    elif isinstance(exc, DjangoPermissionDenied):
        status, code, message, details = 403, "permission_denied", "You do not have permission.", {}
    elif isinstance(exc, DjangoValidationError):
        details = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        status, code, message = 400, "validation_error", _summary(details)
    elif isinstance(exc, RequestDataTooBig):
        status, code, message, details = 413, "payload_too_large", "The request body is too large.", {}
    elif isinstance(exc, drf.ValidationError):
        details = _details_from(exc.detail)
        status, code, message = 400, "validation_error", _summary(details)
    elif isinstance(exc, drf.ParseError):
        status, code, details = 400, "validation_error", {}
        message = f"Malformed request body: {exc.detail}"
    elif isinstance(exc, drf.Throttled):
        status, code, details = 429, "throttled", {}
        wait = int(exc.wait or 1) if exc.wait is not None else 60
        message = f"Request was throttled. Try again in {wait} seconds."
        headers["Retry-After"] = str(max(1, wait))
    elif isinstance(exc, drf.APIException):
        status = exc.status_code
        code = _CODES.get(status, "error")
        if isinstance(exc, drf.AuthenticationFailed) and (
            getattr(exc, "_token_invalid", False) or _auth_code(exc) in _TOKEN_INVALID_CODES
        ):
            code = "token_invalid"
        message = str(exc.detail) if not isinstance(exc.detail, dict | list) else code.replace("_", " ")
        details = _details_from(exc.detail) if isinstance(exc.detail, dict | list) else {}
        if (
            isinstance(exc, drf.AuthenticationFailed)
            and isinstance(exc.detail, dict)
            and "detail" in exc.detail
        ):
            message, details = str(exc.detail["detail"]), {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
    else:
        return None
    return status, code, message, details, headers


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER."""
    parts = error_parts(exc)
    if parts is None:
        logger.exception("Unhandled error in %s", context.get("view").__class__.__name__)
        status, code, message, details, headers = 500, "server_error", "An unexpected error occurred.", {}, {}
    else:
        status, code, message, details, headers = parts
    if status == 401 and "WWW-Authenticate" not in headers:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    set_rollback()
    return Response(error_body(code, message, details), status=status, headers=headers)


def json_error(status: int, code: str, message: str, details: dict | None = None) -> JsonResponse:
    """The error body outside DRF (404/500 handlers, middleware)."""
    return JsonResponse(error_body(code, message, details), status=status)
