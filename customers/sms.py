"""Pluggable SMS backends (`SMS_BACKEND`): console and file for development, locmem for tests."""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

outbox: list[dict] = []


class BaseSMSBackend:
    """Send one text message; a production backend wraps a provider's API."""

    def send(self, *, to: str, body: str) -> None:
        raise NotImplementedError


class ConsoleSMSBackend(BaseSMSBackend):
    def send(self, *, to: str, body: str) -> None:
        sys.stdout.write(f"SMS to {to}: {body}\n")


class FileSMSBackend(BaseSMSBackend):
    """Appends each message as a JSON line to SMS_FILE_PATH/messages.jsonl."""

    def send(self, *, to: str, body: str) -> None:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "messages.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"to": to, "body": body, "sent_at": timezone.now().isoformat()}) + "\n")


class LocmemSMSBackend(BaseSMSBackend):
    """Keeps messages in `customers.sms.outbox` (tests)."""

    def send(self, *, to: str, body: str) -> None:
        outbox.append({"to": to, "body": body})


def send_sms(*, to: str, body: str) -> None:
    """Send through the configured backend."""
    import_string(settings.SMS_BACKEND)().send(to=to, body=body)
