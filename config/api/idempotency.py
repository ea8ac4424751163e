"""The `Idempotency-Key` mechanism, one decorator for any state-changing view method.

The first request with a key inserts a record (committed at once, so a parallel request sees
it); its answer is stored when it succeeds. A replay by the same caller within 24 h gets the
stored answer and changes nothing; the same key with another body, or while the first request
is still running, is 409. A request that fails is forgotten, so the client may retry it.
"""

import functools
import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from config.api.callers import caller_key
from config.errors import Conflict, ValidationFailed
from config.models import IdempotencyRecord

HEADER = "Idempotency-Key"
STALE_AFTER = timedelta(minutes=5)


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(b"\0")
    digest.update(request.get_full_path().encode())
    digest.update(b"\0")
    digest.update(request.body or b"")
    return digest.hexdigest()


def _claim(*, caller: str, key: str, fingerprint: str) -> IdempotencyRecord | None:
    """Insert the in-progress record; None when this request owns the key now."""
    now = timezone.now()
    for _ in range(2):
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.create(caller=caller, key=key, fingerprint=fingerprint)
            return None
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(caller=caller, key=key).first()
            if existing is None:
                continue
            expired = existing.created_at < now - settings.IDEMPOTENCY_TTL
            abandoned = (
                existing.status == IdempotencyRecord.Status.IN_PROGRESS
                and existing.created_at < now - STALE_AFTER
            )
            if expired or abandoned:
                IdempotencyRecord.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
                continue
            return existing
    raise Conflict("This Idempotency-Key is being used by another request.")


def idempotent(view_method):
    """Make a DRF view method honour the `Idempotency-Key` header."""

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        caller = caller_key(request)
        if not key or caller is None:
            return view_method(self, request, *args, **kwargs)
        if len(key) > 255:
            raise ValidationFailed.on(HEADER, "At most 255 characters.")
        fingerprint = _fingerprint(request)
        existing = _claim(caller=caller, key=key, fingerprint=fingerprint)
        if existing is not None:
            if existing.fingerprint != fingerprint:
                raise Conflict("This Idempotency-Key was already used with a different request.")
            if existing.status != IdempotencyRecord.Status.COMPLETED:
                raise Conflict("A request with this Idempotency-Key is still being processed.")
            replay = Response(json.loads(existing.response_body or "null"), status=existing.status_code)
            replay["Idempotent-Replayed"] = "true"
            return replay
        try:
            response = view_method(self, request, *args, **kwargs)
        except BaseException:
            IdempotencyRecord.objects.filter(caller=caller, key=key).delete()
            raise
        if 200 <= response.status_code < 300:
            IdempotencyRecord.objects.filter(caller=caller, key=key).update(
                status=IdempotencyRecord.Status.COMPLETED,
                status_code=response.status_code,
                response_body=json.dumps(response.data, cls=JSONEncoder),
                completed_at=timezone.now(),
            )
        else:
            IdempotencyRecord.objects.filter(caller=caller, key=key).delete()
        return response

    wrapper.idempotent = True
    return wrapper


def idempotency_records_erase(*, caller: str) -> int:
    """Forget every stored answer of one caller (GDPR erasure)."""
    deleted, _ = IdempotencyRecord.objects.filter(caller=caller).delete()
    return deleted


def idempotency_records_purge() -> int:
    """Delete records older than the 24 h window."""
    deleted, _ = IdempotencyRecord.objects.filter(
        created_at__lt=timezone.now() - settings.IDEMPOTENCY_TTL
    ).delete()
    return deleted


def idempotency_header_parameter():
    """The OpenAPI description of the header, for `extend_schema(parameters=[...])`."""
    from drf_spectacular.utils import OpenApiParameter

    return OpenApiParameter(
        HEADER,
        str,
        OpenApiParameter.HEADER,
        required=False,
        description="Any unique string (at most 255 characters). A replay within 24 h returns the "
        "first answer and changes nothing; the same key with a different body is 409.",
    )
