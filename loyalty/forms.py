"""Forms of the loyalty admin."""

from django import forms


class AdjustForm(forms.Form):
    points = forms.IntegerField(
        required=False,
        initial=0,
        min_value=-1_000_000,
        max_value=1_000_000,
        help_text="Signed: negative takes points away.",
    )
    tokens = forms.IntegerField(
        required=False,
        initial=0,
        min_value=-1_000_000,
        max_value=1_000_000,
        help_text="Signed: negative takes tokens away.",
    )
    reason = forms.CharField(max_length=255, help_text="Shown to the customer in their activity.")

    def clean(self):
        data = super().clean()
        data["points"] = data.get("points") or 0
        data["tokens"] = data.get("tokens") or 0
        if not data["points"] and not data["tokens"]:
            raise forms.ValidationError("Give points or tokens (or both) to adjust.")
        return data
