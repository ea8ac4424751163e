"""Domain errors: raised by services, mapped to the contract's error body by one handler.

Each carries its own `code` and HTTP `status`, so the API, the admin and the pages can all show
the same message without knowing which service raised it.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    code = "conflict"
    status = 409
    default_message = "The request could not be completed."

    def __init__(self, message: str | None = None, *, details: dict | None = None):
        self.message = message or self.default_message
        self.details = details or {}
        super().__init__(self.message)


class ValidationFailed(DomainError):
    """Input that breaks a rule (400)."""

    code = "validation_error"
    status = 400
    default_message = "Invalid input."

    @classmethod
    def on(cls, field: str, message: str) -> ValidationFailed:
        """A validation error naming one field."""
        return cls(message, details={field: [message]})


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401
    default_message = "Authentication credentials were not provided or are wrong."


class TokenInvalid(NotAuthenticated):
    """A JWT that is forged, expired, revoked or of the wrong type (401 `token_invalid`)."""

    code = "token_invalid"
    default_message = "The token is invalid or expired."


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_message = "You do not have permission to perform this action."


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = "Not found."


class Conflict(DomainError):
    """A duplicate, or an action the resource's current state forbids (409)."""

    code = "conflict"
    status = 409


class InvalidTransition(Conflict):
    """A state machine transition that is not allowed from the current state."""

    default_message = "This action is not allowed in the current state."


class PayloadTooLarge(DomainError):
    code = "payload_too_large"
    status = 413
    default_message = "The request body is too large."


class UnsupportedMediaType(DomainError):
    code = "unsupported_media_type"
    status = 415
    default_message = "Unsupported media type."


class RateLimited(DomainError):
    code = "throttled"
    status = 429
    default_message = "Too many requests."

    def __init__(self, message: str | None = None, *, retry_after: int = 60, details: dict | None = None):
        self.retry_after = max(1, int(retry_after))
        super().__init__(message, details=details)
