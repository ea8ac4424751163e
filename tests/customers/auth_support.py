"""Helpers shared by the auth tests."""

import re

from tests.factories import DEFAULT_PASSWORD

STRONG_PASSWORD = "Vetiver-Harbour-2026"


def error_of(response) -> dict:
    """The contract's error body, checked for shape."""
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


def obtain_tokens(client, email: str, password: str = DEFAULT_PASSWORD, **extra):
    return client.post("/api/auth/token", {"email": email, "password": password}, format="json", **extra)


def reset_token_from(message) -> str:
    match = re.search(r"^\s*([A-Za-z0-9_-]+\.[0-9a-z]+-[0-9a-f]+)\s*$", message.body, re.MULTILINE)
    assert match, message.body
    return match.group(1)


def otp_code_from(text: str) -> str:
    match = re.search(r"\b(\d{6})\b", text)
    assert match, text
    return match.group(1)
