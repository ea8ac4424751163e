"""Input and output shapes of the reviews API."""

from rest_framework import serializers

from reviews.models import RATING_MAX, RATING_MIN, ReviewStatus
from reviews.services import BODY_MAX, TITLE_MAX


class ReviewCreateInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=RATING_MIN, max_value=RATING_MAX)
    title = serializers.CharField(max_length=TITLE_MAX)
    body = serializers.CharField(max_length=BODY_MAX)


class ReviewUpdateInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=RATING_MIN, max_value=RATING_MAX, required=False)
    title = serializers.CharField(max_length=TITLE_MAX, required=False)
    body = serializers.CharField(max_length=BODY_MAX, required=False)


class ReviewOutputSerializer(serializers.Serializer):
    """A review as its author sees it, with its moderation state."""

    id = serializers.CharField(source="public_id")
    product_id = serializers.CharField(source="product.public_id")
    product_name = serializers.CharField(source="product.name")
    rating = serializers.IntegerField()
    title = serializers.CharField(help_text="Plain text as written; escape it when rendering HTML.")
    body = serializers.CharField(help_text="Plain text as written; escape it when rendering HTML.")
    status = serializers.ChoiceField(choices=ReviewStatus.choices)
    moderation_note = serializers.CharField(help_text="Why a review was rejected, when it was.")
    moderated_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class PublicReviewOutputSerializer(serializers.Serializer):
    """An approved review as anyone sees it on the product."""

    id = serializers.CharField(source="public_id")
    product_id = serializers.CharField(source="product.public_id")
    rating = serializers.IntegerField()
    title = serializers.CharField(help_text="Plain text as written; escape it when rendering HTML.")
    body = serializers.CharField(help_text="Plain text as written; escape it when rendering HTML.")
    author_name = serializers.CharField(help_text="First name and last initial.")
    verified_purchase = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_verified_purchase(self, review) -> bool:
        # Every review is tied to a delivered order line; the field tells clients so.
        return True


class ReadyForReviewOutputSerializer(serializers.Serializer):
    product_id = serializers.CharField()
    product_name = serializers.CharField()
    order_number = serializers.CharField()
    delivered_at = serializers.DateTimeField()


class CustomerReviewsOutputSerializer(serializers.Serializer):
    reviews = ReviewOutputSerializer(many=True)
    ready_for_review = ReadyForReviewOutputSerializer(many=True)
