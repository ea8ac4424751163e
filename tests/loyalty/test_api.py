"""The loyalty API: wiring, permissions, error bodies and query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from loyalty import services
from loyalty.models import LedgerEntry, LoyaltyAccount
from tests.factories import CustomerFactory
from tests.loyalty.factories import RewardFactory

pytestmark = pytest.mark.django_db

SUMMARY = "/api/customers/loyalty"
ACTIVITY = "/api/customers/loyalty/activity"


def redeem_url(reward):
    return f"/api/customers/loyalty/rewards/{reward.public_id}/redeem"


def adjust_url(customer):
    return f"/api/customers/{customer.public_id}/loyalty/adjust"


def test_summary_answers_every_contract_field(customer_client, customer, earn, settings):
    settings.LOYALTY_REFERRAL_REWARD = 120
    earn(customer, Decimal("60"), number="MNKY-1001")
    services.loyalty_points_earn_for_order(
        customer=customer,
        order_number="MNKY-1002",
        paid_total=Decimal("20"),
        delivered_at=timezone.now(),
        return_window_days=30,
    )
    services.loyalty_balance_adjust(customer=customer, tokens=7, reason="Grant")
    reward = RewardFactory(cost=50, valid_until=timezone.now() + timedelta(days=5))
    RewardFactory(name="Gone", valid_until=timezone.now() - timedelta(days=1))
    referee = CustomerFactory(referred_by_code=LoyaltyAccount.objects.get(customer=customer).referral_code)
    services.loyalty_referral_create_for_signup(customer=referee)

    response = customer_client.get(SUMMARY)

    assert response.status_code == 200
    body = response.json()
    assert body["membership_tier"] == "member"
    assert (body["loyalty_points"], body["redeemable_points"], body["tokens"]) == (80, 60, 7)
    assert (body["total_earned"], body["total_redeemed"]) == (80, 0)
    assert body["next_tier"] == {"name": "premium", "threshold": 100, "points_needed": 20}
    assert [t["order_number"] for t in body["transactions"]][:2] == ["", "MNKY-1002"]
    assert set(body["transactions"][0]) == {
        "id",
        "type",
        "points",
        "tokens",
        "description",
        "order_number",
        "created_at",
    }
    assert body["transactions"][0]["id"].startswith("txn_")
    assert [r["id"] for r in body["available_rewards"]] == [reward.public_id]
    assert set(body["available_rewards"][0]) == {
        "id",
        "name",
        "description",
        "cost",
        "cost_unit",
        "expires_at",
    }
    assert body["referral_code"] == LoyaltyAccount.objects.get(customer=customer).referral_code
    assert body["referral_reward"] == 120
    assert body["referrals"][0]["status"] == "pending" and set(body["referrals"][0]) == {
        "id",
        "status",
        "date",
        "reward",
    }


def test_summary_lists_only_the_latest_ten_transactions(customer_client, customer):
    for i in range(12):
        services.loyalty_balance_adjust(customer=customer, points=1, reason=f"Grant {i}")
    body = customer_client.get(SUMMARY).json()
    assert len(body["transactions"]) == 10
    assert body["transactions"][0]["description"] == "Grant 11"


def test_summary_at_the_top_tier_has_no_next_tier(customer_client, customer, earn):
    earn(customer, Decimal("600"))
    body = customer_client.get(SUMMARY).json()
    assert body["membership_tier"] == "vip" and body["next_tier"] is None


def test_summary_query_count_does_not_grow_with_rows(
    customer_client, customer, earn, django_assert_max_num_queries
):
    earn(customer, Decimal("10"))
    with django_assert_max_num_queries(8):
        customer_client.get(SUMMARY)
    for _ in range(15):
        earn(customer, Decimal("10"))
        RewardFactory()
    for _ in range(5):
        services.loyalty_referral_create_for_signup(
            customer=CustomerFactory(
                referred_by_code=LoyaltyAccount.objects.get(customer=customer).referral_code
            )
        )
    with django_assert_max_num_queries(8):
        assert customer_client.get(SUMMARY).status_code == 200


def test_summary_needs_a_customer(api_client, staff_client, make_key_client):
    assert api_client.get(SUMMARY).status_code == 401
    assert staff_client.get(SUMMARY).status_code == 403
    assert make_key_client("loyalty:write").get(SUMMARY).status_code == 403


def test_activity_is_paginated_newest_first_and_only_the_callers(customer_client, customer, other_customer):
    for i in range(3):
        services.loyalty_balance_adjust(customer=customer, points=1, reason=f"Grant {i}")
    services.loyalty_balance_adjust(customer=other_customer, points=1, reason="Not yours")
    response = customer_client.get(ACTIVITY, {"limit": 2})
    assert response.status_code == 200
    body = response.json()
    assert [e["description"] for e in body["data"]] == ["Grant 2", "Grant 1"]
    assert body["pagination"] == {"page": 1, "limit": 2, "total": 3, "pages": 2, "has_more": True}
    assert customer_client.get(ACTIVITY, {"page": 5}).json()["data"] == []


def test_activity_query_count_does_not_grow_with_rows(
    customer_client, customer, django_assert_max_num_queries
):
    services.loyalty_balance_adjust(customer=customer, points=1, reason="One")
    with django_assert_max_num_queries(4):
        customer_client.get(ACTIVITY)
    for i in range(30):
        services.loyalty_balance_adjust(customer=customer, points=1, reason=f"Grant {i}")
    with django_assert_max_num_queries(4):
        assert len(customer_client.get(ACTIVITY).json()["data"]) == 20


def test_redeem_answers_201_with_the_coupon(customer_client, customer, earn):
    earn(customer, Decimal("150"))
    reward = RewardFactory(cost=100)
    response = customer_client.post(redeem_url(reward))
    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("red_") and body["code"].startswith("MNKY-")
    assert (body["points_spent"], body["tokens_spent"]) == (100, 0)
    assert body["reward"]["id"] == reward.public_id
    assert LoyaltyAccount.objects.get(customer=customer).points_balance == 50


def test_redeem_short_of_points_is_409_with_the_error_body(customer_client, customer):
    response = customer_client.post(redeem_url(RewardFactory(cost=100)))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert "Not enough points" in response.json()["error"]["message"]


def test_redeem_an_unknown_reward_is_404(customer_client):
    response = customer_client.post("/api/customers/loyalty/rewards/rew_nope/redeem")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_redeem_with_the_same_idempotency_key_spends_once(customer_client, customer, earn):
    earn(customer, Decimal("500"))
    reward = RewardFactory(cost=100)
    first = customer_client.post(redeem_url(reward), HTTP_IDEMPOTENCY_KEY="k-1")
    again = customer_client.post(redeem_url(reward), HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert LoyaltyAccount.objects.get(customer=customer).points_balance == 400


def test_adjust_by_staff_with_the_permission_answers_201_with_the_entry(make_staff_client, customer):
    client = make_staff_client("loyalty.adjust_loyaltyaccount")
    response = client.post(
        adjust_url(customer), {"points": 40, "tokens": 3, "reason": "Goodwill"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["type"], body["points"], body["tokens"], body["description"]) == (
        "adjust",
        40,
        3,
        "Goodwill",
    )
    entry = LedgerEntry.objects.get(public_id=body["id"])
    assert entry.created_by == client.user


def test_adjust_by_an_api_key_with_loyalty_write(make_key_client, customer):
    response = make_key_client("loyalty:write").post(
        adjust_url(customer), {"tokens": 5, "reason": "Campaign"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["description"].startswith("Campaign [API key:")


def test_adjust_is_refused_to_customers_staff_without_permission_and_other_keys(
    customer_client, make_staff_client, make_key_client, other_customer
):
    payload = {"points": 5, "reason": "x"}
    assert customer_client.post(adjust_url(other_customer), payload, format="json").status_code == 403
    assert make_staff_client().post(adjust_url(other_customer), payload, format="json").status_code == 403
    assert (
        make_key_client("orders:write").post(adjust_url(other_customer), payload, format="json").status_code
        == 403
    )
    assert not LedgerEntry.objects.exists()


def test_adjust_below_zero_is_409_and_a_missing_reason_400(staff_client, customer):
    response = staff_client.post(adjust_url(customer), {"points": -1, "reason": "Take"}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"
    response = staff_client.post(adjust_url(customer), {"points": 1}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["error"]["details"]
    response = staff_client.post(adjust_url(customer), {"reason": "Nothing"}, format="json")
    assert response.status_code == 400


def test_adjust_an_unknown_customer_is_404(staff_client):
    response = staff_client.post(
        "/api/customers/cust_nope/loyalty/adjust", {"points": 1, "reason": "x"}, format="json"
    )
    assert response.status_code == 404


def test_schema_documents_the_loyalty_routes(staff_client):
    response = staff_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"] if response["Content-Type"].endswith("json") else None
    if paths is None:
        import yaml

        paths = yaml.safe_load(response.content)["paths"]
    assert "/api/customers/loyalty" in paths
    assert "/api/customers/loyalty/rewards/{reward_id}/redeem" in paths
    assert "/api/customers/{id}/loyalty/adjust" in paths
    redeem = paths["/api/customers/loyalty/rewards/{reward_id}/redeem"]["post"]
    assert "201" in redeem["responses"]
    assert any(p["name"] == "Idempotency-Key" for p in redeem["parameters"])
