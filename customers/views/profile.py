"""Profile pages: edit the profile and picture, notification preferences, delete the account.

They call the same services as the API, so the rules (phone normalisation, image checks, the
audit history, the erasure) are never written twice.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from config.errors import DomainError
from customers.forms_profile import (
    DeleteAccountForm,
    NotificationPreferencesForm,
    ProfileForm,
    ProfileImageForm,
    form_add_domain_error,
)
from customers.selectors.notifications import notification_preferences_get
from customers.selectors.profile import customer_export
from customers.services.gdpr import customer_self_erase
from customers.services.profile import (
    customer_profile_update,
    notification_preferences_update,
    profile_image_delete,
    profile_image_set,
)


def _customer(request):
    customer = getattr(request.user, "customer", None)
    if customer is None or customer.erased_at is not None:
        raise Http404("This page is for customer accounts.")
    return customer


@login_required
def profile_page(request):
    """Edit names, phone, date of birth, preferences; upload or remove the picture."""
    customer = _customer(request)
    form = ProfileForm(initial=ProfileForm.initial_for(customer))
    image_form = ProfileImageForm()
    if request.method == "POST":
        action = request.POST.get("action", "profile")
        try:
            if action == "image":
                image_form = ProfileImageForm(request.POST, request.FILES)
                if image_form.is_valid():
                    profile_image_set(
                        customer=customer, upload=image_form.cleaned_data["image"], by=request.user
                    )
                    messages.success(request, "Your picture is updated.")
                    return redirect("account:profile")
            elif action == "image-delete":
                profile_image_delete(customer=customer, by=request.user)
                messages.success(request, "Your picture is removed.")
                return redirect("account:profile")
            else:
                form = ProfileForm(request.POST)
                if form.is_valid():
                    customer_profile_update(customer=customer, data=form.service_data(), by=request.user)
                    messages.success(request, "Your profile is saved.")
                    return redirect("account:profile")
        except DomainError as error:
            form_add_domain_error(image_form if action == "image" else form, error)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "account/profile.html",
        {"customer": customer, "form": form, "image_form": image_form},
        status=status,
    )


@login_required
def profile_export_download(request):
    """The GDPR export as a JSON download, for people using the pages rather than the API."""
    customer = _customer(request)
    response = JsonResponse(customer_export(customer=customer), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="mnky-export-{customer.public_id}.json"'
    return response


@login_required
def notifications_page(request):
    """Notification preferences per category and channel."""
    customer = _customer(request)
    initial = NotificationPreferencesForm.initial_for(notification_preferences_get(customer=customer))
    form = NotificationPreferencesForm(initial=initial)
    if request.method == "POST":
        form = NotificationPreferencesForm(request.POST)
        if form.is_valid():
            try:
                notification_preferences_update(
                    customer=customer, preferences=form.service_data(), by=request.user
                )
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                messages.success(request, "Your notification preferences are saved.")
                return redirect("account:notifications")
    return render(request, "account/notifications.html", {"form": form})


@login_required
def delete_page(request):
    """Delete (anonymize) the account after the password is confirmed."""
    customer = _customer(request)
    form = DeleteAccountForm()
    if request.method == "POST":
        form = DeleteAccountForm(request.POST)
        if form.is_valid():
            try:
                customer_self_erase(customer=customer, password=form.cleaned_data["password"])
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                logout(request)
                messages.success(request, "Your account is deleted and your personal data erased.")
                return redirect(settings.LOGOUT_REDIRECT_URL or reverse("account:login"))
    return render(request, "account/delete.html", {"form": form}, status=400 if form.errors else 200)
