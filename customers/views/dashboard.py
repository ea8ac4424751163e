"""The account dashboard: who is logged in, links to the sections, and registered profile sections."""

from collections.abc import Mapping

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from customers import registry
from customers.models import Customer


def _humanize(name: str) -> str:
    return str(name).replace("_", " ").replace("-", " ").capitalize()


def _section_display(name: str, value) -> dict:
    """A registered section's value in a shape the template can show without knowing the app."""
    if isinstance(value, Mapping):
        rows = [
            (_humanize(key), item) for key, item in value.items() if not isinstance(item, (Mapping, list))
        ]
        return {"title": _humanize(name), "rows": rows}
    if isinstance(value, (list, tuple)):
        # Not "items": in a template `section.items` would be the dict's own items() method.
        return {"title": _humanize(name), "entries": [str(item) for item in value]}
    return {"title": _humanize(name), "value": value}


def profile_sections_for(customer: Customer) -> list[dict]:
    """What other apps registered for the profile (tier, points, order stats...); absent values are skipped."""
    sections = []
    for section in registry.profile_sections():
        value = section.selector([customer]).get(customer.pk)
        if value is None or value == "" or value == [] or value == {}:
            continue
        sections.append(_section_display(section.name, value))
    return sections


@login_required
def dashboard(request):
    """The customer's home: their name, the account sections, and what other apps add."""
    customer = getattr(request.user, "customer", None)
    context = {"customer": customer, "sections": profile_sections_for(customer) if customer else []}
    return render(request, "account/dashboard.html", context)
