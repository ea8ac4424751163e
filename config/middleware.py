"""Request-level plumbing: body size limit, rate-limit headers, Content-Security-Policy."""

from django.conf import settings

from config.api.errors import json_error

PAGE_PREFIXES = ("/account/", "/shop/")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


class RequestSizeLimitMiddleware:
    """Refuses an API body over its limit with 413 before anything reads it, and NUL characters in
    the URL with 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            if "\x00" in request.path or any(
                "\x00" in key or any("\x00" in value for value in values)
                for key, values in request.GET.lists()
            ):
                # PostgreSQL text cannot hold NUL; no id, search or filter of ours contains one.
                return json_error(400, "validation_error", "The URL contains a NUL character.")
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return json_error(400, "validation_error", "Invalid Content-Length header.")
            content_type = request.META.get("CONTENT_TYPE", "")
            limit = settings.API_MAX_BODY_BYTES
            if content_type.startswith("multipart/form-data"):
                # room for the multipart framing around an image at its own limit
                limit = settings.API_MAX_UPLOAD_BYTES + 64 * 1024
            if length > limit:
                return json_error(413, "payload_too_large", f"The request body is larger than {limit} bytes.")
        return self.get_response(request)


class RateLimitHeadersMiddleware:
    """Adds X-RateLimit-Limit / X-RateLimit-Remaining from the throttle's reading."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        reading = getattr(request, "rate_limit", None)
        if reading is not None:
            limit, remaining = reading
            response["X-RateLimit-Limit"] = str(limit)
            response["X-RateLimit-Remaining"] = str(remaining)
        return response


class ContentSecurityPolicyMiddleware:
    """A strict CSP (no inline script) on the account pages and the shop front."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(PAGE_PREFIXES):
            response.setdefault("Content-Security-Policy", CSP)
        return response
