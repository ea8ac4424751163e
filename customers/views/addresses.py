"""The account pages' address book: `/account/addresses/` list, add, edit, delete, make default.

Thin views over the same services and selectors as the API.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from config.errors import Conflict, NotFound, ValidationFailed
from customers.forms_addresses import AddressForm
from customers.selectors.addresses import address_get_for_customer, address_list_for_customer
from customers.services.addresses import address_create, address_delete, address_set_default, address_update

KIND_WORDS = {"billing": "billing", "shipping": "shipping", "both": "billing and shipping"}


def customer_required(view):
    """Logged in, with an active customer account (staff without one get a 404)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        customer = getattr(request.user, "customer", None)
        if customer is None or not customer.is_active:
            raise Http404("This page is for customer accounts.")
        request.customer = customer
        return view(request, *args, **kwargs)

    return wrapper


def _own_address(request, address_id: str):
    try:
        return address_get_for_customer(customer=request.customer, public_id=address_id)
    except NotFound:
        raise Http404("No such address.")


@customer_required
@require_http_methods(["GET"])
def address_list(request):
    page = Paginator(address_list_for_customer(customer=request.customer), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "account/addresses.html", {"page": page, "addresses": page.object_list})


def _form_page(request, *, address=None):
    """Add (address is None) or edit: a country change re-renders the form for that country."""
    if request.method == "POST":
        if "refresh" in request.POST:
            # "Update for this country": the same values, labels and required marks for the new country.
            form = AddressForm(initial=request.POST.dict(), address=address)
        else:
            form = AddressForm(request.POST, address=address)
            if form.is_valid():
                try:
                    if address is None:
                        saved = address_create(customer=request.customer, data=form.service_data())
                        messages.success(request, f"Address {saved.name or saved.line1} added.")
                    else:
                        saved = address_update(address=address, data=form.service_data())
                        messages.success(request, f"Address {saved.name or saved.line1} saved.")
                    return redirect("account:addresses")
                except (ValidationFailed, Conflict) as exc:
                    form.add_service_error(exc)
    elif address is not None:
        initial = {field: getattr(address, field) for field in AddressForm.base_fields}
        initial["country"] = address.country.code
        initial["phone"] = str(address.phone or "")
        form = AddressForm(initial=initial, address=address)
    else:
        form = AddressForm()
    template = "account/addresses_form.html"
    return render(request, template, {"form": form, "address": address}, status=200)


@customer_required
@require_http_methods(["GET", "POST"])
def address_add(request):
    return _form_page(request)


@customer_required
@require_http_methods(["GET", "POST"])
def address_edit(request, address_id: str):
    return _form_page(request, address=_own_address(request, address_id))


@customer_required
@require_http_methods(["GET", "POST"])
def address_delete_page(request, address_id: str):
    address = _own_address(request, address_id)
    if request.method == "POST":
        address_delete(address=address)
        messages.success(request, f"Address {address.name or address.line1} deleted.")
        return redirect("account:addresses")
    return render(request, "account/addresses_confirm_delete.html", {"address": address})


@customer_required
@require_POST
def address_make_default(request, address_id: str):
    address = _own_address(request, address_id)
    kind = request.POST.get("kind", "")
    try:
        address_set_default(address=address, kind=kind)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"{address.name or address.line1} is now your default {KIND_WORDS[kind]} address."
        )
    return redirect("account:addresses")
