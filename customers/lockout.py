"""Login brute-force protection (django-axes): a growing back-off per (account, client IP).

The API (`email`), the page login form and the admin (`username`) all authenticate through
Django's `authenticate()`, so axes sees every attempt. Failures are counted per pair of
lower-cased account name and client IP; at `AXES_FAILURE_LIMIT` failures the pair is locked for
`LOGIN_LOCKOUT_BASE_SECONDS`, and each further failure after a lockout doubles it, up to
`LOGIN_LOCKOUT_MAX_SECONDS`. Other accounts behind the same IP are never affected.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from rest_framework.throttling import BaseThrottle

from config.api.errors import json_error


def client_ip(request) -> str:
    """The client's address, read the way the API throttles read it (trusting API_NUM_PROXIES proxies)."""
    return BaseThrottle().get_ident(request)


def lockout_username(request, credentials: dict | None = None) -> str | None:
    """The account name of an attempt: `email` (API) or `username` (forms), trimmed and lower-cased.

    Lower-casing matters: logins are case-insensitive, so `Jane@x.com` and `jane@x.com` must
    count against the same lockout.
    """
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        data = getattr(request, "POST", None) or {}
        value = data.get("email") or data.get("username")
    value = str(value or "").strip().lower()
    return value or None


def backoff(failures: int) -> timedelta:
    """How long a pair stays locked after its `failures`-th failure (zero below the limit)."""
    limit = settings.AXES_FAILURE_LIMIT
    if failures < limit:
        return timedelta(0)
    doublings = min(failures - limit, 32)
    seconds = settings.LOGIN_LOCKOUT_BASE_SECONDS * (2**doublings)
    return timedelta(seconds=min(seconds, settings.LOGIN_LOCKOUT_MAX_SECONDS))


class BackoffDatabaseHandler(AxesDatabaseHandler):
    """Axes' database handler with a lockout that ends: locked until last failure + back-off."""

    def locked_until(self, request, credentials: dict | None = None) -> datetime | None:
        failures, last = 0, None
        for attempts in self.get_user_attempts(request, credentials):
            row = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            if (row["failures"] or 0) > failures:
                failures, last = row["failures"], row["last"]
        if last is None:
            return None
        until = last + backoff(failures)
        return until if until > timezone.now() else None

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return self.locked_until(request, credentials) is not None


def retry_after_seconds(request, credentials: dict | None = None) -> int:
    """Seconds until the request's (account, IP) pair may try again (at least 1)."""
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.update_request(request)
    handler = AxesProxyHandler.get_implementation()
    until = handler.locked_until(request, credentials) if hasattr(handler, "locked_until") else None
    if until is None:
        return settings.LOGIN_LOCKOUT_BASE_SECONDS
    return max(1, int((until - timezone.now()).total_seconds() + 0.999))


def lockout_message(seconds: int) -> str:
    return (
        "Too many failed login attempts for this account from your network address. "
        f"Try again in {seconds} seconds, or reset your password."
    )


def lockout_response(request, original_response=None, credentials=None):
    """429 with Retry-After: the contract's error body on the API, a page elsewhere."""
    seconds = retry_after_seconds(request, credentials)
    message = lockout_message(seconds)
    if request.path.startswith("/api/"):
        response = json_error(429, "throttled", message)
    else:
        response = render(request, "account/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response
