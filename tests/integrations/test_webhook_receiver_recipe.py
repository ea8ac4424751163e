"""The receiver documented in docs/WEBHOOKS.md verifies a real delivery (and refuses forgeries)."""

import json
import re
import time
from pathlib import Path

import pytest

from integrations import services
from integrations.models import Delivery, DeliveryStatus
from tests.integrations.factories import make_endpoint, make_event
from tests.integrations.receiver import Receiver

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "WEBHOOKS.md"


def documented_recipe() -> dict:
    """Exec the documented receiver as a module and return its namespace."""
    text = DOC.read_text()
    block = re.search(
        r"<!-- receiver-recipe:start -->\n```python\n(.*?)```\n<!-- receiver-recipe:end -->", text, re.S
    )
    assert block, "the receiver recipe is missing from docs/WEBHOOKS.md"
    namespace = {"__name__": "documented_receiver"}
    exec(compile(block.group(1), str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    return namespace


def test_the_documented_receiver_accepts_a_real_delivery_and_deduplicates(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    recipe = documented_recipe()
    handled = []
    recipe["handle"] = handled.append
    with Receiver(handler_class=recipe["WebhookReceiver"]) as receiver:
        _, secret = make_endpoint(url=receiver.url())
        recipe["WebhookReceiver"].secrets = [secret]
        event = make_event(data={"id": "order_1", "number": "MNKY-1001"})
        services.deliveries_send_due()
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.DELIVERED, 204)
        # a redelivery is accepted again but handled once
        services.delivery_redeliver(delivery=delivery)
        services.deliveries_send_due()
    assert [e["id"] for e in handled] == [event.public_id]
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED


def test_the_documented_receiver_refuses_a_delivery_signed_with_another_secret(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    recipe = documented_recipe()
    with Receiver(handler_class=recipe["WebhookReceiver"]) as receiver:
        make_endpoint(url=receiver.url())
        recipe["WebhookReceiver"].secrets = ["whsec_someone-else"]
        make_event()
        services.deliveries_send_due()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.PENDING, 400)


def test_the_documented_check_refuses_replays_older_than_5_minutes_and_tampered_bodies():
    from integrations import signing

    verify = documented_recipe()["verify_signature"]
    body = json.dumps({"id": "evt_1", "type": "order.paid"}).encode()
    now = int(time.time())
    header = signing.signature_header(["whsec_new", "whsec_old"], now, body)
    assert verify(header, body, ["whsec_old"], now=now)
    assert verify(header, body, ["whsec_new"], now=now + 299)
    assert not verify(header, body, ["whsec_new"], now=now + 301)
    assert not verify(header, body + b" ", ["whsec_new"], now=now)
    assert not verify("v1=" + header.split("v1=")[1], body, ["whsec_new"], now=now)
