"""Admin forms never render a select of every row of a big table (100k customers, a million orders)."""

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    ForeignKeyRawIdWidget,
    ManyToManyRawIdWidget,
)
from django.forms import ModelChoiceField
from django.test import RequestFactory

from customers.models import Customer, User
from loyalty.models import LedgerEntry, LoyaltyAccount
from orders.models import Order, OrderItem
from orders.models_returns import Return

pytestmark = pytest.mark.django_db

BIG_TABLES = (Customer, User, Order, OrderItem, Return, LedgerEntry, LoyaltyAccount)
BOUNDED_WIDGETS = (
    ForeignKeyRawIdWidget,
    ManyToManyRawIdWidget,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)


def _selects_of_big_tables(model_admin, request) -> list[str]:
    found = []
    forms = (
        [model_admin.get_form(request, None, change=False)] if model_admin.has_add_permission(request) else []
    )
    forms.append(model_admin.get_form(request, None, change=True))
    for inline in model_admin.get_inline_instances(request):
        forms.append(inline.get_formset(request).form)
    for form in forms:
        for name, field in form.base_fields.items():
            if not isinstance(field, ModelChoiceField) or field.queryset.model not in BIG_TABLES:
                continue
            widget = getattr(field.widget, "widget", field.widget)  # unwrap the related-field wrapper
            if not isinstance(widget, BOUNDED_WIDGETS):
                found.append(f"{form.__name__}.{name}")
    return found


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}"
)
def test_admin_form_has_no_select_of_a_big_table(model, staff_user):
    request = RequestFactory().get("/admin/")
    request.user = staff_user

    assert _selects_of_big_tables(admin.site._registry[model], request) == []
