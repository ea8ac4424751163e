"""Webhook secrets: made, encrypted at rest (Fernet), and used to sign deliveries.

Signing needs the secret itself, so it cannot be hashed like a password; it is encrypted with
`WEBHOOK_SECRET_KEY` (one or more Fernet keys, comma-separated, the first encrypts: add a new key
in front to rotate the key, and every stored secret still decrypts). Without the setting the key
is derived from `SECRET_KEY`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

SECRET_PREFIX = "whsec_"


def secret_new() -> str:
    """A fresh signing secret, e.g. `whsec_3q2+...` (shown to the caller once)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


@lru_cache(maxsize=8)
def _fernet(keys: str, secret_key: str) -> MultiFernet:
    if keys.strip():
        fernets = [Fernet(key.strip().encode()) for key in keys.split(",") if key.strip()]
    else:
        derived = hashlib.sha256(b"mnky-webhook-secrets:" + secret_key.encode()).digest()
        fernets = [Fernet(base64.urlsafe_b64encode(derived))]
    return MultiFernet(fernets)


def _cipher() -> MultiFernet:
    return _fernet(settings.WEBHOOK_SECRET_KEY, settings.SECRET_KEY)


def secret_encrypt(secret: str) -> str:
    return _cipher().encrypt(secret.encode()).decode()


def secret_decrypt(token: str) -> str:
    return _cipher().decrypt(token.encode()).decode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Hex HMAC-SHA256 of `"<timestamp>.<body>"` with the secret (its UTF-8 bytes) as key."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secrets_newest_first: list[str], timestamp: int, body: bytes) -> str:
    """`t=<unix time>,v1=<hex>[,v1=<hex>]`: one `v1` per valid secret, newest first."""
    parts = [f"t={timestamp}"] + [f"v1={signature(s, timestamp, body)}" for s in secrets_newest_first]
    return ",".join(parts)
