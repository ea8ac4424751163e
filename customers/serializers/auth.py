"""Request and response bodies of the auth routes. Shapes only: the rules live in services.auth."""

from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from customers.models import Customer, OTPCode


class _NewPasswordMixin:
    """`new_password` and `confirm_password` must match (strength is checked by the service)."""

    password_field = "new_password"

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs[self.password_field] != attrs["confirm_password"]:
            raise serializers.ValidationError({"confirm_password": ["The two passwords do not match."]})
        return attrs


class RegisterInputSerializer(_NewPasswordMixin, serializers.Serializer):
    password_field = "password"

    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    confirm_password = serializers.CharField(
        max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    accepted_terms = serializers.BooleanField(help_text="Must be true.")
    salutation = serializers.ChoiceField(
        choices=Customer.Salutation.choices, required=False, allow_blank=True
    )
    phone_number = PhoneNumberField(
        required=False, allow_blank=True, help_text="International (E.164) format, e.g. `+14155550123`."
    )
    referral_code = serializers.CharField(max_length=32, required=False, allow_blank=True)


class TokenObtainInputSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class TokenPairOutputSerializer(serializers.Serializer):
    access = serializers.CharField(help_text="Access JWT: `Authorization: Bearer <access>`.")
    refresh = serializers.CharField(help_text="Refresh JWT; single use, rotated on refresh.")


class RefreshInputSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class ChangePasswordInputSerializer(_NewPasswordMixin, serializers.Serializer):
    current_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)
    confirm_password = serializers.CharField(max_length=128, trim_whitespace=False)


class ForgotPasswordInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class ResetPasswordInputSerializer(_NewPasswordMixin, serializers.Serializer):
    token = serializers.CharField(max_length=256, help_text="The token from the reset email.")
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)
    confirm_password = serializers.CharField(max_length=128, trim_whitespace=False)


class GenerateOTPInputSerializer(serializers.Serializer):
    otp_action = serializers.ChoiceField(choices=OTPCode.Action.choices)
    email = serializers.EmailField(
        max_length=254, required=False, help_text="The new email address (`update-email`)."
    )
    phone_number = PhoneNumberField(
        required=False, help_text="The new phone number in E.164 format (`update-phone`)."
    )

    def validate(self, attrs):
        field = "email" if attrs["otp_action"] == OTPCode.Action.UPDATE_EMAIL else "phone_number"
        if not attrs.get(field):
            raise serializers.ValidationError({field: [f"This field is required for {attrs['otp_action']}."]})
        return attrs


class OTPSentOutputSerializer(serializers.Serializer):
    otp_action = serializers.ChoiceField(choices=OTPCode.Action.choices, source="action")
    expires_at = serializers.DateTimeField(help_text="The code can be used until then.")


class VerifyOTPInputSerializer(serializers.Serializer):
    otp_action = serializers.ChoiceField(choices=OTPCode.Action.choices)
    otp = serializers.RegexField(r"^\d{6}$", help_text="The 6-digit code.")
