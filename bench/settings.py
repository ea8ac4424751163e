"""Production settings (config.settings with the environment `make bench` sets) plus the ceiling route
and a query-count header. Only the benchmark runs with these; production never routes /bench/."""

from config.settings import *  # noqa: F403
from config.settings import MIDDLEWARE

ROOT_URLCONF = "bench.ceiling_urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]

# The bench talks plain HTTP on loopback (TLS ends in front of the app in production); secure-only
# cookies would keep the admin session and CSRF cookie from coming back. Costs nothing server-side.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
