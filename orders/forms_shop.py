"""Forms of the shop front, the cart and checkout pages; the services do the rules."""

from django import forms

from customers.services.addresses import ADDRESS_FIELDS

QUANTITIES = [(n, n) for n in range(1, 100)]


class ShopSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search")
    note = forms.SlugField(required=False, label="Note")


class AddToCartForm(forms.Form):
    variant = forms.ChoiceField(label="Variant")
    quantity = forms.IntegerField(min_value=1, max_value=99, initial=1)

    def __init__(self, *args, variants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["variant"].choices = [
            (v.public_id, f"{v.name or v.sku} · {v.price} {v.currency}" + ("" if v.stock else " (sold out)"))
            for v in variants
            if v.is_active
        ]


class LineQuantityForm(forms.Form):
    line = forms.CharField(max_length=32)
    quantity = forms.IntegerField(min_value=0, max_value=99)


class CodeForm(forms.Form):
    code = forms.CharField(max_length=40, label="Discount code")


class PointsForm(forms.Form):
    points = forms.IntegerField(min_value=0, label="Points to use")


class AddressChoiceForm(forms.Form):
    """An address-book entry, or a new address typed in (validated by the address service)."""

    shipping_address_id = forms.ChoiceField(required=False, label="Ship to")
    line1 = forms.CharField(required=False, max_length=200, label="Street address")
    first_name = forms.CharField(required=False, max_length=150)
    last_name = forms.CharField(required=False, max_length=150)
    city = forms.CharField(required=False, max_length=120)
    state = forms.CharField(required=False, max_length=120, label="State / area")
    postal_code = forms.CharField(required=False, max_length=20)
    country = forms.CharField(required=False, max_length=2, help_text="Two letters, e.g. US, DE.")

    def __init__(self, *args, addresses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shipping_address_id"].choices = [("", "A new address (below)")] + [
            (a.public_id, f"{a.line1}, {a.postal_code} {a.city}, {a.country}") for a in addresses
        ]

    def inline_address(self) -> dict | None:
        data = {k: v for k, v in self.cleaned_data.items() if k in ADDRESS_FIELDS and v}
        return data or None


class ShippingMethodForm(forms.Form):
    code = forms.ChoiceField(label="Shipping method", widget=forms.RadioSelect)

    def __init__(self, *args, methods=(), **kwargs):
        kwargs.setdefault("auto_id", "method_%s")  # the code form on the same page has its own `code`
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [
            (m.code, f"{m.name} · {m.price} · {m.estimated_days} days") for m in methods
        ]


class CheckoutForm(forms.Form):
    method = forms.ChoiceField(
        label="Payment method",
        widget=forms.RadioSelect,
        choices=[("card", "Card"), ("bank_transfer", "Bank transfer")],
    )
    payment_token = forms.CharField(
        required=False,
        max_length=255,
        label="Card token",
        help_text="From the payment form; the development provider declines tok_decline.",
    )

    def __init__(self, *args, on_account=False, **kwargs):
        super().__init__(*args, **kwargs)
        if on_account:
            self.fields["method"].choices = [*self.fields["method"].choices, ("on_account", "On account")]
