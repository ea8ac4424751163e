"""Forms of the profile pages; they only shape input, the profile services decide what is valid."""

from django import forms
from django.conf import settings

from config.errors import DomainError
from customers.models import Customer
from customers.selectors.notifications import CATEGORIES, CHANNELS


def form_add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's error on the form: on each field it names (nested ones too), else on the form."""
    placed = False
    for field, messages in (error.details or {}).items():
        nested = messages if isinstance(messages, dict) else {field: messages}
        for name, items in nested.items():
            if name in form.fields:
                for message in items if isinstance(items, list) else [items]:
                    form.add_error(name, str(message))
                placed = True
    if not placed:
        form.add_error(None, error.message)


class ProfileForm(forms.Form):
    """Names, phone, date of birth and the profile's preferences."""

    salutation = forms.ChoiceField(choices=[("", "—"), *Customer.Salutation.choices], required=False)
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    phone_number = forms.CharField(
        max_length=32,
        required=False,
        help_text="International format, e.g. +44 20 7183 8750. A new number needs verifying again.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    date_of_birth = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    email_marketing = forms.BooleanField(required=False, label="Offers and news by email")
    sms_marketing = forms.BooleanField(required=False, label="Offers and news by SMS")
    preferred_currency = forms.ChoiceField(choices=[])
    reminder_frequency = forms.ChoiceField(
        choices=Customer.ReminderFrequency.choices, label="Refill reminders"
    )

    PREFERENCE_FIELDS = ("email_marketing", "sms_marketing", "preferred_currency", "reminder_frequency")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_currency"].choices = [(code, code) for code in settings.SUPPORTED_CURRENCIES]

    @classmethod
    def initial_for(cls, customer: Customer) -> dict:
        return {
            "salutation": customer.salutation,
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "phone_number": customer.phone_number.as_international if customer.phone_number else "",
            "date_of_birth": customer.date_of_birth,
            **{field: getattr(customer, field) for field in cls.PREFERENCE_FIELDS},
        }

    def service_data(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if key not in self.PREFERENCE_FIELDS}
        data["preferences"] = {key: self.cleaned_data[key] for key in self.PREFERENCE_FIELDS}
        return data


class ProfileImageForm(forms.Form):
    image = forms.FileField(
        label="New picture",
        help_text="JPEG, PNG or WebP, at most 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class NotificationPreferencesForm(forms.Form):
    """One checkbox per category and channel (`promotional_email`, ...)."""

    LABELS = {
        "transactional": "Orders and account (confirmations, shipping updates)",
        "promotional": "Offers and promotions",
        "newsletter": "Newsletter",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category in CATEGORIES:
            for channel in CHANNELS:
                self.fields[f"{category}_{channel}"] = forms.BooleanField(
                    required=False,
                    label=f"{self.LABELS[category]}: {channel.replace('whatsapp', 'WhatsApp').replace('sms', 'SMS')}",
                )

    @staticmethod
    def initial_for(preferences: dict) -> dict:
        return {
            f"{category}_{channel}": value
            for category, channels in preferences.items()
            for channel, value in channels.items()
        }

    def rows(self):
        """(category label, [bound fields by channel]) for the table."""
        return [
            (self.LABELS[category], [self[f"{category}_{channel}"] for channel in CHANNELS])
            for category in CATEGORIES
        ]

    def service_data(self) -> dict:
        return {
            category: {channel: self.cleaned_data[f"{category}_{channel}"] for channel in CHANNELS}
            for category in CATEGORIES
        }


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Your current password, to confirm it is you.",
    )
    confirm = forms.BooleanField(
        label="I understand that my personal data will be erased and I will not be able to log in again."
    )
