"""Races on PostgreSQL against a live server (API6): real concurrent HTTP requests, each thread
with its own connection, then `check_ledger` confirms that every balance equals its ledger."""

import threading
from io import StringIO

import pytest
import requests
from django.core.management import call_command
from django.db import connection
from rest_framework_simplejwt.tokens import RefreshToken

from loyalty import services
from loyalty.models import LoyaltyAccount, Redemption
from tests.factories import CustomerFactory
from tests.loyalty.factories import RewardFactory

# serialized_rollback restores the seeded tiers and groups that a transactional test's flush removes.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def concurrently(count: int, send) -> list[requests.Response]:
    """`send(index)` from `count` threads released at once; their answers in order."""
    barrier = threading.Barrier(count)
    answers: list = [None] * count

    def worker(index):
        try:
            barrier.wait()
            answers[index] = send(index)
        except Exception as exc:  # asserted by the test
            answers[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def assert_ledger_consistent():
    out = StringIO()
    call_command("check_ledger", stdout=out)  # exits 1 (SystemExit) on any mismatch
    assert "matches" in out.getvalue()


def _auth(customer) -> dict:
    return {"Authorization": f"Bearer {RefreshToken.for_user(customer.user).access_token}"}


def test_concurrent_redeems_over_http_spend_no_more_than_the_balance(live_server):
    # Given 250 points and a reward of 30: eight are affordable
    customer = CustomerFactory()
    services.loyalty_balance_adjust(customer=customer, points=250, reason="Grant")
    reward = RewardFactory(cost=30)
    url = f"{live_server.url}/api/customers/loyalty/rewards/{reward.public_id}/redeem"
    headers = _auth(customer)
    # When twenty redeem requests arrive at once
    answers = concurrently(20, lambda i: requests.post(url, headers=headers, json={}, timeout=30))
    # Then exactly eight succeed and twelve are 409 with the contract's body
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] * 8 + [409] * 12, statuses
    assert all(a.json()["error"]["code"] == "conflict" for a in answers if a.status_code == 409)
    assert LoyaltyAccount.objects.get(customer=customer).points_balance == 10
    assert Redemption.objects.filter(customer=customer).count() == 8
    assert_ledger_consistent()


def test_one_idempotency_key_sent_in_parallel_has_exactly_one_effect(live_server):
    # Given enough points for many redemptions
    customer = CustomerFactory()
    services.loyalty_balance_adjust(customer=customer, points=1000, reason="Grant")
    reward = RewardFactory(cost=30)
    url = f"{live_server.url}/api/customers/loyalty/rewards/{reward.public_id}/redeem"
    headers = {**_auth(customer), "Idempotency-Key": "redeem-once-7f3a"}
    # When ten requests with the same key arrive at once
    answers = concurrently(10, lambda i: requests.post(url, headers=headers, json={}, timeout=30))
    # Then one redemption happened; the others replay its answer or are told it is running (409)
    statuses = [a.status_code for a in answers]
    assert set(statuses) <= {201, 409} and 201 in statuses, statuses
    created = {a.json()["id"] for a in answers if a.status_code == 201}
    assert len(created) == 1
    assert Redemption.objects.filter(customer=customer).count() == 1
    assert LoyaltyAccount.objects.get(customer=customer).points_balance == 970
    # And a later retry with the key replays the first answer
    again = requests.post(url, headers=headers, json={}, timeout=30)
    assert again.status_code == 201 and again.json()["id"] in created
    assert_ledger_consistent()


def test_check_ledger_fails_on_a_corrupted_balance():
    # Given a balance changed behind the ledger's back
    customer = CustomerFactory()
    services.loyalty_balance_adjust(customer=customer, points=50, reason="Grant")
    LoyaltyAccount.objects.filter(customer=customer).update(points_balance=60)
    # Then check_ledger exits 1
    with pytest.raises(SystemExit) as exit_info:
        call_command("check_ledger", stdout=StringIO(), stderr=StringIO())
    assert exit_info.value.code == 1
