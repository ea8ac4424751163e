"""The customer profile as the API shows it, and the inputs of the profile routes."""

from __future__ import annotations

import copy

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from customers import registry
from customers.models import Customer
from customers.selectors.profile import customer_profile_get, profile_image_url, profile_sections_attach
from customers.serializers.addresses import AddressOutputSerializer


class PreferencesOutputSerializer(serializers.Serializer):
    email_marketing = serializers.BooleanField(
        help_text="Promotional email (= notification preference promotional.email)."
    )
    sms_marketing = serializers.BooleanField(
        help_text="Promotional SMS (= notification preference promotional.sms)."
    )
    preferred_currency = serializers.CharField()
    reminder_frequency = serializers.ChoiceField(choices=Customer.ReminderFrequency.choices)


class ProfileOutputSerializer(serializers.ModelSerializer):
    """The profile: the customer's own fields, addresses, preferences and every registered section.

    Sections other apps register (`order_stats`, `membership_tier`, ...) appear as fields of
    their own; a section nobody registered is absent. Build it through `profile_data()`, or pass
    a customer prepared by `customer_profiles_prepare()` to serialise many without extra queries.
    """

    id = serializers.CharField(source="public_id", read_only=True)
    salutation = serializers.ChoiceField(
        choices=Customer.Salutation.choices, allow_blank=True, read_only=True
    )
    phone_number = serializers.SerializerMethodField()
    profile_image_url = serializers.SerializerMethodField()
    addresses = AddressOutputSerializer(many=True, read_only=True)
    preferences = PreferencesOutputSerializer(source="*", read_only=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "salutation",
            "phone_number",
            "phone_verified",
            "date_of_birth",
            "profile_image_url",
            "created_at",
            "updated_at",
            "addresses",
            "preferences",
        ]
        read_only_fields = fields

    def get_fields(self):
        fields = super().get_fields()
        for section in registry.profile_sections():
            field = copy.deepcopy(section.schema) if section.schema is not None else serializers.JSONField()
            field.source = f"profile_sections.{section.name}"
            field.read_only = True
            field.required = False
            field.allow_null = True
            fields[section.name] = field
        return fields

    @extend_schema_field({"type": "string", "nullable": True, "description": "E.164, e.g. `+14155550123`."})
    def get_phone_number(self, customer) -> str | None:
        return customer.phone_number.as_e164 if customer.phone_number else None

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_profile_image_url(self, customer) -> str | None:
        return profile_image_url(customer, self.context.get("request"))

    def to_representation(self, instance):
        if not hasattr(instance, "profile_sections"):
            profile_sections_attach(customers=[instance])
        return super().to_representation(instance)


def profile_data(customer: Customer, *, request=None) -> dict:
    """The profile of one customer as the API answers it (addresses and sections in one go)."""
    customer = customer_profile_get(customer=customer)
    return ProfileOutputSerializer(customer, context={"request": request}).data


class PreferencesInputSerializer(serializers.Serializer):
    """Nested partial update: keys not sent keep their value."""

    email_marketing = serializers.BooleanField(required=False)
    sms_marketing = serializers.BooleanField(required=False)
    preferred_currency = serializers.CharField(
        required=False, max_length=3, help_text="One of the shop's currencies (ISO 4217)."
    )
    reminder_frequency = serializers.ChoiceField(choices=Customer.ReminderFrequency.choices, required=False)


class ProfileUpdateInputSerializer(serializers.Serializer):
    """PATCH /api/customers/profile. Email, ids, timestamps and `phone_verified` are not writable."""

    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    salutation = serializers.ChoiceField(
        choices=Customer.Salutation.choices, required=False, allow_blank=True
    )
    phone_number = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="International format (+4420...), stored as E.164 and unverified; empty clears it.",
    )
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    preferences = PreferencesInputSerializer(required=False)


class ProfileEraseInputSerializer(serializers.Serializer):
    """DELETE /api/customers/profile."""

    password = serializers.CharField(
        help_text="The account's current password.", style={"input_type": "password"}
    )


class ChannelsSerializer(serializers.Serializer):
    email = serializers.BooleanField(required=False)
    sms = serializers.BooleanField(required=False)
    whatsapp = serializers.BooleanField(required=False)


class NotificationPreferencesSerializer(serializers.Serializer):
    """Per category and channel. In a PUT, keys not sent keep their value."""

    transactional = ChannelsSerializer(required=False)
    promotional = ChannelsSerializer(
        required=False, help_text="`email` and `sms` are the profile's `email_marketing` and `sms_marketing`."
    )
    newsletter = ChannelsSerializer(required=False)


class ProfileImageOutputSerializer(serializers.Serializer):
    profile_image_url = serializers.URLField(allow_null=True)


class ProfileImageInputSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="JPEG, PNG or WebP, at most 5 MB; re-encoded without metadata.")
