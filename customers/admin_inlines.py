"""Admin inlines the customers admin shows on a customer: `AddressInline`.

The inline's forms validate with `address_normalize` (the API's per-country rules and
messages), its formset refuses duplicates and a book without its defaults, and every save,
change and delete goes through the address-book services, so the admin keeps the same rules
as the API and the pages (first address is the default, defaults move under a row lock, a
deleted default is handed over).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from config.errors import ValidationFailed
from customers.models import Address
from customers.services.addresses import (
    ADDRESS_FIELDS,
    DEFAULT_FLAGS,
    address_create,
    address_delete,
    address_fingerprint,
    address_normalize,
    address_update,
)


class AddressAdminForm(forms.ModelForm):
    """One address of the inline, checked for its country by `address_normalize`."""

    # A plain field: the number is read for the address's country and stored in E.164 by the service.
    phone = forms.CharField(max_length=32, required=False, help_text="E.164, or a national number.")

    class Meta:
        model = Address
        fields = [*ADDRESS_FIELDS, *DEFAULT_FLAGS.values()]

    def clean(self):
        cleaned = super().clean()
        if any(field in self.errors for field in ADDRESS_FIELDS) or self._is_being_deleted():
            return cleaned
        data = {field: cleaned.get(field) or "" for field in ADDRESS_FIELDS}
        try:
            self.normalized = address_normalize(data=data)
        except ValidationFailed as exc:
            for field, messages in exc.details.items():
                self.add_error(field if field in self.fields else None, messages)
        return cleaned

    def _is_being_deleted(self) -> bool:
        return bool(self.cleaned_data.get("DELETE"))

    def _get_validation_exclusions(self):
        # The one-default and no-duplicate constraints are checked by the formset and enforced by
        # the services, which clear an old default before setting the new one; checked here on a
        # single form they would refuse every change of default.
        return {*super()._get_validation_exclusions(), "customer"}

    def service_data(self) -> dict:
        """What the services take: the address fields and the default flags."""
        data = {field: self.cleaned_data.get(field) or "" for field in ADDRESS_FIELDS}
        for field in DEFAULT_FLAGS.values():
            data[field] = bool(self.cleaned_data.get(field))
        return data


class AddressFormSet(forms.BaseInlineFormSet):
    """Saves through the address-book services; refuses duplicates and two defaults of a kind."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if (form.has_changed() or form.instance.pk)
            and not self._should_delete_form(form)
            and hasattr(form, "normalized")
        ]
        for kind, field in DEFAULT_FLAGS.items():
            ticked = [form for form in kept if form.cleaned_data.get(field)]
            if len(ticked) > 1:
                raise ValidationError(f"Only one address can be the default {kind} address.")
            for form in kept:
                if form.initial.get(field) and not ticked:
                    # A book keeps its default: it moves by ticking another address (or deleting).
                    form.add_error(
                        field, f"This is the default {kind} address. Tick the box on another address instead."
                    )
        seen: dict[str, str] = {}
        others = (
            Address.objects.filter(customer=self.instance) if self.instance.pk else Address.objects.none()
        )
        in_forms = {form.instance.pk for form in self.forms if form.instance.pk}
        for address in others.exclude(pk__in=in_forms).only("public_id", "fingerprint"):
            seen[address.fingerprint] = address.public_id
        for form in kept:
            fingerprint = address_fingerprint(data=form.normalized)
            if fingerprint in seen:
                form.add_error(None, f"This address is already in the address book ({seen[fingerprint]}).")
            seen[fingerprint] = form.instance.public_id or "another new address"

    def save_new(self, form, commit=True):
        if not commit:
            return super().save_new(form, commit=commit)
        return address_create(customer=self.instance, data=form.service_data())

    def save_existing(self, form, obj, commit=True):
        if not commit:
            return super().save_existing(form, obj, commit=commit)
        data = form.service_data()
        # Unticking a default is refused by the form; ticking one moves it. Unticked flags on an
        # address that is not a default say nothing.
        for field in DEFAULT_FLAGS.values():
            if not data[field]:
                data.pop(field)
        return address_update(address=obj, data=data)

    def delete_existing(self, obj, commit=True):
        if commit:
            address_delete(address=obj)


class AddressInline(admin.StackedInline):
    """The customer's address book on the customer's admin page."""

    model = Address
    form = AddressAdminForm
    formset = AddressFormSet
    extra = 0
    ordering = ("-is_default_billing", "-is_default_shipping", "-updated_at")
    readonly_fields = ("public_id", "updated_at")
    fieldsets = [
        (None, {"fields": ["public_id", "name", ("is_default_billing", "is_default_shipping")]}),
        (None, {"fields": [("first_name", "last_name"), "company", "phone"]}),
        (None, {"fields": ["line1", "line2", "line3", ("city", "state", "postal_code"), "country"]}),
        (None, {"fields": ["updated_at"]}),
    ]
