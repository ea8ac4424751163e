"""What reviews adds to lower apps: product rating fields (orders) and GDPR export/erasure (customers)."""

from rest_framework import serializers

from customers import registry as customer_registry
from orders import registry as product_registry


def register() -> None:
    from reviews.selectors import product_average_ratings, product_review_counts, review_export_for_customer
    from reviews.services import reviews_erase_personal_data

    product_registry.register_product_field(
        "average_rating",
        product_average_ratings,
        schema=serializers.DecimalField(
            max_digits=3,
            decimal_places=2,
            allow_null=True,
            help_text="Mean of the approved reviews' ratings (1–5), or null without any.",
        ),
        select_related="rating",
    )
    product_registry.register_product_field(
        "review_count",
        product_review_counts,
        schema=serializers.IntegerField(help_text="How many approved reviews the product has."),
        select_related="rating",
    )
    customer_registry.register_export_section("reviews", review_export_for_customer)
    customer_registry.register_eraser("reviews", reviews_erase_personal_data)
