"""`manage.py bench_data`: the benchmark's shop is loaded consistent, through the real tables."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, F, Sum

from customers.models import Address, Contact, Customer
from loyalty.selectors import ledger_mismatches
from orders.models import Order
from reviews.bench_data import HEAVY_EMAIL

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _load(**kwargs):
    call_command("bench_data", customers=60, orders=600, seed=7, stdout=open("/dev/null", "w"), **kwargs)  # noqa: SIM115


def test_loaded_orders_total_their_items_and_balances_equal_the_ledger():
    _load()

    assert Order.objects.count() == 600
    mismatched = (
        Order.objects.annotate(items_total=Sum("items__total"), lines=Count("items"))
        .exclude(subtotal=F("items_total"))
        .count()
    )
    assert mismatched == 0
    assert not Order.objects.annotate(lines=Count("items")).filter(lines__gt=5).exists()
    assert ledger_mismatches() == []
    assert Customer.objects.get(email=HEAVY_EMAIL).orders.count() == 120  # a fifth at this scale
    assert (
        not Customer.objects.annotate(defaults=Count("addresses", filter=F("addresses__is_default_shipping")))
        .filter(defaults__gt=1)
        .exists()
    )
    business = Customer.objects.filter(kind="business")
    assert business.exists()
    assert Contact.objects.filter(customer__in=business, is_primary=True).count() == business.count()
    assert Address.objects.filter(customer__email=HEAVY_EMAIL).exists()


def test_the_big_tables_keep_every_index_after_the_load():
    def indexes():
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
            return {row[0] for row in cursor.fetchall()}

    before = indexes()
    _load()

    assert indexes() == before


def test_refuses_a_database_with_orders_unless_appending():
    _load()

    with pytest.raises(CommandError, match="--append"):
        _load()
    call_command("bench_data", customers=10, orders=50, seed=8, append=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Order.objects.count() == 650
    assert ledger_mismatches() == []
