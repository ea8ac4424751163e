import pytest
from django.db import transaction

from integrations.events import ORDER_CREATED
from integrations.models import Event
from integrations.services import record_event

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_event_recorded_in_a_committed_transaction_is_kept():
    with transaction.atomic():
        event = record_event(ORDER_CREATED, {"number": "MNKY-1"})
    assert Event.objects.get(pk=event.pk).envelope()["data"] == {"number": "MNKY-1"}


def test_an_event_recorded_in_a_rolled_back_transaction_leaves_no_row():
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(ORDER_CREATED, {"number": "MNKY-1"})
        raise RuntimeError("the change fails after the event was written")
    assert not Event.objects.exists()


def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        record_event(ORDER_CREATED, {"number": "MNKY-1"})
    assert not Event.objects.exists()


def test_an_unknown_event_type_is_refused():
    with pytest.raises(ValueError), transaction.atomic():
        record_event("order.teleported", {})
