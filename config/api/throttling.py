"""Rate limits by caller type: anonymous (per IP), customer, and staff or API key.

The counters live in the default cache (Redis in production, so every app server shares them).
The limit and what remains are kept on the request; `RateLimitHeadersMiddleware` turns them
into `X-RateLimit-Limit` / `X-RateLimit-Remaining` headers.
"""

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

    Views name the rate in `throttle_rates = {"otp": "5/hour"}` style via `action_throttle_rate`
    and the scope in `action_throttle_scope`.
    """

    def __init__(self):
        pass

    def get_cache_key(self, request, view):
        return None

    def allow_request(self, request, view):
        scope = getattr(view, "action_throttle_scope", None)
        rate = getattr(view, "action_throttle_rate", None)
        if not scope or not rate:
            return True
        self.scope, self.rate = scope, rate
        self.num_requests, self.duration = self.parse_rate(rate)
        for ident in (f"ip:{self.get_ident(request)}", caller_key(request)):
            if not ident:
                continue
            self.key = f"throttle_{scope}_{ident}"
            self.history = self.cache.get(self.key, [])
            self.now = self.timer()
            while self.history and self.history[-1] <= self.now - self.duration:
                self.history.pop()
            if len(self.history) >= self.num_requests:
                return self.throttle_failure()
        for ident in (f"ip:{self.get_ident(request)}", caller_key(request)):
            if not ident:
                continue
            key = f"throttle_{scope}_{ident}"
            history = self.cache.get(key, [])
            history.insert(0, self.now)
            self.cache.set(key, history, self.duration)
        return True
