"""Recording events and delivering them to webhook endpoints.

Every domain service that causes a contract event calls `record_event` inside its own
transaction, so the event exists if and only if the change committed; the same transaction
creates one `Delivery` per active endpoint subscribed to the event's type. After the commit a
Celery task sends them; the beat task `webhook_deliveries_sweep` (every minute) sends whatever is
due, so a lost enqueue or a worker killed mid-delivery leads to a retry, never a lost event.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from config.errors import Conflict, NotFound, ValidationFailed
from integrations import retries, signing, transport
from integrations.events import EVENT_TYPES
from integrations.models import Delivery, DeliveryStatus, Event, WebhookEndpoint

logger = logging.getLogger(__name__)

SECRET_OVERLAP = retries.RETRY_WINDOW  # a rotated-out secret keeps signing for 24 h
DISABLED_ERROR = "The endpoint is disabled."


def record_event(event_type: str, data: dict[str, Any]) -> Event:
    """Write one outbox row for `event_type` with `data` (the resource as its API route shows it),
    and a delivery for every active endpoint subscribed to that type.

    Must run inside the caller's transaction (an `atomic` block); outside one it would commit on
    its own and could describe a change that then fails, so that is refused.
    """
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must be called inside the transaction of the change it describes")
    # Round-trip through JSON so Decimals, dates and UUIDs are stored as the API shows them.
    payload = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    event = Event.objects.create(type=event_type, data=payload)
    # Endpoints are few: read the active ones' subscriptions (portable across SQLite and PostgreSQL).
    subscribed = [
        pk
        for pk, types in WebhookEndpoint.objects.filter(is_active=True).values_list("pk", "events")
        if event_type in (types or [])
    ]
    if subscribed:
        now = timezone.now()
        Delivery.objects.bulk_create(
            [
                Delivery(endpoint_id=pk, event=event, next_attempt_at=now, window_started_at=now)
                for pk in subscribed
            ]
        )
        event_id = event.pk
        transaction.on_commit(lambda: _enqueue(event_id=event_id), robust=True)
    return event


def events_data_rewrite(
    *, customer_id: str, types: Iterable[str], rewrite: Callable[[dict[str, Any]], dict[str, Any]]
) -> int:
    """Rewrite the stored `data` of the events of `types` about one customer; returns how many.

    An event is about the customer when its `data["id"]` or `data["customer_id"]` is the customer's
    public id. GDPR erasure uses it: each app scrubs the personal values of its own payloads, in the
    erasure's transaction, so the outbox keeps no copy of what the erasure removed elsewhere.
    """
    events = list(
        Event.objects.select_for_update()
        .filter(type__in=list(types))
        .filter(Q(data__id=customer_id) | Q(data__customer_id=customer_id))
        .order_by("pk")
    )
    for event in events:
        event.data = json.loads(json.dumps(rewrite(event.data), cls=DjangoJSONEncoder))
    Event.objects.bulk_update(events, ["data"], batch_size=500)
    return len(events)


def _enqueue(*, event_id: int | None = None, delivery_id: int | None = None) -> None:
    from integrations.tasks import webhook_deliveries_send

    webhook_deliveries_send.delay(event_id=event_id, delivery_id=delivery_id)


# --- endpoints ------------------------------------------------------------------------------


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    problem = transport.url_check(url) if url else "This field is required."
    if problem:
        raise ValidationFailed.on("url", problem)
    return url


def _clean_events(events) -> list[str]:
    if not isinstance(events, list | tuple) or not events:
        raise ValidationFailed.on("events", "Choose at least one event type.")
    unknown = [str(e) for e in events if e not in EVENT_TYPES]
    if unknown:
        message = f"Unknown event type: {', '.join(unknown)}."
        raise ValidationFailed.on("events", message)
    return [t for t in EVENT_TYPES if t in set(events)]


def webhook_endpoint_get(*, public_id: str) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(public_id=public_id).first()
    if endpoint is None:
        raise NotFound("No such webhook endpoint.")
    return endpoint


@transaction.atomic
def webhook_endpoint_create(
    *, url: str, events: list[str], is_active: bool = True, by=None
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (returned once; only its ciphertext is stored)."""
    secret = signing.secret_new()
    endpoint = WebhookEndpoint.objects.create(
        url=_clean_url(url),
        events=_clean_events(events),
        is_active=is_active,
        secret_encrypted=signing.secret_encrypt(secret),
        created_by=by,
        disabled_at=None if is_active else timezone.now(),
    )
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    events: list[str] | None = None,
    is_active: bool | None = None,
) -> WebhookEndpoint:
    """Change the URL, the event types or whether it is active. Re-activating clears the failure
    record; deactivating fails its pending deliveries (redeliver them from the log)."""
    endpoint.refresh_from_db(from_queryset=WebhookEndpoint.objects.select_for_update())
    if url is not None:
        endpoint.url = _clean_url(url)
    if events is not None:
        endpoint.events = _clean_events(events)
    if is_active is not None and is_active != endpoint.is_active:
        endpoint.is_active = is_active
        if is_active:
            endpoint.failure_count, endpoint.failing_since, endpoint.disabled_at = 0, None, None
        else:
            endpoint.disabled_at = timezone.now()
            _fail_pending(endpoint)
    endpoint.save()
    return endpoint


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Delete the endpoint with its delivery log (the events stay)."""
    endpoint.delete()


@transaction.atomic
def webhook_endpoint_rotate_secret(
    *, endpoint: WebhookEndpoint, now: datetime | None = None
) -> tuple[WebhookEndpoint, str]:
    """A new secret (returned once); the current one keeps signing for 24 h beside it. A secret
    rotated out earlier stops at once."""
    now = now or timezone.now()
    endpoint.refresh_from_db(from_queryset=WebhookEndpoint.objects.select_for_update())
    secret = signing.secret_new()
    endpoint.previous_secret_encrypted = endpoint.secret_encrypted
    endpoint.previous_secret_expires_at = now + SECRET_OVERLAP
    endpoint.secret_encrypted = signing.secret_encrypt(secret)
    endpoint.save(
        update_fields=[
            "previous_secret_encrypted",
            "previous_secret_expires_at",
            "secret_encrypted",
            "updated_at",
        ]
    )
    return endpoint, secret


def endpoint_secrets(endpoint: WebhookEndpoint, *, now: datetime) -> list[str]:
    """The secrets that sign a delivery at `now`, newest first."""
    found = [signing.secret_decrypt(endpoint.secret_encrypted)]
    if endpoint.previous_secret_encrypted and endpoint.previous_secret_expires_at > now:
        found.append(signing.secret_decrypt(endpoint.previous_secret_encrypted))
    return found


# --- deliveries -----------------------------------------------------------------------------


def delivery_get(*, endpoint: WebhookEndpoint, public_id: str) -> Delivery:
    delivery = Delivery.objects.filter(endpoint=endpoint, public_id=public_id).first()
    if delivery is None:
        raise NotFound("No such delivery.")
    return delivery


@transaction.atomic
def delivery_redeliver(*, delivery: Delivery, now: datetime | None = None) -> Delivery:
    """Send the event again now, with a fresh 24-hour retry window (whatever its status was)."""
    now = now or timezone.now()
    delivery.refresh_from_db(from_queryset=Delivery.objects.select_for_update())
    if not WebhookEndpoint.objects.filter(pk=delivery.endpoint_id, is_active=True).exists():
        raise Conflict("The endpoint is disabled: activate it first.")
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.window_started_at = now
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "window_started_at"])
    delivery_id = delivery.pk
    transaction.on_commit(lambda: _enqueue(delivery_id=delivery_id), robust=True)
    return delivery


def _fail_pending(endpoint: WebhookEndpoint) -> None:
    Delivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, next_attempt_at=None, last_error=DISABLED_ERROR
    )


def deliveries_claim(
    *, now: datetime, limit: int, event_id: int | None = None, delivery_id: int | None = None
) -> list[int]:
    """Claim up to `limit` due pending deliveries: lock them (skipping rows another worker holds)
    and move them a lease ahead, so no other worker sends them meanwhile."""
    with transaction.atomic():
        due = Delivery.objects.select_for_update(skip_locked=True).filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        )
        if event_id is not None:
            due = due.filter(event_id=event_id)
        if delivery_id is not None:
            due = due.filter(pk=delivery_id)
        claimed = list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
        if claimed:
            Delivery.objects.filter(pk__in=claimed).update(
                next_attempt_at=now + retries.CLAIM_LEASE, attempts=F("attempts") + 1, last_attempt_at=now
            )
    return claimed


def deliveries_send_due(
    *,
    now: datetime | None = None,
    limit: int = 50,
    event_id: int | None = None,
    delivery_id: int | None = None,
    timeout: float | None = None,
) -> int:
    """Claim and send due deliveries (all due ones, or those of one event or one delivery);
    returns how many were attempted."""
    now = now or timezone.now()
    claimed = deliveries_claim(now=now, limit=limit, event_id=event_id, delivery_id=delivery_id)
    deliveries = Delivery.objects.select_related("endpoint", "event").filter(pk__in=claimed).order_by("id")
    for delivery in deliveries:
        delivery_attempt(delivery=delivery, now=now, timeout=timeout)
    return len(claimed)


def delivery_body(event: Event) -> bytes:
    """The exact bytes sent (and signed): the event envelope as compact JSON."""
    return json.dumps(event.envelope(), separators=(",", ":"), ensure_ascii=False).encode()


def delivery_attempt(*, delivery: Delivery, now: datetime, timeout: float | None = None) -> None:
    """Send one claimed delivery and record the answer (never raises for the receiver's faults)."""
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        _record_failure(delivery, now=now, status_code=None, error=DISABLED_ERROR, final=True)
        return
    body = delivery_body(delivery.event)
    timestamp = int(now.timestamp())
    headers = {
        "Webhook-Signature": signing.signature_header(endpoint_secrets(endpoint, now=now), timestamp, body),
        "Webhook-Id": delivery.event.public_id,
    }
    answer = transport.post(
        endpoint.url, body, headers, timeout=timeout if timeout is not None else settings.WEBHOOK_TIMEOUT
    )
    if answer.ok:
        _record_success(delivery, now=now, status_code=answer.status_code)
    else:
        _record_failure(delivery, now=now, status_code=answer.status_code, error=answer.error)


def _record_success(delivery: Delivery, *, now: datetime, status_code: int) -> None:
    with transaction.atomic():
        # Conditional: a delivery is marked delivered once, whoever sent it.
        marked = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.DELIVERED,
            delivered_at=now,
            next_attempt_at=None,
            last_status_code=status_code,
            last_error="",
        )
        if marked:
            WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(
                failure_count=0, failing_since=None
            )


def _record_failure(
    delivery: Delivery, *, now: datetime, status_code: int | None, error: str, final: bool = False
) -> None:
    disabled = False
    with transaction.atomic():
        current = Delivery.objects.select_for_update().filter(pk=delivery.pk).first()
        if current is None or current.status != DeliveryStatus.PENDING:
            return
        retry_at = None
        if not final:
            retry_at = retries.next_attempt_at(
                failed_attempts=current.attempts, window_started_at=current.window_started_at, now=now
            )
        current.last_status_code = status_code
        current.last_error = error[:500]
        current.next_attempt_at = retry_at
        if retry_at is None:
            current.status = DeliveryStatus.FAILED
        current.save(update_fields=["last_status_code", "last_error", "next_attempt_at", "status"])
        if final:
            return
        WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(
            failure_count=F("failure_count") + 1, failing_since=Coalesce(F("failing_since"), Value(now))
        )
        disabled = bool(
            WebhookEndpoint.objects.filter(
                pk=delivery.endpoint_id,
                is_active=True,
                failing_since__lte=now - retries.DISABLE_AFTER,
            ).update(is_active=False, disabled_at=now)
        )
        if disabled:
            _fail_pending(delivery.endpoint)
    if disabled:
        _alert_disabled(WebhookEndpoint.objects.select_related("created_by").get(pk=delivery.endpoint_id))


def _alert_disabled(endpoint: WebhookEndpoint) -> None:
    """Tell the endpoint's creator (or WEBHOOK_ALERT_EMAIL for endpoints made with an API key)."""
    creator = endpoint.created_by
    recipient = creator.email if creator is not None and creator.email else settings.WEBHOOK_ALERT_EMAIL
    logger.warning("webhook endpoint %s disabled after 3 days of failures", endpoint.public_id)
    if not recipient:
        return
    body = (
        f"The webhook endpoint {endpoint.public_id} ({endpoint.url}) has failed every delivery since "
        f"{endpoint.failing_since:%Y-%m-%d %H:%M} UTC ({endpoint.failure_count} failed attempts), so it "
        "was disabled and its pending deliveries were stopped.\n\n"
        "Fix the receiver, then activate the endpoint again (PATCH /api/webhooks/{id} with "
        '{"is_active": true}, or in the staff admin) and redeliver what it missed from its delivery log.'
    )
    try:
        send_mail("A webhook endpoint was disabled", body, None, [recipient])
    except OSError:
        logger.exception("could not send the webhook-disabled email for %s", endpoint.public_id)
