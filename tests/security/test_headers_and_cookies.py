"""API2 and API8 (authentication, misconfiguration): production settings, headers, cookies,
CSRF on page forms, a CSP without inline script, CORS closed unless configured."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import bearer_client

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]

PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings as s
from django.test import Client
client = Client()
login = client.get("/account/login/", secure=True, HTTP_HOST="shop.example")
api = client.get("/api/schema/", secure=True, HTTP_HOST="shop.example")
plain = client.get("/account/login/", HTTP_HOST="shop.example")
csrf = login.cookies.get("csrftoken")
print(json.dumps({
    "session_secure": s.SESSION_COOKIE_SECURE, "session_httponly": s.SESSION_COOKIE_HTTPONLY,
    "session_samesite": s.SESSION_COOKIE_SAMESITE, "csrf_secure": s.CSRF_COOKIE_SECURE,
    "csrf_samesite": s.CSRF_COOKIE_SAMESITE, "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "debug": s.DEBUG, "jwt_algorithm": s.SIMPLE_JWT["ALGORITHM"],
    "login_status": login.status_code, "plain_status": plain.status_code,
    "hsts": login.headers.get("Strict-Transport-Security", ""),
    "api_hsts": api.headers.get("Strict-Transport-Security", ""),
    "csrf_cookie": None if csrf is None else {
        "secure": bool(csrf["secure"]), "samesite": csrf["samesite"]},
}))
"""


def _production_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="shop.example",
        DJANGO_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
    )
    return env


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """The production settings and answers, read in a fresh process with DJANGO_DEBUG=0."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = _production_env(tmp_path)

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )

    assert manage("collectstatic", "--noinput", "-v", "0").returncode == 0
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    probe = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr[-2000:]
    return {"check": check, **json.loads(probe.stdout.strip().splitlines()[-1])}


def test_production_settings_pass_check_deploy(production):
    check = production["check"]
    assert check.returncode == 0, check.stdout + check.stderr


def test_production_cookies_are_secure_httponly_and_samesite(production):
    assert production["debug"] is False
    assert production["session_secure"] and production["session_httponly"]
    assert production["session_samesite"] in {"Lax", "Strict"}
    assert production["csrf_secure"] and production["csrf_samesite"] in {"Lax", "Strict"}
    # And the cookie a page actually sets carries the flags
    assert production["login_status"] == 200
    assert production["csrf_cookie"] == {"secure": True, "samesite": production["csrf_samesite"]}


def test_production_redirects_to_https_and_sends_hsts(production):
    assert production["ssl_redirect"] is True
    assert production["plain_status"] == 301
    for header in (production["hsts"], production["api_hsts"]):
        assert re.search(r"max-age=(\d+)", header) and int(re.search(r"max-age=(\d+)", header)[1]) >= 31536000
        assert "includeSubDomains" in header


def test_jwt_algorithm_is_pinned(production):
    assert production["jwt_algorithm"] == "HS256"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/health", "/api/products", "/account/login/"])
def test_answers_carry_nosniff_referrer_policy_and_frame_denial(client, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin", "no-referrer"}
    assert response["X-Frame-Options"] == "DENY"


# --- pages: CSP and CSRF --------------------------------------------------------------------


def _page_paths() -> list[str]:
    """The account and shop pages without path parameters, from the URLconf."""
    paths = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif (
                isinstance(pattern, URLPattern)
                and "<" not in route
                and route.startswith(("account/", "shop/"))
            ):
                paths.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))


@pytest.mark.django_db
@pytest.mark.parametrize("path", _page_paths())
def test_every_page_sends_a_csp_without_inline_script(client, customer, path):
    # Given a logged-in customer
    client.force_login(customer.user)
    # When they open the page
    response = client.get(path)
    # Then the answer carries a CSP that allows scripts only from the site itself
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp


def _templates() -> list[Path]:
    return sorted(p for d in TEMPLATE_DIRS if d.is_dir() for p in d.rglob("*.html"))


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\s on[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)
POST_FORM = re.compile(r"<form[^>]*method=[\"']?post[\"']?[^>]*>(.*?)</form>", re.IGNORECASE | re.DOTALL)


def test_templates_have_no_inline_script_or_event_handler_attributes():
    templates = _templates()
    assert templates
    offenders = []
    for path in templates:
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JS_URL):
            if pattern.search(text):
                offenders.append(f"{path.relative_to(ROOT)}: {pattern.search(text)[0][:60]}")
    assert not offenders, "inline script breaks the CSP: " + "; ".join(offenders)


def test_every_post_form_in_the_templates_carries_a_csrf_token():
    forms = 0
    for path in _templates():
        for body in POST_FORM.findall(path.read_text()):
            forms += 1
            assert "{% csrf_token %}" in body, f"{path.relative_to(ROOT)}: a POST form without csrf_token"
    assert forms


@pytest.mark.django_db
def test_a_page_post_without_the_csrf_token_is_refused(customer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(customer.user)
    for path in ("/account/logout/", "/account/loyalty/"):
        assert client.post(path, {}).status_code == 403, path


# --- CORS -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cors_is_closed_unless_an_origin_is_configured(client, settings):
    # Given no configured origin, a foreign page's request and preflight get no CORS grant
    settings.CORS_ALLOWED_ORIGINS = []
    simple = client.get("/api/health", HTTP_ORIGIN="https://evil.example")
    preflight = client.options(
        "/api/customers/bank-accounts",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "Access-Control-Allow-Origin" not in simple
    assert "Access-Control-Allow-Origin" not in preflight
    # When an origin is configured, that origin alone is granted
    settings.CORS_ALLOWED_ORIGINS = ["https://shop.example"]
    allowed = client.get("/api/health", HTTP_ORIGIN="https://shop.example")
    other = client.get("/api/health", HTTP_ORIGIN="https://evil.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "Access-Control-Allow-Origin" not in other
    assert "Access-Control-Allow-Credentials" not in allowed


def test_api_answers_to_a_jwt_are_not_cached_by_shared_caches(db, customer):
    # An authenticated answer must not be stored by a proxy for the next caller
    response = bearer_client(customer.user).get("/api/customers/loyalty")
    assert response.status_code == 200
    cache_control = response.get("Cache-Control", "")
    vary = response.get("Vary", "")
    assert "public" not in cache_control
    assert (
        "Authorization" in vary
        or "private" in cache_control
        or "no-store" in cache_control
        or not cache_control
    )
