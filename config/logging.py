"""Structured (JSON) logs that never carry passwords, tokens, OTP codes or full IBANs."""

import json
import logging
import re

_SECRET_KEYS = r"(password|passwd|token|access|refresh|otp|secret|api[_-]?key|authorization|iban|code)"
_PATTERNS = [
    # key=value, "key": "value" and key: value forms
    re.compile(rf'(?i)("?{_SECRET_KEYS}"?\s*[:=]\s*"?)([^"\s,&}}]+)'),
    # bearer / api-key authorization values
    re.compile(r"(?i)((?:Bearer|Api-Key)\s+)([A-Za-z0-9._\-]+)"),
    # JWTs anywhere
    re.compile(r"()(eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)"),
    # IBAN-shaped values anywhere
    re.compile(r"()\b([A-Z]{2}\d{2}[A-Z0-9]{11,30})\b"),
]


def redact(text: str) -> str:
    """Replace every secret-looking value in text by `[redacted]`."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + "[redacted]", text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Scrubs secrets from the formatted message and its arguments before any handler sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not hide the log line
            message = str(record.msg)
        record.msg = redact(message)
        record.args = ()
        return True


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and exception text if any."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("status_code", "method", "path", "event"):
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        if record.exc_info:
            payload["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(payload, default=str)
