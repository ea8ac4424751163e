"""The webhook routes: wiring, validation, secrets shown once, the delivery log, redelivery."""

import pytest

from integrations import signing
from integrations.models import Delivery, DeliveryStatus, WebhookEndpoint
from tests.integrations.factories import make_endpoint, make_event

pytestmark = pytest.mark.django_db

NEW = {"url": "https://hooks.example.com/in", "events": ["order.paid", "order.created"]}


def test_create_answers_201_with_the_secret_once(staff_client, staff_user):
    response = staff_client.post("/api/webhooks", NEW, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"id", "url", "events", "is_active", "created_at", "failure_count", "secret"}
    assert body["id"].startswith("whk_") and body["secret"].startswith("whsec_")
    assert body["events"] == ["order.created", "order.paid"]  # catalogue order, no duplicates
    endpoint = WebhookEndpoint.objects.get(public_id=body["id"])
    assert endpoint.created_by == staff_user
    assert signing.secret_decrypt(endpoint.secret_encrypted) == body["secret"]
    # never again
    assert "secret" not in staff_client.get(f"/api/webhooks/{body['id']}").json()
    assert "secret" not in staff_client.get("/api/webhooks").json()["data"][0]


def test_an_api_key_creates_an_endpoint_without_a_creator(make_key_client):
    response = make_key_client("webhooks:write").post("/api/webhooks", NEW, format="json")
    assert response.status_code == 201
    assert WebhookEndpoint.objects.get().created_by is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW, "events": ["order.teleported"]}, "events"),
        ({**NEW, "events": []}, "events"),
        ({**NEW, "url": "http://hooks.example.com/in"}, "url"),
        ({**NEW, "url": "https://127.0.0.1/in"}, "url"),
        ({**NEW, "url": "https://169.254.169.254/latest"}, "url"),
        ({"events": ["order.paid"]}, "url"),
    ],
)
def test_invalid_endpoints_are_400_naming_the_field(staff_client, body, field):
    response = staff_client.post("/api/webhooks", body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert list(error["details"]) == [field]
    assert not WebhookEndpoint.objects.exists()


def test_patch_changes_url_events_and_activity(staff_client):
    endpoint, _ = make_endpoint()
    response = staff_client.patch(
        f"/api/webhooks/{endpoint.public_id}",
        {"url": "https://other.example.com/x", "events": ["review.approved"], "is_active": False},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() | {"created_at": None} == {
        "id": endpoint.public_id,
        "url": "https://other.example.com/x",
        "events": ["review.approved"],
        "is_active": False,
        "failure_count": 0,
        "created_at": None,
    }
    bad = staff_client.patch(
        f"/api/webhooks/{endpoint.public_id}", {"url": "https://10.0.0.1/"}, format="json"
    )
    assert bad.status_code == 400 and "url" in bad.json()["error"]["details"]


def test_delete_removes_the_endpoint_and_its_log(staff_client):
    endpoint, _ = make_endpoint()
    make_event()
    assert staff_client.delete(f"/api/webhooks/{endpoint.public_id}").status_code == 204
    assert staff_client.get(f"/api/webhooks/{endpoint.public_id}").status_code == 404
    assert not Delivery.objects.exists()


def test_rotate_secret_answers_a_new_secret_and_keeps_the_old_one_for_24_hours(staff_client):
    endpoint, old = make_endpoint()
    response = staff_client.post(f"/api/webhooks/{endpoint.public_id}/rotate-secret")
    assert response.status_code == 200
    new = response.json()["secret"]
    assert new != old and new.startswith("whsec_")
    endpoint.refresh_from_db()
    assert signing.secret_decrypt(endpoint.secret_encrypted) == new
    assert signing.secret_decrypt(endpoint.previous_secret_encrypted) == old
    assert (endpoint.previous_secret_expires_at - endpoint.updated_at).total_seconds() == pytest.approx(
        86400, abs=5
    )


def test_the_delivery_log_lists_the_contract_fields_newest_first(staff_client):
    endpoint, _ = make_endpoint()
    first, second = make_event(), make_event()
    response = staff_client.get(f"/api/webhooks/{endpoint.public_id}/deliveries")
    assert response.status_code == 200
    data = response.json()["data"]
    assert [d["event_id"] for d in data] == [second.public_id, first.public_id]
    assert set(data[0]) == {
        "id",
        "event_id",
        "event_type",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "created_at",
    }
    assert data[0]["id"].startswith("dlv_") and data[0]["event_type"] == "order.created"
    assert response.json()["pagination"]["total"] == 2


def test_redeliver_answers_202_and_sends_again(staff_client, settings, django_capture_on_commit_callbacks):
    from tests.integrations.receiver import Receiver

    settings.WEBHOOK_ALLOW_PRIVATE = True
    with Receiver() as receiver:
        endpoint, _ = make_endpoint(url=receiver.url())
        event = make_event()
        delivery = Delivery.objects.get()
        url = f"/api/webhooks/{endpoint.public_id}/deliveries/{delivery.public_id}/redeliver"
        # without a broker the task runs after the commit, inside the request (short timeout)
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post(url)
    assert response.status_code == 202
    assert response.json()["id"] == delivery.public_id
    assert [r.headers["Webhook-Id"] for r in receiver.requests] == [event.public_id]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_a_delivery_of_another_endpoint_is_404(staff_client):
    mine, _ = make_endpoint()
    theirs, _ = make_endpoint(url="https://other.example.com/x")
    make_event()
    delivery = Delivery.objects.get(endpoint=theirs)
    response = staff_client.post(f"/api/webhooks/{mine.public_id}/deliveries/{delivery.public_id}/redeliver")
    assert response.status_code == 404
    assert staff_client.get("/api/webhooks/whk_nope/deliveries").status_code == 404


def test_endpoints_are_shared_by_every_staff_user_with_the_permission(make_staff_client):
    endpoint, _ = make_endpoint()  # made by someone else
    client = make_staff_client("integrations.view_webhookendpoint")
    assert [e["id"] for e in client.get("/api/webhooks").json()["data"]] == [endpoint.public_id]


def test_the_lists_cost_a_constant_number_of_queries(staff_client, django_assert_max_num_queries):
    endpoint, _ = make_endpoint()
    for _ in range(3):
        make_endpoint()
    for _ in range(5):
        make_event()
    with django_assert_max_num_queries(4):  # the user, count, page (+ token checks)
        assert len(staff_client.get("/api/webhooks").json()["data"]) == 4
    with django_assert_max_num_queries(5):  # the user, the endpoint, count, page
        assert len(staff_client.get(f"/api/webhooks/{endpoint.public_id}/deliveries").json()["data"]) == 5


def test_query_counts_do_not_grow_with_rows(staff_client, django_assert_num_queries):
    endpoint, _ = make_endpoint()
    make_event()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        staff_client.get(f"/api/webhooks/{endpoint.public_id}/deliveries")
    for _ in range(5):
        make_endpoint()
        make_event()
    with django_assert_num_queries(len(few.captured_queries)):
        staff_client.get(f"/api/webhooks/{endpoint.public_id}/deliveries")
