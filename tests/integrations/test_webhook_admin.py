"""The webhook admin: the secret shown once in a message, rotation and redelivery through the
services, the event log read-only, model permissions deciding."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission

from integrations import demo, signing
from integrations.models import Delivery, DeliveryStatus, Event, WebhookEndpoint
from tests.factories import StaffUserFactory
from tests.integrations.factories import make_endpoint, make_event

pytestmark = pytest.mark.django_db

ENDPOINTS = "/admin/integrations/webhookendpoint/"


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_adding_an_endpoint_shows_its_secret_once_and_stores_it_encrypted(admin_client, staff_user):
    response = admin_client.post(
        f"{ENDPOINTS}add/",
        {"url": "https://hooks.example.com/in", "events": ["order.paid"], "is_active": "on"},
        follow=True,
    )
    endpoint = WebhookEndpoint.objects.get()
    secret = signing.secret_decrypt(endpoint.secret_encrypted)
    assert any(secret in m for m in _messages(response))
    assert endpoint.created_by == staff_user and endpoint.events == ["order.paid"]
    page = admin_client.get(f"{ENDPOINTS}{endpoint.pk}/change/").content.decode()
    assert secret not in page and endpoint.secret_encrypted not in page


def test_the_admin_refuses_a_private_url(admin_client):
    response = admin_client.post(
        f"{ENDPOINTS}add/", {"url": "https://127.0.0.1/in", "events": ["order.paid"], "is_active": "on"}
    )
    assert response.status_code == 200
    assert "public address" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_rotate_action_shows_the_new_secret(admin_client):
    endpoint, old = make_endpoint()
    response = admin_client.post(
        ENDPOINTS, {"action": "rotate_secrets", ACTION_CHECKBOX_NAME: [endpoint.pk]}, follow=True
    )
    endpoint.refresh_from_db()
    new = signing.secret_decrypt(endpoint.secret_encrypted)
    assert new != old and any(new in m for m in _messages(response))


def test_the_redeliver_action_queues_the_delivery_again(admin_client):
    make_endpoint()
    make_event()
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(status="failed", next_attempt_at=None, attempts=15)
    admin_client.post(
        "/admin/integrations/delivery/", {"action": "redeliver", ACTION_CHECKBOX_NAME: [delivery.pk]}
    )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)


def test_events_are_read_only(admin_client):
    event = make_event()
    assert admin_client.get(f"/admin/integrations/event/{event.pk}/change/").status_code == 200
    assert admin_client.get("/admin/integrations/event/add/").status_code == 403
    admin_client.post(f"/admin/integrations/event/{event.pk}/delete/", {"post": "yes"})
    assert Event.objects.filter(pk=event.pk).exists()


def test_staff_without_the_permissions_see_no_webhooks(client):
    user = StaffUserFactory()
    client.force_login(user)
    assert client.get(ENDPOINTS).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="view_webhookendpoint"))
    assert client.get(ENDPOINTS).status_code == 200


class _Report:
    def __init__(self):
        self.notes = []

    def note(self, text):
        self.notes.append(text)


def test_the_demo_seeds_one_disabled_example_endpoint_idempotently():
    demo.seed(_Report())
    demo.seed(_Report())
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.url, endpoint.is_active) == (demo.DEMO_URL, False)
    make_event("order.created")
    assert not Delivery.objects.exists()
