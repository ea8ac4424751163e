"""Bank accounts in and out: the full IBAN goes in, only its last four characters come out."""

from rest_framework import serializers


class BankAccountInputSerializer(serializers.Serializer):
    holder_name = serializers.CharField(max_length=200)
    iban = serializers.CharField(max_length=64, write_only=True)


class BankAccountOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    holder_name = serializers.CharField()
    iban_last4 = serializers.CharField()
    created_at = serializers.DateTimeField()
