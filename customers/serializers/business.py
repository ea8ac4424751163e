"""Staff customer API in and out: business customers, contacts, credit checks and analytics."""

from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from customers.models import CreditCheck, Customer
from customers.serializers.addresses import AddressOutputSerializer


class BusinessAddressInputSerializer(serializers.Serializer):
    """An address object; `customers.services.addresses.address_normalize` checks it per country."""

    name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    company = serializers.CharField(max_length=200, required=False, allow_blank=True)
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True)
    line3 = serializers.CharField(max_length=200, required=False, allow_blank=True)
    city = serializers.CharField(max_length=120, required=False, allow_blank=True)
    state = serializers.CharField(max_length=120, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2)
    phone = PhoneNumberField(required=False, allow_blank=True)


class ContactInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    phone = PhoneNumberField(required=False, allow_blank=True)
    is_primary = serializers.BooleanField(required=False, default=False)


class ContactUpdateSerializer(ContactInputSerializer):
    is_primary = serializers.BooleanField(required=False)


class ContactOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    name = serializers.CharField()
    title = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    is_primary = serializers.BooleanField()


class CustomerWriteSerializer(serializers.Serializer):
    """`name` is the company name of a business customer; individuals use first and last name."""

    kind = serializers.ChoiceField(choices=Customer.Kind.choices, required=False)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, source="company_name")
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254)
    phone = PhoneNumberField(required=False, allow_blank=True, source="phone_number")
    website = serializers.URLField(required=False, allow_blank=True)
    tax_id = serializers.CharField(max_length=64, required=False, allow_blank=True)
    fax = PhoneNumberField(required=False, allow_blank=True)
    payment_terms = serializers.ChoiceField(choices=Customer.PaymentTerms.choices, required=False)
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", required=False, help_text="ISO 4217.")
    credit_limit = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)
    discount_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )
    preferred_shipping = serializers.CharField(max_length=64, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)

    def validate_currency(self, value):
        return value.upper()


class CustomerCreateSerializer(CustomerWriteSerializer):
    kind = serializers.ChoiceField(choices=Customer.Kind.choices, default=Customer.Kind.BUSINESS)
    billing_address = BusinessAddressInputSerializer(required=False)
    shipping_address = BusinessAddressInputSerializer(required=False)
    contacts = ContactInputSerializer(many=True, required=False)


# One address serializer for every row: building one per address (its fields are deep-copied each
# time) was most of the staff customer list's time (docs/PERFORMANCE.md).
_ADDRESS_OUTPUT = AddressOutputSerializer()


class CustomerOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    kind = serializers.CharField()
    name = serializers.CharField(source="display_name")
    company_name = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField(source="phone_number")
    website = serializers.CharField()
    tax_id = serializers.CharField()
    fax = serializers.CharField()
    payment_terms = serializers.CharField()
    currency = serializers.CharField()
    credit_limit = serializers.DecimalField(max_digits=12, decimal_places=2)
    current_balance = serializers.DecimalField(max_digits=12, decimal_places=2)
    available_credit = serializers.DecimalField(max_digits=12, decimal_places=2)
    discount_rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    preferred_shipping = serializers.CharField()
    notes = serializers.CharField()
    is_active = serializers.BooleanField()
    customer_since = serializers.DateField()
    lifetime_value = serializers.SerializerMethodField()
    total_orders = serializers.SerializerMethodField()
    billing_address = serializers.SerializerMethodField()
    shipping_address = serializers.SerializerMethodField()
    contacts = ContactOutputSerializer(many=True, source="contacts.all")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def _totals(self, obj):
        return (self.context.get("totals") or {}).get(obj.pk) or {}

    @staticmethod
    def _default(obj, flag):
        addresses = getattr(obj, "default_addresses", None)
        if addresses is None:
            addresses = list(obj.addresses.filter(**{flag: True}))
        address = next((a for a in addresses if getattr(a, flag)), None)
        return _ADDRESS_OUTPUT.to_representation(address) if address else None

    def get_lifetime_value(self, obj) -> str:
        return f"{self._totals(obj).get('lifetime_value', 0):.2f}"

    def get_total_orders(self, obj) -> int:
        return self._totals(obj).get("total_orders", 0)

    def get_billing_address(self, obj) -> AddressOutputSerializer(allow_null=True):
        return self._default(obj, "is_default_billing")

    def get_shipping_address(self, obj) -> AddressOutputSerializer(allow_null=True):
        return self._default(obj, "is_default_shipping")


class CustomerListQuerySerializer(serializers.Serializer):
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=Customer.Kind.choices, required=False)
    search = serializers.CharField(required=False, allow_blank=True, max_length=200)
    membership_tier = serializers.CharField(required=False, allow_blank=True, max_length=32)
    created_from = serializers.DateField(required=False)
    created_to = serializers.DateField(required=False)
    sort = serializers.ChoiceField(
        choices=[
            "created_at",
            "-created_at",
            "email",
            "-email",
            "company_name",
            "-company_name",
            "last_name",
            "-last_name",
        ],
        required=False,
    )


class CreditCheckOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    customer_id = serializers.CharField(source="customer.public_id")
    credit_score = serializers.IntegerField()
    credit_rating = serializers.CharField()
    recommended_credit_limit = serializers.DecimalField(max_digits=12, decimal_places=2)
    current_credit_limit = serializers.DecimalField(max_digits=12, decimal_places=2)
    risk_assessment = serializers.CharField()
    status = serializers.CharField(help_text=f"One of {', '.join(CreditCheck.Status.values)}.")
    last_checked = serializers.DateTimeField(source="created_at")
    decided_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.SerializerMethodField()
    note = serializers.CharField()

    def get_decided_by(self, obj) -> str | None:
        return obj.decided_by.email if obj.decided_by_id else None


class CreditCheckDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


class CreditCheckRejectSerializer(serializers.Serializer):
    note = serializers.CharField()


class AnalyticsQuerySerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=["30d", "90d", "1y", "all"], required=False, default="all")


_MONEY = {"max_digits": 14, "decimal_places": 2}


class _AnalyticsCustomer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class _Overview(serializers.Serializer):
    lifetime_value = serializers.DecimalField(**_MONEY)
    total_orders = serializers.IntegerField()
    avg_order_value = serializers.DecimalField(**_MONEY)
    last_order_date = serializers.DateTimeField(allow_null=True)
    customer_since = serializers.DateField()
    days_since_last_order = serializers.IntegerField(allow_null=True)


class _FinancialSummary(serializers.Serializer):
    total_revenue = serializers.DecimalField(**_MONEY)
    current_balance = serializers.DecimalField(**_MONEY)
    credit_limit = serializers.DecimalField(**_MONEY)
    credit_utilization = serializers.DecimalField(max_digits=9, decimal_places=2, help_text="Percent.")
    avg_payment_days = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    overdue_balance = serializers.DecimalField(**_MONEY)


class _Month(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM (UTC).")
    orders = serializers.IntegerField()
    revenue = serializers.DecimalField(**_MONEY)
    avg_order_value = serializers.DecimalField(**_MONEY)


class _TopProduct(serializers.Serializer):
    product_id = serializers.CharField()
    product_name = serializers.CharField()
    quantity_ordered = serializers.IntegerField()
    revenue = serializers.DecimalField(**_MONEY)


class AnalyticsOutputSerializer(serializers.Serializer):
    customer = _AnalyticsCustomer()
    period = serializers.CharField()
    currency = serializers.CharField()
    overview = _Overview()
    financial_summary = _FinancialSummary()
    order_history = _Month(many=True)
    top_products = _TopProduct(many=True)
    customer_segment = serializers.ChoiceField(
        choices=["inactive", "new", "dormant", "vip", "loyal", "occasional"]
    )
    risk_score = serializers.IntegerField(min_value=0, max_value=100)
