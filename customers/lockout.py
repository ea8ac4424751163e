"""Login brute-force protection (django-axes): a growing back-off per (account, client IP)."""

from datetime import timedelta

from django.conf import settings

from config.api.errors import json_error

BASE_COOLOFF = timedelta(minutes=1)
MAX_COOLOFF = timedelta(hours=24)


def _failures(request) -> int:
    from axes.models import AccessAttempt

    username = getattr(request, "axes_credentials", None) or {}
    email = (username.get(settings.AXES_USERNAME_FORM_FIELD) if isinstance(username, dict) else None) or ""
    ip = getattr(request, "axes_ip_address", None)
    attempt = AccessAttempt.objects.filter(username__iexact=email, ip_address=ip).only("failures_since_start")
    row = attempt.first()
    return row.failures_since_start if row else 0


def cooloff_time(request=None) -> timedelta:
    """1 minute at the limit, doubling with each further failure, at most a day."""
    if request is None:
        return BASE_COOLOFF
    extra = max(0, _failures(request) - settings.AXES_FAILURE_LIMIT)
    return min(MAX_COOLOFF, BASE_COOLOFF * (2 ** min(extra, 16)))


def lockout_response(request, *args, **kwargs):
    """429 with the contract's body and Retry-After (pages get the same message)."""
    seconds = int(cooloff_time(request).total_seconds())
    message = (
        f"Too many failed login attempts for this account from your address. Try again in {seconds} seconds."
    )
    if request.path.startswith("/api/"):
        response = json_error(429, "throttled", message)
    else:
        from django.shortcuts import render

        response = render(request, "account/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response
