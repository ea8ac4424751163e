"""Saved bank accounts: IBANs validated by checksum, only the last four characters shown."""

import pytest

from customers.models import BankAccount
from customers.services.bank_accounts import iban_normalize

pytestmark = pytest.mark.django_db

IBAN = "DE89 3704 0044 0532 0130 00"


def error_of(response):
    return response.json()["error"]


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("gb82west12345698765432", "GB82WEST12345698765432"),
    ],
)
def test_iban_normalize_accepts_valid_ibans(raw, expected):
    assert iban_normalize(raw) == expected


@pytest.mark.parametrize("raw", ["DE88370400440532013000", "DE8937040044053201300", "not an iban", ""])
def test_iban_normalize_rejects_bad_checksum_length_or_format(raw):
    from config.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        iban_normalize(raw)
    assert "iban" in exc.value.details


def test_create_bank_account_shows_only_last4(customer_client, customer):
    response = customer_client.post(
        "/api/customers/bank-accounts", {"holder_name": "Jane Smith", "iban": IBAN}
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "holder_name", "iban_last4", "created_at"}
    assert body["iban_last4"] == "3000"
    assert body["id"].startswith("bank_")
    assert BankAccount.objects.get(customer=customer).iban == "DE89370400440532013000"
    listed = customer_client.get("/api/customers/bank-accounts").json()
    assert [a["id"] for a in listed["data"]] == [body["id"]]
    assert "DE89" not in str(listed)


def test_create_bank_account_with_bad_iban_is_400(customer_client):
    response = customer_client.post(
        "/api/customers/bank-accounts", {"holder_name": "Jane", "iban": "DE00370400440532013000"}
    )
    assert response.status_code == 400
    assert "iban" in error_of(response)["details"]


def test_create_same_iban_twice_is_409(customer_client):
    customer_client.post("/api/customers/bank-accounts", {"holder_name": "Jane", "iban": IBAN})
    response = customer_client.post("/api/customers/bank-accounts", {"holder_name": "Jane", "iban": IBAN})
    assert response.status_code == 409


def test_bank_accounts_are_private_and_deletable(customer_client, other_client):
    created = customer_client.post(
        "/api/customers/bank-accounts", {"holder_name": "Jane", "iban": IBAN}
    ).json()
    assert other_client.get("/api/customers/bank-accounts").json()["data"] == []
    assert other_client.delete(f"/api/customers/bank-accounts/{created['id']}").status_code == 404
    assert customer_client.delete(f"/api/customers/bank-accounts/{created['id']}").status_code == 204
    assert not BankAccount.objects.exists()


def test_bank_accounts_are_for_customers(staff_client, api_client):
    assert staff_client.get("/api/customers/bank-accounts").status_code == 403
    assert api_client.get("/api/customers/bank-accounts").status_code == 401
