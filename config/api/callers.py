"""Who is calling: anonymous, a customer, a staff user, or an API key."""

from __future__ import annotations

ANON, CUSTOMER, STAFF = "anon", "customer", "staff"


def api_key_of(request):
    """The API key that authenticated the request, or None."""
    from customers.models import APIKey

    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, APIKey) else None


def caller_kind(request) -> str:
    """`anon`, `customer` or `staff` (API keys count as staff)."""
    if api_key_of(request) is not None:
        return STAFF
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ANON
    return STAFF if user.is_staff else CUSTOMER


def caller_key(request) -> str | None:
    """A stable identity for the caller (`user:<pk>` or `key:<prefix>`), None when anonymous."""
    key = api_key_of(request)
    if key is not None:
        return f"key:{key.prefix}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and getattr(user, "pk", None) is not None:
        return f"user:{user.pk}"
    return None
