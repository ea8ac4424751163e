"""Races on PostgreSQL: a refresh token and a one-time code can each be spent once."""

import threading

import pytest
from django.core import mail
from django.db import connection
from rest_framework.test import APIClient

from customers.models import Customer
from tests.conftest import bearer_client
from tests.customers.auth_support import obtain_tokens, otp_code_from
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_threads(count, func):
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = func()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_refresh_token_used_concurrently_is_rotated_only_once():
    customer = CustomerFactory()
    refresh = obtain_tokens(APIClient(), customer.email).json()["refresh"]

    codes = in_threads(
        4,
        lambda: APIClient().post("/api/auth/token/refresh", {"refresh": refresh}, format="json").status_code,
    )

    assert sorted(codes) == [200, 401, 401, 401]


def test_otp_verified_concurrently_changes_the_email_once():
    customer = CustomerFactory()
    client = bearer_client(customer.user)
    client.post("/api/auth/generate-otp", {"otp_action": "update-email", "email": "race@example.com"})
    code = otp_code_from(mail.outbox[0].body)

    codes = in_threads(
        3,
        lambda: (
            bearer_client(customer.user)
            .post("/api/auth/verify-otp", {"otp_action": "update-email", "otp": code}, format="json")
            .status_code
        ),
    )

    assert sorted(codes) == [200, 400, 400]
    assert Customer.objects.get(pk=customer.pk).email == "race@example.com"
