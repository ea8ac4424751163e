"""The return form of an order's page: how many of each item, resolution, reason, pickup address."""

from django import forms

from customers.models import Address
from orders.models_returns import ReturnReason, ReturnResolution
from orders.selectors_returns import order_returnable_quantities


class ReturnRequestForm(forms.Form):
    resolution = forms.ChoiceField(label="What would you like?", choices=ReturnResolution.choices)
    return_reason = forms.ChoiceField(label="Why are you returning it?", choices=ReturnReason.choices)
    comment = forms.CharField(
        label="Anything we should know?",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    pickup_address = forms.ModelChoiceField(
        label="Pick up from",
        queryset=Address.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label="I will send it back myself",
    )

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        returnable = order_returnable_quantities(order=order)
        self.item_fields = []
        for item in order.items.all():
            left = returnable.get(item.pk, 0)
            if left <= 0:
                continue
            name = f"quantity_{item.public_id}"
            self.fields[name] = forms.IntegerField(
                label=f"{item.name} ({item.sku}): quantity to return, up to {left}",
                min_value=0,
                max_value=left,
                initial=0,
                required=False,
            )
            self.item_fields.append((item, name))
        self.fields["pickup_address"].queryset = Address.objects.filter(customer_id=order.customer_id)
        self.order_fields([name for _, name in self.item_fields])

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for _, name in self.item_fields):
            raise forms.ValidationError("Choose how many of at least one item to return.")
        return cleaned

    def lines(self) -> list[dict]:
        """The form's items in the shape `return_create` takes."""
        values = self.cleaned_data
        return [
            {
                "item_id": item.public_id,
                "quantity": values[name],
                "resolution": values["resolution"],
                "return_reason": values["return_reason"],
                "comment": values["comment"],
            }
            for item, name in self.item_fields
            if values.get(name)
        ]

    def pickup_address_id(self) -> str | None:
        address = self.cleaned_data.get("pickup_address")
        return address.public_id if address else None


def return_form_context(order, form: ReturnRequestForm | None = None) -> dict:
    """What the order page needs: its returns, and the return form while a return is allowed."""
    context = {"order_returns": list(order.returns.order_by("created_at", "id"))}
    if form is None and not order.is_return_allowed:
        return {**context, "return_form": None}
    return {**context, "return_form": form or ReturnRequestForm(order=order)}
