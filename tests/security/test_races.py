"""Races on PostgreSQL against a live server (API6): real concurrent HTTP requests, each thread
with its own connection, then `check_ledger` confirms that every balance equals its ledger.

Each race test ends with `check_ledger` (the transactional tests flush the database between them,
so the check runs over what each race left behind).
"""

from decimal import Decimal
from io import StringIO

import pytest
import requests
from django.contrib.auth.models import Permission
from django.core.management import call_command
from rest_framework_simplejwt.tokens import RefreshToken

from customers.models import APIKey
from customers.services.business import APPROVE_PERMISSION, CreditAssessment, credit_check_run
from loyalty import services
from loyalty.models import LedgerEntry, LoyaltyAccount, Redemption
from orders.models import Order, Refund
from orders.models_returns import Return
from orders.services_cart import cart_points_set
from orders.services_checkout import checkout
from tests.checkout.factories import VariantFactory, give_points, ready_cart
from tests.concurrency import run_concurrently
from tests.factories import BusinessCustomerFactory, CustomerFactory, StaffUserFactory
from tests.loyalty.factories import RewardFactory
from tests.orders.factories import ADDRESS, ProductFactory
from tests.returns.factories import delivered_order

# serialized_rollback restores the seeded tiers and groups that a transactional test's flush removes.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def concurrently(count: int, send) -> list[requests.Response]:
    """`send(index)` from `count` threads released at once (each with its own connection); the
    answers in order. An exception in a thread fails the test here, naming it."""
    answers = run_concurrently(count, send)
    failed = [a for a in answers if not isinstance(a, requests.Response)]
    assert not failed, failed
    return answers


def assert_ledger_consistent():
    out = StringIO()
    call_command("check_ledger", stdout=out)  # exits 1 (SystemExit) on any mismatch
    assert "matches" in out.getvalue()


def _auth(person) -> dict:
    """Bearer headers for a customer or a user."""
    user = getattr(person, "user", person)
    return {"Authorization": f"Bearer {RefreshToken.for_user(user).access_token}"}


def _staff(*perms: str):
    user = StaffUserFactory()
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def _status_of(answer: requests.Response) -> int:
    if answer.status_code >= 400:
        assert set(answer.json()["error"]) == {"code", "message", "details"}, answer.text
    return answer.status_code


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


def _points(customer) -> int:
    return LoyaltyAccount.objects.get(customer=customer).points_balance


def test_cancelling_twice_while_a_return_is_requested_refunds_once_and_gives_points_back_once(live_server):
    # Given a paid, unshipped order of 2 x 20.00 on which 300 of 500 points were spent
    customer = CustomerFactory()
    give_points(customer, 500)
    variant = VariantFactory(stock=5)
    ready_cart(customer, [(variant, 2)])
    cart_points_set(customer=customer, points=300)
    order = checkout(customer=customer, payment_method="card", payment_token="tok_ok")
    assert order.status == "paid" and _points(customer) == 200
    item = order.items.get()
    base = f"{live_server.url}/api/orders/{order.number}"
    staff = _staff("orders.change_order")
    cancel = {"cancellation_reason": "Ordered by mistake"}
    ret = {
        "return_items": [
            {
                "item_id": item.public_id,
                "quantity": 1,
                "resolution": "refund",
                "return_reason": "changed_mind",
            }
        ]
    }
    sends = [
        lambda: requests.post(f"{base}/cancel", headers=_auth(customer), json=cancel, timeout=30),
        lambda: requests.post(f"{base}/cancel", headers=_auth(staff), json=cancel, timeout=30),
        lambda: requests.post(f"{base}/returns", headers=_auth(customer), json=ret, timeout=30),
    ]
    # When the customer and a staff user cancel while the customer requests a return, all at once
    cancel_a, cancel_b, returned = concurrently(3, lambda i: sends[i]())
    # Then exactly one cancellation goes through, the other and the return are 409
    assert sorted([_status_of(cancel_a), _status_of(cancel_b)]) == [200, 409]
    assert _status_of(returned) == 409
    # And the order is cancelled with one refund of what was paid, and no return
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert Refund.objects.filter(order=order).count() == 1
    assert Refund.objects.get(order=order).amount == order.amount_paid == order.amount_refunded
    assert not Return.objects.filter(order=order).exists()
    # And the 300 points came back once
    assert _points(customer) == 500
    assert LedgerEntry.objects.filter(customer=customer, type="reverse").count() == 1
    variant.refresh_from_db()
    assert variant.stock == 5
    assert_ledger_consistent()


def test_cancelling_a_delivered_order_while_a_return_is_requested_lets_only_the_return_through(live_server):
    # Given a delivered order, whose delivery earned points
    customer = CustomerFactory()
    order = delivered_order(customer, quantities=(1,), prices=("40.00",))
    earned = _points(customer)
    assert earned > 0
    item = order.items.get()
    base = f"{live_server.url}/api/orders/{order.number}"
    cancel = {"cancellation_reason": "Too late"}
    ret = {
        "return_items": [
            {"item_id": item.public_id, "quantity": 1, "resolution": "refund", "return_reason": "damaged"}
        ]
    }
    sends = [
        lambda: requests.post(f"{base}/cancel", headers=_auth(customer), json=cancel, timeout=30),
        lambda: requests.post(f"{base}/returns", headers=_auth(customer), json=ret, timeout=30),
    ]
    # When a cancellation and a return request arrive at once
    cancelled, returned = concurrently(2, lambda i: sends[i]())
    # Then the return is requested (201) and the cancellation is 409
    assert (_status_of(returned), _status_of(cancelled)) == (201, 409)
    assert cancelled.json()["error"]["code"] == "conflict"
    # And nothing was refunded yet (the refund waits for the goods), the order is still delivered
    order.refresh_from_db()
    assert order.status == "delivered" and order.amount_refunded == 0
    assert not Refund.objects.filter(order=order).exists()
    assert Return.objects.filter(order=order).count() == 1
    # And the points earned on delivery are untouched
    assert _points(customer) == earned
    assert_ledger_consistent()


class _FixedCreditProvider:
    """A provider that recommends 25,000.00 for anyone (the default one needs an order history)."""

    name = "fixed"

    def assess(self, *, customer):
        return CreditAssessment(
            credit_score=760,
            credit_rating="good",
            risk_assessment="low",
            recommended_credit_limit=Decimal("25000.00"),
        )


def test_approving_one_credit_check_twice_at_once_changes_the_limit_once(live_server, settings):
    # Given a business customer with a limit of 10,000.00 and a check recommending 25,000.00
    settings.CREDIT_CHECK_PROVIDER = f"{__name__}._FixedCreditProvider"
    business = BusinessCustomerFactory(credit_limit=Decimal("10000.00"))
    check = credit_check_run(customer=business, by=None)
    assert check.status == "pending_approval"
    history_before = business.history.count()
    # And two finance users who both hold the credit-approval permission
    approvers = [_staff(APPROVE_PERMISSION), _staff(APPROVE_PERMISSION)]
    url = f"{live_server.url}/api/credit-checks/{check.public_id}/approve"
    # When both approve it at the same moment
    answers = concurrently(
        2, lambda i: requests.post(url, headers=_auth(approvers[i]), json={"note": f"ok {i}"}, timeout=30)
    )
    # Then one approval is 200 and the other 409
    assert sorted(_status_of(a) for a in answers) == [200, 409], [a.text for a in answers]
    winner = next(a for a in answers if a.status_code == 200)
    assert winner.json()["status"] == "approved"
    # And the limit changed once, by one decider, with one audit entry
    business.refresh_from_db()
    assert business.credit_limit == Decimal("25000.00")
    check.refresh_from_db()
    assert check.status == "approved" and check.decided_by in approvers
    audit = business.history.all()[: business.history.count() - history_before]
    assert len(audit) == 1, [h.history_change_reason for h in audit]
    assert "approved" in audit[0].history_change_reason
    assert audit[0].history_user == check.decided_by
    assert_ledger_consistent()


def test_parallel_on_account_orders_never_exceed_one_credit_limit(live_server):
    # Given a business customer with a limit of 100.00 and an integration key that may write orders
    business = BusinessCustomerFactory(credit_limit=Decimal("100.00"))
    product = ProductFactory(price=Decimal("20.00"))
    _, raw_key = APIKey.objects.create_key(name="storefront", scopes=["orders:write"])
    headers = {"Authorization": f"Api-Key {raw_key}"}
    body = {
        "customer_id": business.public_id,
        "items": [{"sku": product.sku, "quantity": 1}],
        "shipping_address": ADDRESS,
        "shipping_total": "5.00",
        "on_account": True,
    }
    # When ten on-account orders of 25.00 each arrive at once
    answers = concurrently(
        10, lambda i: requests.post(f"{live_server.url}/api/orders", headers=headers, json=body, timeout=30)
    )
    # Then four fit the limit (201) and six are 409 with the contract's body
    statuses = sorted(_status_of(a) for a in answers)
    assert statuses == [201] * 4 + [409] * 6, [a.text for a in answers if a.status_code not in (201, 409)]
    assert all(a.json()["error"]["code"] == "conflict" for a in answers if a.status_code == 409)
    # And the accepted total never exceeds the limit and is exactly what the balance holds
    accepted = [Decimal(a.json()["total"]) for a in answers if a.status_code == 201]
    business.refresh_from_db()
    assert sum(accepted) <= business.credit_limit
    assert business.current_balance == sum(accepted) == Decimal("100.00")
    assert Order.objects.filter(customer=business).count() == 4
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
