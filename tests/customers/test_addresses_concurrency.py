"""Concurrent writers on one address book (PostgreSQL: real row locks)."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from customers.models import Address
from customers.services.addresses import address_create
from tests.customers.conftest import address_data
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(jobs):
    """Start every job at once (behind a barrier); each thread closes its own connection."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), []

    def run(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # reported by the test, not swallowed
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


def test_concurrent_requests_making_different_addresses_default_leave_one_default_of_each_kind():
    # given a book of six addresses
    customer = CustomerFactory()
    addresses = [
        address_create(customer=customer, data=address_data(line1=f"{n} Market Street")) for n in range(6)
    ]
    token_user = customer.user

    # when six requests at once each make a different address the default billing and shipping
    def make_default(address):
        def job():
            return (
                client_for(token_user)
                .patch(
                    f"/api/customers/addresses/{address.public_id}",
                    {"is_default_billing": True, "is_default_shipping": True},
                    format="json",
                )
                .status_code
            )

        return job

    statuses = run_together([make_default(a) for a in addresses])

    # then every request succeeded and exactly one default of each kind remains
    assert statuses == [200] * 6
    assert Address.objects.filter(customer=customer, is_default_billing=True).count() == 1
    assert Address.objects.filter(customer=customer, is_default_shipping=True).count() == 1


def test_concurrent_first_addresses_give_one_default_and_concurrent_duplicates_one_row():
    customer = CustomerFactory()
    client = client_for(customer.user)

    def create(n):
        return lambda: (
            client.post(
                "/api/customers/addresses", address_data(line1=f"{n} Market Street"), format="json"
            ).status_code
        )

    # two different first addresses at once: one of them is the default of each kind
    assert run_together([create(1), create(2)]) == [201, 201]
    assert Address.objects.filter(customer=customer, is_default_billing=True).count() == 1
    assert Address.objects.filter(customer=customer, is_default_shipping=True).count() == 1
    # the same new address four times at once: one is created, the others are 409
    statuses = run_together([create(3) for _ in range(4)])
    assert sorted(statuses) == [201, 409, 409, 409]
    assert Address.objects.filter(customer=customer).count() == 3


def test_concurrent_default_changes_through_the_service_never_break_the_one_default_rule():
    from customers.services.addresses import address_set_default

    customer = CustomerFactory()
    addresses = [
        address_create(customer=customer, data=address_data(line1=f"{n} Market Street")) for n in range(8)
    ]
    for _ in range(5):
        run_together(
            [
                (lambda a=a, kind=kind: address_set_default(address=a, kind=kind))
                for a in addresses
                for kind in ("billing", "shipping")
            ]
        )
        assert Address.objects.filter(customer=customer, is_default_billing=True).count() == 1
        assert Address.objects.filter(customer=customer, is_default_shipping=True).count() == 1
