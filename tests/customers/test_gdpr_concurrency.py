"""Erasure against a concurrent profile write (PostgreSQL row locks)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from config.errors import Conflict
from customers.models import Customer
from customers.services.gdpr import customer_erase
from customers.services.profile import customer_profile_update
from tests.factories import CustomerFactory


def wait_for_a_blocked_query(timeout=10.0):
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            # Inside a transaction the statistics views are a snapshot unless it is cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_profile_update_waiting_on_an_erasure_is_refused_and_writes_nothing_back():
    customer = CustomerFactory(first_name="Zebediah", last_name="Quillfeather")
    stale = Customer.objects.get(pk=customer.pk)
    outcome = {}

    def patch():
        try:
            customer_profile_update(customer=stale, data={"first_name": "Zebediah"}, by=None)
            outcome["result"] = "saved"
        except Conflict:
            outcome["result"] = "conflict"
        finally:
            connection.close()

    with transaction.atomic():
        customer_erase(customer=customer, by=None)
        writer = threading.Thread(target=patch)
        writer.start()
        assert wait_for_a_blocked_query()
    writer.join(timeout=20)

    assert outcome == {"result": "conflict"}
    customer.refresh_from_db()
    assert (customer.first_name, customer.last_name) == ("", "")
