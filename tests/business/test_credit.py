"""The default credit provider's formula and the credit-check state machine."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from config.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from customers.models import CreditCheck, Customer
from customers.services.business import credit_check_approve, credit_check_reject, credit_check_run
from orders.credit import OrderHistoryCreditProvider, rating_for
from tests.business.factories import account_order, business_customer, finance_user, pay
from tests.factories import CustomerFactory, StaffUserFactory
from tests.orders.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_provider_scores_the_fixture_by_the_documented_formula(history):
    # given the analytics fixture: 1 of 2 settled orders on time, avg 30 days to pay (terms 30),
    # balance 200 of 10,000, 100 overdue, 5 orders in the last year, customer for 400 days
    # when it is assessed
    assessment = OrderHistoryCreditProvider().assess(customer=history["customer"])
    # then 300 + 550 × (0.35×0.5 + 0.10×1 + 0.20×0.98 + 0.20×0.5 + 0.10×5/12 + 0.05×400/730) = 652
    assert assessment.credit_score == 652
    assert assessment.credit_rating == CreditCheck.Rating.POOR
    assert assessment.risk_assessment == CreditCheck.Risk.HIGH
    # 800 revenue / 12 months × 1 month (poor), rounded down to 500 → 0
    assert assessment.recommended_credit_limit == Decimal("0.00")


def test_provider_recommends_more_for_a_punctual_busy_customer(db, now):
    # given a customer for two years who buys 1,000 a month and always pays in 10 days
    customer = business_customer(customer_since=(now - timedelta(days=800)).date())
    product = ProductFactory(price=Decimal("1000.00"))
    for month in range(12):
        order = account_order(customer, [(product, 1)], placed_at=now - timedelta(days=30 * month + 15))
        pay(order, at=order.placed_at + timedelta(days=10))
    customer.refresh_from_db()
    # when it is assessed: every factor is 1 except frequency (12/12 = 1) → 850, excellent
    assessment = OrderHistoryCreditProvider().assess(customer=customer)
    assert assessment.credit_score == 850
    assert assessment.credit_rating == CreditCheck.Rating.EXCELLENT
    # then 12,000 / 12 × 3 months = 3,000
    assert assessment.recommended_credit_limit == Decimal("3000.00")


def test_rating_bands():
    assert [rating_for(s) for s in (850, 800, 799, 740, 739, 670, 669, 580, 579, 300)] == [
        "excellent", "excellent", "good", "good", "fair", "fair", "poor", "poor", "very_poor", "very_poor",
    ]  # fmt: skip


def test_credit_check_run_differs_from_limit_is_pending_approval(history):
    staff = StaffUserFactory()
    check = credit_check_run(customer=history["customer"], by=staff)
    assert check.status == CreditCheck.Status.PENDING_APPROVAL
    assert check.current_credit_limit == Decimal("10000.00")
    assert check.requested_by == staff


def test_credit_check_run_equal_recommendation_is_not_required(db):
    # given a customer without orders: the recommendation is the current limit
    customer = business_customer(credit_limit=Decimal("2500.00"))
    check = credit_check_run(customer=customer, by=None)
    assert check.status == CreditCheck.Status.NOT_REQUIRED
    assert check.recommended_credit_limit == Decimal("2500.00")


def test_credit_check_run_while_one_is_pending_is_a_conflict(history):
    credit_check_run(customer=history["customer"], by=None)
    with pytest.raises(Conflict):
        credit_check_run(customer=history["customer"], by=None)


def test_credit_check_run_for_an_individual_is_a_conflict(db):
    with pytest.raises(Conflict):
        credit_check_run(customer=CustomerFactory(), by=None)


def test_credit_check_score_outside_300_850_is_refused_by_the_database(business):
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditCheck.objects.create(
            customer=business, provider="x", credit_score=900, credit_rating="excellent",
            risk_assessment="low", recommended_credit_limit=1, current_credit_limit=1, status="not_required",
        )  # fmt: skip


def test_credit_check_approve_sets_the_limit_and_audits_it(history):
    # given a pending check recommending 0.00 for a 10,000.00 limit
    check = credit_check_run(customer=history["customer"], by=None)
    finance = finance_user()
    # when finance approves it
    credit_check_approve(credit_check=check, by=finance)
    # then the limit is the recommended one, and both the check and the customer history say who
    check.refresh_from_db()
    customer = Customer.objects.get(pk=history["customer"].pk)
    assert customer.credit_limit == Decimal("0.00")
    assert (check.status, check.decided_by, check.decided_at is not None) == ("approved", finance, True)
    latest = customer.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == finance
    assert latest.credit_limit == Decimal("0.00")
    assert check.public_id in latest.history_change_reason
    assert latest.prev_record.credit_limit == Decimal("10000.00")


def test_credit_check_approve_twice_is_an_invalid_transition(history):
    check = credit_check_run(customer=history["customer"], by=None)
    finance = finance_user()
    credit_check_approve(credit_check=check, by=finance)
    with pytest.raises(InvalidTransition):
        credit_check_approve(credit_check=check, by=finance)


def test_credit_check_reject_keeps_the_limit_and_needs_a_note(history):
    check = credit_check_run(customer=history["customer"], by=None)
    finance = finance_user()
    with pytest.raises(ValidationFailed):
        credit_check_reject(credit_check=check, by=finance, note=" ")
    credit_check_reject(credit_check=check, by=finance, note="Known good payer")
    check.refresh_from_db()
    assert (check.status, check.note, check.decided_by) == ("rejected", "Known good payer", finance)
    assert Customer.objects.get(pk=history["customer"].pk).credit_limit == Decimal("10000.00")


def test_credit_check_decision_without_the_permission_is_denied(history):
    check = credit_check_run(customer=history["customer"], by=None)
    support = StaffUserFactory()
    with pytest.raises(PermissionDenied):
        credit_check_approve(credit_check=check, by=support)
    with pytest.raises(PermissionDenied):
        credit_check_reject(credit_check=check, by=support, note="no")
    check.refresh_from_db()
    assert check.status == CreditCheck.Status.PENDING_APPROVAL


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_credit_check_approved_twice_concurrently_has_exactly_one_effect():
    # given a pending check (recommendation 3,000 for a 10,000 limit)
    customer = business_customer()
    check = CreditCheck.objects.create(
        customer=customer, provider="test", credit_score=700, credit_rating="fair", risk_assessment="medium",
        recommended_credit_limit=Decimal("3000.00"), current_credit_limit=customer.credit_limit,
        status="pending_approval",
    )  # fmt: skip
    finance = finance_user()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve():
        try:
            barrier.wait()
            credit_check_approve(credit_check=CreditCheck.objects.get(pk=check.pk), by=finance)
            outcomes.append("approved")
        except InvalidTransition:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then one approval wins, the other is refused, and the limit changed once in the history
    assert sorted(outcomes) == ["approved", "conflict"]
    customer.refresh_from_db()
    assert customer.credit_limit == Decimal("3000.00")
    assert customer.history.filter(history_change_reason__contains=check.public_id).count() == 1
