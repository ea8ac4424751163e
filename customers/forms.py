"""Forms of the account pages: login by email, registration, password reset by email."""

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.template import loader
from phonenumber_field.formfields import PhoneNumberField

from config.errors import DomainError
from customers.models import Customer
from customers.services.registration import customer_register


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's error on the form: per field where it names one, on the form otherwise."""
    placed = False
    for field, messages in (error.details or {}).items():
        messages = messages if isinstance(messages, list) else [messages]
        if field in form.fields:
            for message in messages:
                form.add_error(field, str(message))
            placed = True
    if not placed:
        form.add_error(None, error.message)


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form with the email as the username."""

    username = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Please enter a correct email and password.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email"

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            # `email=` (the USERNAME_FIELD) is the credential django-axes reads (AXES_USERNAME_FORM_FIELD).
            self.user_cache = authenticate(self.request, email=email, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class RegistrationForm(forms.Form):
    """The API's register fields; the registration service decides what is valid."""

    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    first_name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    salutation = forms.ChoiceField(choices=[("", "—")] + list(Customer.Salutation.choices), required=False)
    phone_number = PhoneNumberField(
        required=False,
        help_text="Optional, in international format, e.g. +14155550123.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    password = forms.CharField(
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not too common and not only digits.",
    )
    confirm_password = forms.CharField(
        label="Confirm password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    referral_code = forms.CharField(max_length=32, required=False, help_text="Optional, from a friend.")
    # Not `required=True`: the service owns the rule and its message.
    accepted_terms = forms.BooleanField(label="I accept the terms and conditions", required=False)

    def clean(self):
        cleaned = super().clean()
        password, confirm = cleaned.get("password"), cleaned.get("confirm_password")
        if password and confirm and password != confirm:
            self.add_error("confirm_password", "The two passwords do not match.")
        return cleaned

    def register(self) -> Customer | None:
        """Create the account through the service; on a domain error, show it and return None."""
        data = self.cleaned_data
        try:
            return customer_register(
                email=data["email"],
                password=data["password"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                accepted_terms=data["accepted_terms"],
                salutation=data.get("salutation") or "",
                phone_number=str(data["phone_number"]) if data.get("phone_number") else "",
                referral_code=data.get("referral_code") or "",
            )
        except DomainError as error:
            add_domain_error(self, error)
            return None


class EmailPasswordResetForm(PasswordResetForm):
    """Django's reset form; the email goes out after commit through a Celery task."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from customers.tasks.account_emails import account_email_send

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html_body = (
            loader.render_to_string(html_email_template_name, context) if html_email_template_name else None
        )
        transaction.on_commit(
            lambda: account_email_send.delay(
                subject=subject, body=body, to=[to_email], from_email=from_email, html_body=html_body
            )
        )
