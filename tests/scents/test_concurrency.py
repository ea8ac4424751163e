"""Concurrent writes on PostgreSQL: the customer row lock keeps the blend limit and one profile."""

import threading

import pytest
from django.db import connection

from config.errors import Conflict
from scents import services
from scents.models import Blend, ProfileNote, ScentProfile
from tests.scents.factories import EVENING_CALM, make_blend

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(target, n: int) -> list:
    """Run `target()` in n threads started at once; return what each returned or raised."""
    barrier = threading.Barrier(n)
    results: list = []
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait()
            outcome = target()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            outcome = exc
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_blend_creates_never_pass_the_limit_of_50(customer):
    for i in range(49):
        make_blend(customer, name=f"B{i}")

    results = run_together(
        lambda: services.blend_create(customer=customer, name="Race", base="candle", components=EVENING_CALM),
        5,
    )

    assert sum(isinstance(r, Blend) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == 4
    assert Blend.objects.filter(customer=customer).count() == 50


def test_concurrent_first_writes_create_one_profile(customer):
    results = run_together(
        lambda: services.scent_profile_update(
            customer=customer, favorite_notes=["rose"], disliked_notes=["oud"]
        ),
        4,
    )

    assert all(isinstance(r, ScentProfile) for r in results), results
    assert ScentProfile.objects.filter(customer=customer).count() == 1
    assert ProfileNote.objects.count() == 2
