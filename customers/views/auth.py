"""Session login, logout, registration and password reset pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from customers.forms import EmailAuthenticationForm, EmailPasswordResetForm, RegistrationForm


class LoginView(auth_views.LoginView):
    """Django's login view with the email form."""

    template_name = "account/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's); says so after redirecting to the login page."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have been logged out.")
        return response


class RegisterView(View):
    """Create a customer account through the registration service, then log it in."""

    template_name = "account/register.html"

    def get(self, request):
        if request.user.is_authenticated:
            return redirect("account:dashboard")
        return render(request, self.template_name, {"form": RegistrationForm()})

    def post(self, request):
        form = RegistrationForm(request.POST)
        customer = form.register() if form.is_valid() else None
        if customer is None:
            return render(request, self.template_name, {"form": form})
        login(request, customer.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {customer.first_name}! Your account is ready.")
        next_url = request.POST.get("next") or ""
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(next_url)
        return redirect(settings.LOGIN_REDIRECT_URL)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "account/password_reset_form.html"
    form_class = EmailPasswordResetForm
    email_template_name = "account/email/password_reset_email.txt"
    subject_template_name = "account/email/password_reset_subject.txt"
    success_url = reverse_lazy("account:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "account/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "account/password_reset_confirm.html"
    success_url = reverse_lazy("account:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "account/password_reset_complete.html"
