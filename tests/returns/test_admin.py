"""The Returns admin: a work queue of requested returns; decisions go through the services."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission

from orders.models_returns import ReturnStatus
from orders.services_returns import return_approve, return_reject
from tests.factories import StaffUserFactory
from tests.returns.factories import delivered_order, line, request_return

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/orders/return/"


def _support_user(*, with_group=True, perms=()):
    user = StaffUserFactory()
    if with_group:
        user.groups.add(Group.objects.get(name="Customer support"))
    for codename in perms:
        user.user_permissions.add(Permission.objects.get(content_type__app_label="orders", codename=codename))
    return user


@pytest.fixture
def support_client(client):
    client.force_login(_support_user())
    return client


@pytest.fixture
def order(customer):
    return delivered_order(customer)


def test_customer_support_group_holds_the_return_permissions():
    group = Group.objects.get(name="Customer support")
    codenames = set(
        group.permissions.filter(content_type__app_label="orders").values_list("codename", flat=True)
    )
    assert {"view_return", "approve_return"} <= codenames


def test_changelist_opens_on_requested_returns_oldest_first(support_client, order, customer):
    older = request_return(order, line(order, 0))
    newer = request_return(order, line(order, 1))
    rejected = request_return(delivered_order(customer))
    return_reject(return_request=rejected, note="No")
    content = support_client.get(CHANGELIST).content.decode()
    assert older.public_id in content and newer.public_id in content
    assert rejected.public_id not in content
    assert content.index(older.public_id) < content.index(newer.public_id)
    assert order.number in content and customer.email in content
    assert order.items.first().sku in content
    everything = support_client.get(CHANGELIST, {"status": "all"}).content.decode()
    assert rejected.public_id in everything


def test_changelist_query_count_is_constant(support_client, customer, django_assert_max_num_queries):
    first = delivered_order(customer)
    request_return(first)
    with django_assert_max_num_queries(30) as one:
        assert support_client.get(CHANGELIST).status_code == 200
    for _ in range(10):
        more = delivered_order(customer)
        request_return(more, line(more, 0), line(more, 1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        support_client.get(CHANGELIST)


def test_approve_action_calls_the_service_and_reports_per_row_errors(support_client, order):
    waiting = request_return(order, line(order, 0))
    decided = request_return(order, line(order, 1))
    return_approve(return_request=decided)
    response = support_client.post(
        f"{CHANGELIST}?status=all",
        {"action": "approve_returns", ACTION_CHECKBOX_NAME: [waiting.pk, decided.pk]},
        follow=True,
    )
    waiting.refresh_from_db()
    assert waiting.status == ReturnStatus.APPROVED
    assert waiting.history.last().actor == "staff"
    messages = [str(m) for m in response.context["messages"]]
    assert any("1 return(s) approved" in m for m in messages)
    assert any(decided.public_id in m and "cannot be approved" in m for m in messages)


def test_reject_action_asks_for_a_note_then_rejects(support_client, order):
    ret = request_return(order)
    ask = support_client.post(CHANGELIST, {"action": "reject_returns", ACTION_CHECKBOX_NAME: [ret.pk]})
    assert b'name="note"' in ask.content
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.REQUESTED
    support_client.post(
        CHANGELIST,
        {"action": "reject_returns", ACTION_CHECKBOX_NAME: [ret.pk], "apply": "1", "note": "Worn"},
    )
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.REJECTED and ret.decision_note == "Worn"


def test_receive_action_refunds_an_approved_return(support_client, order):
    ret = request_return(order, line(order, 1))
    return_approve(return_request=ret)
    # Actions work on the list as filtered: the approved returns' view.
    support_client.post(
        f"{CHANGELIST}?status=approved", {"action": "receive_returns", ACTION_CHECKBOX_NAME: [ret.pk]}
    )
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.REFUNDED and ret.refund is not None


def test_staff_without_the_approve_permission_cannot_decide(client, order):
    client.force_login(_support_user(with_group=False, perms=["view_return"]))
    ret = request_return(order)
    page = client.get(CHANGELIST).content.decode()
    assert ret.public_id in page and "approve_returns" not in page
    client.post(CHANGELIST, {"action": "approve_returns", ACTION_CHECKBOX_NAME: [ret.pk]})
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.REQUESTED


def test_status_is_read_only_and_returns_cannot_be_added(support_client, order):
    ret = request_return(order)
    content = support_client.get(f"{CHANGELIST}{ret.pk}/change/").content.decode()
    assert 'name="status"' not in content
    assert support_client.get(f"{CHANGELIST}add/").status_code == 403
