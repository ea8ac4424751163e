"""Rate limits by caller type: anonymous (per IP), customer, and staff or API key.

The counters live in the default cache (Redis in production, so every app server shares them).
The limit and what remains are kept on the request; `RateLimitHeadersMiddleware` turns them
into `X-RateLimit-Limit` / `X-RateLimit-Remaining` headers.
"""

import hashlib

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from config.api.callers import caller_key, caller_kind


class CallerRateThrottle(SimpleRateThrottle):
    """One throttle for every route; the scope follows who is calling."""

    cache_format = "throttle_%(scope)s_%(ident)s"

    def __init__(self):
        # The rate is chosen per request in allow_request, once the caller is known.
        pass

    def get_cache_key(self, request, view):
        ident = caller_key(request) or self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        self.scope = caller_kind(request)
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        allowed = super().allow_request(request, view)
        remaining = max(0, self.num_requests - len(self.history)) if allowed else 0
        request._request.rate_limit = (self.num_requests, remaining)
        return allowed


class ScopedActionThrottle(SimpleRateThrottle):
    """An extra limit on one action (OTP sends, reset emails, reviews) per account and per IP.

    A view names its scope in `action_throttle_scope`; the rates come from
    `settings.ACTION_THROTTLE_RATES[scope]` (`{"account": "5/hour", "ip": "20/hour"}`), or from the
    view's `action_throttle_rate` (one rate for both). The account is the caller by default; a view
    whose caller is anonymous (a reset email) or that sends to a third party names the account
    itself with `action_throttle_accounts(request) -> list[str]`. A request is refused when any of
    its counters is full, and counted in all of them only when it is let through.
    """

    def __init__(self):
        # Rates are chosen per request in allow_request, from the view.
        pass

    def get_cache_key(self, request, view):
        return None

    def _rates(self, view, scope: str) -> dict[str, str]:
        rate = getattr(view, "action_throttle_rate", None)
        if rate:
            return {"account": rate, "ip": rate}
        return dict(getattr(settings, "ACTION_THROTTLE_RATES", {}).get(scope, {}))

    def _counters(self, request, view, scope: str) -> list[tuple[str, str]]:
        """(cache key, rate) for each counter the request falls under."""
        rates = self._rates(view, scope)
        accounts_of = getattr(view, "action_throttle_accounts", None)
        accounts = accounts_of(request) if accounts_of else [caller_key(request)]
        counters = []
        if rates.get("ip"):
            counters.append((f"throttle_{scope}_ip:{self.get_ident(request)}", rates["ip"]))
        if rates.get("account"):
            for account in accounts:
                if account:
                    digest = hashlib.sha256(account.encode()).hexdigest()[:32]
                    counters.append((f"throttle_{scope}_acct:{digest}", rates["account"]))
        return counters

    def allow_request(self, request, view):
        scope = getattr(view, "action_throttle_scope", None)
        if not scope or request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        self.scope = scope
        self.now = self.timer()
        readings = []
        for key, rate in self._counters(request, view, scope):
            num_requests, duration = self.parse_rate(rate)
            history = [t for t in self.cache.get(key, []) if t > self.now - duration]
            if len(history) >= num_requests:
                self.history, self.num_requests, self.duration = history, num_requests, duration
                return self.throttle_failure()
            readings.append((key, history, duration))
        for key, history, duration in readings:
            self.cache.set(key, [self.now, *history], duration)
        return True
