"""Forms of the account's order pages; they validate input and hand it to the services."""

from django import forms

from customers.models import BankAccount
from orders.models import OrderStatus, RefundMode
from orders.selectors import ORDER_SORTS


class OrderFilterForm(forms.Form):
    status = forms.MultipleChoiceField(choices=OrderStatus.choices, required=False)
    from_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    to_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(
        choices=[
            ("-placed_at", "Newest first"),
            ("placed_at", "Oldest first"),
            ("-total", "Highest total"),
            ("total", "Lowest total"),
        ],
        required=False,
    )

    def clean_sort(self):
        sort = self.cleaned_data.get("sort") or "-placed_at"
        return sort if sort in ORDER_SORTS else "-placed_at"


class OrderCancelForm(forms.Form):
    cancellation_reason = forms.CharField(
        label="Why are you cancelling?", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    refund_mode = forms.ChoiceField(
        label="Refund to",
        choices=RefundMode.choices,
        initial=RefundMode.ORIGINAL_PAYMENT_MODE,
        required=False,
    )
    bank_account = forms.ModelChoiceField(
        label="Bank account", queryset=BankAccount.objects.none(), required=False, to_field_name="public_id"
    )
    feedback = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_account"].queryset = BankAccount.objects.filter(customer=customer)

    def clean_refund_mode(self):
        return self.cleaned_data.get("refund_mode") or RefundMode.ORIGINAL_PAYMENT_MODE


class RetryPaymentForm(forms.Form):
    payment_token = forms.CharField(
        label="Card token", max_length=255, required=False, help_text="Leave empty to use the card on file."
    )
