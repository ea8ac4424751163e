"""Webhook deliveries: created with their event, signed, sent to a real receiver on loopback,
retried on the schedule, the endpoint disabled after 3 days of failures, SSRF refused."""

import json
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from integrations import retries, services, signing, transport
from integrations.events import ORDER_CREATED, ORDER_PAID
from integrations.models import Delivery, DeliveryStatus, Event
from tests.factories import StaffUserFactory
from tests.integrations.factories import make_endpoint, make_event
from tests.integrations.receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_ok(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True


def _verify(header: str, body: bytes, secret: str) -> bool:
    """Check one `v1` of the header independently of the code under test."""
    import hashlib
    import hmac

    pairs = dict(p.split("=", 1) for p in header.split(",") if p.startswith("t="))
    signed = pairs["t"].encode() + b"." + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"v1={expected}" in header.split(",")


# --- the outbox creates deliveries ----------------------------------------------------------


def test_recording_an_event_creates_one_delivery_per_active_subscribed_endpoint():
    subscribed, _ = make_endpoint(events=[ORDER_CREATED, ORDER_PAID])
    make_endpoint(events=[ORDER_PAID])
    make_endpoint(events=[ORDER_CREATED], is_active=False)

    event = make_event(ORDER_CREATED)

    assert list(Delivery.objects.values_list("endpoint_id", "event_id", "status")) == [
        (subscribed.pk, event.pk, DeliveryStatus.PENDING)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_neither_event_nor_delivery():
    make_endpoint()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record_event(ORDER_CREATED, {"number": "MNKY-1"})
        raise RuntimeError("the change fails")
    assert not Event.objects.exists()
    assert not Delivery.objects.exists()


def test_the_commit_enqueues_the_delivery_task(private_ok, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        make_endpoint(url=receiver.url())
        with django_capture_on_commit_callbacks(execute=True):
            event = make_event()
        assert len(receiver.requests) == 1
    assert json.loads(receiver.requests[0].body)["id"] == event.public_id
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED


# --- sending --------------------------------------------------------------------------------


def test_a_delivery_posts_the_signed_envelope_to_the_receiver(private_ok):
    with Receiver() as receiver:
        endpoint, secret = make_endpoint(url=receiver.url("/in?src=mnky"))
        event = make_event(data={"number": "MNKY-1001", "total": "52.95"})
        assert services.deliveries_send_due() == 1

    [request] = receiver.requests
    assert request.path == "/in?src=mnky"
    assert json.loads(request.body) == {
        "id": event.public_id,
        "type": "order.created",
        "created_at": event.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "data": {"number": "MNKY-1001", "total": "52.95"},
    }
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"].startswith("MNKY-Webhooks/")
    assert request.headers["Webhook-Id"] == event.public_id
    assert _verify(request.headers["Webhook-Signature"], request.body, secret)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 204)
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None
    endpoint.refresh_from_db()
    assert endpoint.failure_count == 0


def test_a_delivered_delivery_is_not_sent_again_by_the_sweep(private_ok):
    with Receiver() as receiver:
        make_endpoint(url=receiver.url())
        make_event()
        services.deliveries_send_due()
        assert services.deliveries_send_due(now=timezone.now() + timedelta(days=1)) == 0
    assert len(receiver.requests) == 1


def test_a_worker_killed_mid_delivery_leaves_it_to_the_sweep_after_the_lease(private_ok):
    with Receiver() as receiver:
        make_endpoint(url=receiver.url())
        make_event()
        now = timezone.now()
        # a worker claims the delivery, then dies before sending
        assert len(services.deliveries_claim(now=now, limit=10)) == 1
        assert services.deliveries_send_due(now=now + timedelta(seconds=30)) == 0
        assert services.deliveries_send_due(now=now + retries.CLAIM_LEASE) == 1
    assert len(receiver.requests) == 1
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED


# --- secrets --------------------------------------------------------------------------------


def test_the_secret_is_stored_encrypted_never_in_plain_text():
    endpoint, secret = make_endpoint()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM integrations_webhookendpoint WHERE id = %s", [endpoint.pk])
        row = cursor.fetchone()
    assert secret.startswith("whsec_")
    assert not any(secret in str(value) or secret[6:] in str(value) for value in row)
    assert signing.secret_decrypt(endpoint.secret_encrypted) == secret


def test_both_secrets_sign_during_the_rotation_overlap_and_only_the_new_one_after_24_hours(private_ok):
    with Receiver() as receiver:
        endpoint, old = make_endpoint(url=receiver.url())
        rotated_at = timezone.now()
        endpoint, new = services.webhook_endpoint_rotate_secret(endpoint=endpoint, now=rotated_at)
        make_event()
        services.deliveries_send_due(now=rotated_at + timedelta(hours=23))
        make_event()
        services.deliveries_send_due(now=rotated_at + timedelta(hours=24, seconds=1))

    during, after = receiver.requests
    header = during.headers["Webhook-Signature"]
    assert header.count("v1=") == 2
    assert _verify(header, during.body, new) and _verify(header, during.body, old)
    # newest first
    assert header.split(",")[1] == "v1=" + signing.signature(new, int(header[2:12]), during.body)
    assert after.headers["Webhook-Signature"].count("v1=") == 1
    assert _verify(after.headers["Webhook-Signature"], after.body, new)
    assert not _verify(after.headers["Webhook-Signature"], after.body, old)


# --- the retry schedule ---------------------------------------------------------------------


def test_retry_delays_double_from_a_minute_up_to_three_hours():
    assert [retries.retry_delay(n) for n in (1, 2, 3, 8, 9, 50)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=128),
        timedelta(hours=3),
        timedelta(hours=3),
    ]
    assert retries.retry_delay(1, jitter=0.999) > timedelta(seconds=45)


def test_no_retry_is_scheduled_past_the_24_hour_window():
    start = timezone.now()
    assert retries.next_attempt_at(failed_attempts=3, window_started_at=start, now=start, rng=lambda: 0) == (
        start + timedelta(minutes=4)
    )
    late = start + timedelta(hours=22)
    assert (
        retries.next_attempt_at(failed_attempts=12, window_started_at=start, now=late, rng=lambda: 0) is None
    )


def test_failed_attempts_are_retried_on_the_schedule_for_24_hours_then_the_delivery_fails(private_ok):
    with Receiver(status=500) as receiver:
        make_endpoint(url=receiver.url())
        make_event()
        delivery = Delivery.objects.get()
        start = delivery.window_started_at
        attempt_times = []
        now = start
        while delivery.status == DeliveryStatus.PENDING:
            # not due a second early
            assert services.deliveries_send_due(now=now - timedelta(seconds=1)) == 0
            assert services.deliveries_send_due(now=now) == 1
            attempt_times.append(now)
            delivery.refresh_from_db()
            if delivery.status == DeliveryStatus.PENDING:
                expected = retries.retry_delay(delivery.attempts)
                assert expected * 0.75 <= delivery.next_attempt_at - now <= expected
                now = delivery.next_attempt_at

    assert len(receiver.requests) == len(attempt_times) == delivery.attempts
    assert 12 <= delivery.attempts <= 20
    assert attempt_times[-1] <= start + timedelta(hours=24)
    assert (delivery.status, delivery.last_status_code, delivery.last_error) == ("failed", 500, "HTTP 500")
    assert delivery.next_attempt_at is None


def test_an_endpoint_failing_for_3_days_is_disabled_and_its_creator_is_emailed(private_ok):
    creator = StaffUserFactory(email="ops@moodmnky.example")
    with Receiver(status=503) as receiver:
        endpoint, _ = make_endpoint(url=receiver.url(), by=creator)
        start = timezone.now() + timedelta(seconds=1)
        for day in range(4):
            make_event()
            services.deliveries_send_due(now=start + timedelta(days=day))
            endpoint.refresh_from_db()
            assert endpoint.is_active is (day < 3)
        pending_event = make_event()  # an inactive endpoint gets no new delivery

    assert endpoint.disabled_at == start + timedelta(days=3)
    assert endpoint.failure_count >= 4  # every attempt of those 3 days failed
    assert not Delivery.objects.filter(event=pending_event).exists()
    assert not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()
    [message] = mail.outbox
    assert message.to == ["ops@moodmnky.example"]
    assert endpoint.public_id in message.body


def test_an_endpoint_made_with_an_api_key_alerts_the_configured_address(private_ok, settings):
    settings.WEBHOOK_ALERT_EMAIL = "integrations@moodmnky.example"
    with Receiver(status=500) as receiver:
        make_endpoint(url=receiver.url(), by=None)
        start = timezone.now() + timedelta(seconds=1)
        make_event()
        services.deliveries_send_due(now=start)
        make_event()
        services.deliveries_send_due(now=start + timedelta(days=3))
    assert [m.to for m in mail.outbox] == [["integrations@moodmnky.example"]]


def test_a_success_clears_the_failure_record(private_ok):
    with Receiver(status=500) as receiver:
        endpoint, _ = make_endpoint(url=receiver.url())
        make_event()
        start = timezone.now() + timedelta(seconds=1)
        services.deliveries_send_due(now=start)
        endpoint.refresh_from_db()
        assert (endpoint.failure_count, endpoint.failing_since) == (1, start)
        receiver.status = 200
        services.deliveries_send_due(now=start + timedelta(days=2))
    endpoint.refresh_from_db()
    assert (endpoint.failure_count, endpoint.failing_since, endpoint.is_active) == (0, None, True)


# --- redelivery -----------------------------------------------------------------------------


def test_redeliver_sends_the_same_event_again(private_ok):
    with Receiver() as receiver:
        make_endpoint(url=receiver.url())
        make_event()
        services.deliveries_send_due()
        delivery = services.delivery_redeliver(delivery=Delivery.objects.get())
        assert delivery.status == DeliveryStatus.PENDING
        services.deliveries_send_due()
    first, second = (json.loads(r.body) for r in receiver.requests)
    assert first["id"] == second["id"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)


def test_redeliver_on_a_disabled_endpoint_is_a_conflict():
    from config.errors import Conflict

    endpoint, _ = make_endpoint()
    make_event()
    services.webhook_endpoint_update(endpoint=endpoint, is_active=False)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_error) == ("failed", services.DISABLED_ERROR)
    with pytest.raises(Conflict):
        services.delivery_redeliver(delivery=delivery)


# --- SSRF (OWASP API7) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/in",
        "ftp://hooks.example.com/in",
        "https://127.0.0.1/in",
        "https://10.1.2.3/in",
        "https://192.168.0.10:8443/in",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/in",
        "https://[::ffff:127.0.0.1]/in",
        "https://0.0.0.0/in",
        "https://224.0.0.1/in",
        "https://localhost/in",
        "https://api.localhost/in",
        "not a url",
    ],
)
def test_saving_a_non_https_or_private_url_is_refused(url):
    from config.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        make_endpoint(url=url)
    assert list(refused.value.details) == ["url"]


def test_https_to_a_public_name_or_address_is_accepted():
    assert make_endpoint(url="https://hooks.example.com:8443/in?x=1")[0].pk
    assert make_endpoint(url="https://93.184.215.14/in")[0].pk


def test_private_addresses_and_http_are_accepted_with_the_setting(private_ok):
    assert make_endpoint(url="http://127.0.0.1:8765/in")[0].pk


def _resolve_to(monkeypatch, *addresses):
    calls = []

    def fake_getaddrinfo(host, port, *args, **kwargs):
        calls.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in addresses]

    monkeypatch.setattr(transport.socket, "getaddrinfo", fake_getaddrinfo)
    return calls


def test_a_name_resolving_to_loopback_is_refused_at_delivery(monkeypatch):
    with Receiver() as receiver:
        make_endpoint(url=f"https://rebind.example.com:{receiver.port}/in")
        make_event()
        _resolve_to(monkeypatch, "127.0.0.1")
        services.deliveries_send_due()
    assert receiver.requests == []
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert "non-public" in delivery.last_error and delivery.last_status_code is None


def test_a_name_with_one_private_address_among_public_ones_is_refused(monkeypatch):
    _resolve_to(monkeypatch, "93.184.215.14", "10.0.0.7")
    answer = transport.post("https://mixed.example.com/in", b"{}", {}, timeout=1)
    assert not answer.ok and "non-public" in answer.error


def test_the_delivery_connects_to_the_address_it_checked_without_a_second_lookup(monkeypatch, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    with Receiver() as receiver:
        make_endpoint(url=f"http://hooks.example.com:{receiver.port}/in")
        make_event()
        lookups = _resolve_to(monkeypatch, "127.0.0.1")
        services.deliveries_send_due()
    [request] = receiver.requests
    # the name is resolved once; the connection then only "resolves" the checked literal address
    assert lookups == ["hooks.example.com", "127.0.0.1"]
    assert request.headers["Host"] == f"hooks.example.com:{receiver.port}"
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED


def test_a_redirect_is_not_followed(private_ok):
    with Receiver(status=302) as receiver:
        make_endpoint(url=receiver.url())
        make_event()
        services.deliveries_send_due()
    assert len(receiver.requests) == 1
    assert Delivery.objects.get().last_error == "HTTP 302"


# --- concurrency (PostgreSQL) ---------------------------------------------------------------


def _drain_one_by_one() -> int:
    sent = 0
    while batch := services.deliveries_send_due(limit=1):
        sent += batch
    return sent


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_delivery_once(settings, monkeypatch):
    from tests.concurrency import run_concurrently

    settings.WEBHOOK_ALLOW_PRIVATE = True
    monkeypatch.setattr(services, "_enqueue", lambda **kwargs: None)  # lost enqueues: the sweep's job
    with Receiver() as receiver:
        make_endpoint(url=receiver.url())
        make_endpoint(url=receiver.url("/second"))
        for _ in range(5):
            make_event()
        results = run_concurrently(2, lambda i: _drain_one_by_one())

    assert sum(results) == 10, results
    sent = [(r.path, json.loads(r.body)["id"]) for r in receiver.requests]
    assert len(sent) == len(set(sent)) == 10
    assert set(Delivery.objects.values_list("status", "attempts")) == {("delivered", 1)}
