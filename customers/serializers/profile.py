"""The customer's profile as the API answers it (register, verify-otp and the profile routes)."""

from rest_framework import serializers

from customers.models import Customer


class ProfileOutputSerializer(serializers.Serializer):
    """The base profile fields."""

    id = serializers.CharField(help_text="Public id, `cust_…`.")
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    salutation = serializers.ChoiceField(choices=Customer.Salutation.choices, allow_blank=True)
    phone_number = serializers.CharField(allow_null=True, help_text="E.164, e.g. `+14155550123`.")
    phone_verified = serializers.BooleanField()
    date_of_birth = serializers.DateField(allow_null=True)
    profile_image_url = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


def profile_data(customer: Customer) -> dict:
    """The profile of one customer, ready to render."""
    return ProfileOutputSerializer(
        {
            "id": customer.public_id,
            "email": customer.email,
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "salutation": customer.salutation,
            "phone_number": str(customer.phone_number) if customer.phone_number else None,
            "phone_verified": customer.phone_verified,
            "date_of_birth": customer.date_of_birth,
            "profile_image_url": customer.profile_image.url if customer.profile_image else None,
            "created_at": customer.created_at,
            "updated_at": customer.updated_at,
        }
    ).data
