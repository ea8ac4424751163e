"""Sending one webhook request without server-side request forgery (OWASP API7).

An endpoint URL must be https to a public address. When it is saved, the scheme and any literal
address are checked (`url_check`); at each delivery the host name is resolved, every address it
resolves to must be public, and the connection goes to the address that was checked (no second
lookup a rebinding DNS server could answer differently), with the host name kept for TLS (SNI and
certificate check) and the `Host` header. Redirects are not followed. `WEBHOOK_ALLOW_PRIVATE=1`
allows plain http and private, loopback and link-local addresses, for development and tests.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

import urllib3
from django.conf import settings
from urllib3.util import parse_url

USER_AGENT = "MNKY-Webhooks/1.0 (+https://moodmnky.example/docs/webhooks)"
MAX_RESPONSE_BYTES = 64 * 1024


class UnsafeURL(ValueError):
    """A URL the delivery refuses to call (scheme, or a non-public address)."""


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    error: str

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def allow_private() -> bool:
    return bool(settings.WEBHOOK_ALLOW_PRIVATE)


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_link_local or address.is_loopback
    )


def _literal_address(host: str):
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def url_check(url: str) -> str:
    """The save-time check: https (http too with WEBHOOK_ALLOW_PRIVATE), a host, and no literal
    private, loopback, link-local, reserved or multicast address. Returns an error message or ""."""
    try:
        parsed = parse_url(url)
    except ValueError:
        return "Enter a valid URL."
    schemes = {"https", "http"} if allow_private() else {"https"}
    if parsed.scheme not in schemes:
        return "The URL must use https." if not allow_private() else "The URL must use http or https."
    host = (parsed.host or "").lower().rstrip(".")
    if not host:
        return "The URL needs a host name."
    if allow_private():
        return ""
    literal = _literal_address(host)
    if literal is not None and not _public(literal):
        return "The URL must point to a public address."
    if host == "localhost" or host.endswith(".localhost"):
        return "The URL must point to a public address."
    return ""


def resolve(host: str, port: int) -> str:
    """The address to connect to: every address `host` resolves to must be public (unless
    private ones are allowed); the first is used."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise UnsafeURL(f"could not resolve {host}: {exc}") from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise UnsafeURL(f"{host} resolves to no address")
    if not allow_private():
        for address in addresses:
            if not _public(ipaddress.ip_address(address.split("%")[0])):
                raise UnsafeURL(f"{host} resolves to a non-public address")
    return addresses[0]


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Answer:
    """POST `body` to `url` through a checked address; never raises for network trouble."""
    problem = url_check(url)
    if problem:
        return Answer(None, problem)
    parsed = parse_url(url)
    host = parsed.host.strip("[]")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        address = resolve(host, port)
    except UnsafeURL as exc:
        return Answer(None, str(exc))
    host_header = parsed.host if parsed.port is None else f"{parsed.host}:{parsed.port}"
    request_headers = {
        **headers,
        "Host": host_header,
        "User-Agent": USER_AGENT,
        "Content-Type": "application/json",
    }
    limit = urllib3.Timeout(total=timeout)
    if parsed.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=limit,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            server_hostname=host,
            assert_hostname=host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=limit, retries=False, maxsize=1)
    try:
        response = pool.urlopen(
            "POST",
            parsed.request_uri,
            body=body,
            headers=request_headers,
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
        try:
            response.read(MAX_RESPONSE_BYTES)
        finally:
            response.release_conn()
    except Exception as exc:  # noqa: BLE001 - any failure of the receiver is a failed attempt
        return Answer(None, f"{type(exc).__name__}: {exc}"[:500])
    finally:
        pool.close()
    status = response.status
    return Answer(status, "" if 200 <= status < 300 else f"HTTP {status}")
