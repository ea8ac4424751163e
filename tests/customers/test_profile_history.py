"""The audit history names the person behind a JWT request, even where a service does not say
(DRF hands the authenticated user to the Django request, which HistoryRequestMiddleware reads)."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.customers.history_urls")]


def test_history_of_a_jwt_request_records_the_user(customer, customer_client):
    response = customer_client.post("/api/_test/touch")

    assert response.status_code == 200
    latest = customer.history.order_by("-history_date", "-history_id").first()
    assert latest.notes == "touched"
    assert latest.history_user == customer.user
