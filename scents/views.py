"""Account pages: the scent profile form, the blends list and the blend editor (session login)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from config.errors import DomainError, NotFound
from scents import selectors, services
from scents.forms import BlendForm, ScentProfileForm
from scents.models import MAX_BLENDS_PER_CUSTOMER, ProfileNote


def _customer(request):
    customer = getattr(request.user, "customer", None)
    if customer is None or not customer.is_active:
        raise Http404("This page is for customer accounts.")
    return customer


def _show_domain_error(form, exc: DomainError) -> None:
    """Put a service's error on the form field it names (or on the form)."""
    if not exc.details:
        form.add_error(None, exc.message)
        return
    for field, errors in exc.details.items():
        target = field if field in form.fields else None
        for message in errors if isinstance(errors, list) else [errors]:
            form.add_error(target, str(message))


@login_required
@require_http_methods(["GET", "POST"])
def scent_profile_page(request):
    """The scent profile form and the list of blends."""
    customer = _customer(request)
    profile = selectors.scent_profile_get(customer=customer)
    if request.method == "POST":
        form = ScentProfileForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.scent_profile_update(
                    customer=customer,
                    name=data["name"],
                    intensity=data["intensity"],
                    categories=data["categories"],
                    occasions=data["occasions"],
                    favorite_notes=data["favorite_notes"],
                    disliked_notes=data["disliked_notes"],
                )
            except DomainError as exc:
                _show_domain_error(form, exc)
            else:
                messages.success(request, "Your scent profile is saved.")
                return redirect("scents:profile")
    else:
        initial = {}
        if profile is not None:
            initial = {
                "name": profile.name,
                "intensity": profile.intensity,
                "categories": profile.categories,
                "occasions": profile.occasions,
                "favorite_notes": selectors.profile_note_slugs(profile, ProfileNote.Kind.FAVORITE),
                "disliked_notes": selectors.profile_note_slugs(profile, ProfileNote.Kind.DISLIKED),
            }
        form = ScentProfileForm(initial=initial)
    blends = list(selectors.blend_list_for_customer(customer=customer))
    return render(
        request,
        "scents/profile.html",
        {
            "form": form,
            "note_pickers": _note_pickers(form),
            "profile": profile,
            "blends": blends,
            "can_add_blend": len(blends) < MAX_BLENDS_PER_CUSTOMER,
            "max_blends": MAX_BLENDS_PER_CUSTOMER,
        },
    )


def _note_pickers(form) -> list[dict]:
    """The favorite and disliked note pickers, each grouped by family, with what is ticked."""
    pickers = []
    for field, title in (("favorite_notes", "Favorite notes"), ("disliked_notes", "Notes to avoid")):
        ticked = set(form[field].value() or [])
        groups = [
            {
                "family": family,
                "notes": [{"slug": slug, "name": name, "checked": slug in ticked} for slug, name in notes],
            }
            for family, notes in form.fields[field].choices
        ]
        pickers.append({"field": field, "title": title, "groups": groups, "errors": form[field].errors})
    return pickers


def _blend_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "description": data["description"],
        "intensity": data["intensity"],
        "base": data["base"],
        "components": data["components"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def blend_create_page(request):
    """The blend editor for a new blend."""
    customer = _customer(request)
    form = BlendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            blend = services.blend_create(customer=customer, **_blend_fields(form))
        except DomainError as exc:
            _show_domain_error(form, exc)
        else:
            messages.success(request, f"Your blend “{blend.name}” is saved.")
            return redirect("scents:profile")
    return render(request, "scents/blend_form.html", {"form": form, "blend": None})


def _blend_or_404(customer, blend_id):
    try:
        return selectors.blend_get_for_customer(customer=customer, public_id=blend_id)
    except NotFound:
        raise Http404("No such blend.")


@login_required
@require_http_methods(["GET", "POST"])
def blend_edit_page(request, blend_id):
    """The blend editor for one of the customer's blends."""
    customer = _customer(request)
    blend = _blend_or_404(customer, blend_id)
    if request.method == "POST":
        form = BlendForm(request.POST)
        if form.is_valid():
            try:
                services.blend_update(blend=blend, **_blend_fields(form))
            except DomainError as exc:
                _show_domain_error(form, exc)
            else:
                messages.success(request, f"Your blend “{blend.name}” is saved.")
                return redirect("scents:profile")
    else:
        form = BlendForm(initial=BlendForm.initial_for(blend))
    return render(request, "scents/blend_form.html", {"form": form, "blend": blend})


@login_required
@require_POST
def blend_delete_page(request, blend_id):
    """Delete one of the customer's blends."""
    blend = _blend_or_404(_customer(request), blend_id)
    services.blend_delete(blend=blend)
    messages.success(request, f"The blend “{blend.name}” is deleted.")
    return redirect("scents:profile")
