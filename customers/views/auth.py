"""Session login, logout, registration and password reset pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from config.api.throttling import ScopedActionThrottle
from customers.forms import EmailAuthenticationForm, EmailPasswordResetForm, RegistrationForm
from customers.services.auth import password_reset_throttle_account


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


class _ResetEmailLimit:
    """The API's limits on reset emails (`ACTION_THROTTLE_RATES["password-reset"]`), with the same
    counters per address and per client IP, so alternating between the page and the API gains nothing."""

    action_throttle_scope = "password-reset"

    def __init__(self, email: str):
        self.email = email

    def action_throttle_accounts(self, request) -> list[str]:
        return [password_reset_throttle_account(self.email)]


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "account/password_reset_form.html"
    form_class = EmailPasswordResetForm
    email_template_name = "account/email/password_reset_email.txt"
    subject_template_name = "account/email/password_reset_subject.txt"
    success_url = reverse_lazy("account:password-reset-done")

    def form_valid(self, form):
        throttle = ScopedActionThrottle()
        if throttle.allow_request(self.request, _ResetEmailLimit(form.cleaned_data["email"])):
            return super().form_valid(form)
        # The same answer whether or not the address has an account: the counters don't know.
        wait = max(1, int(throttle.wait() or 60))
        form.add_error(
            None, f"Too many reset emails were asked for; please try again in {max(1, wait // 60)} minutes."
        )
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(wait)
        return response


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "account/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "account/password_reset_confirm.html"
    success_url = reverse_lazy("account:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "account/password_reset_complete.html"
