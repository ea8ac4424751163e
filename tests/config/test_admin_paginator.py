"""The admin paginator of the big tables: exact counts, except an unfiltered big table on PostgreSQL."""

import pytest
from django.contrib import admin
from django.db import connection

from config.admin_paginator import EstimatedCountPaginator, estimated_rows
from customers.models import Customer
from loyalty.models import LedgerEntry
from orders.models import Order
from orders.models_returns import Return
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_admin_paginator_counts_exactly_on_sqlite():
    CustomerFactory.create_batch(3)
    paginator = EstimatedCountPaginator(Customer.objects.order_by("id"), 2)

    assert paginator.count == 3
    assert paginator.num_pages == 2


@pytest.mark.parametrize("model", [Order, Return, Customer, LedgerEntry])
def test_admin_of_a_big_table_skips_the_full_count(model):
    model_admin = admin.site._registry[model]

    assert model_admin.paginator is EstimatedCountPaginator
    assert model_admin.show_full_result_count is False
    assert model_admin.date_hierarchy is None


@pytest.mark.postgres
def test_admin_paginator_takes_the_planner_estimate_for_an_unfiltered_big_table(monkeypatch):
    CustomerFactory.create_batch(5)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_customer")
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 1)
    CustomerFactory.create_batch(2)  # not yet in the statistics

    unfiltered = EstimatedCountPaginator(Customer.objects.order_by("id"), 2)
    filtered = EstimatedCountPaginator(Customer.objects.filter(is_active=True).order_by("id"), 2)

    assert estimated_rows(using="default", table="customers_customer") == 5
    assert unfiltered.count == 5
    assert filtered.count == 7


@pytest.mark.postgres
def test_admin_paginator_counts_a_small_table_exactly_on_postgres():
    CustomerFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_customer")

    assert EstimatedCountPaginator(Customer.objects.order_by("id"), 2).count == 3
