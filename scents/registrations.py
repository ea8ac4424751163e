"""What scents adds to lower apps' resources, through their registries (called from `ready()`)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers

from customers import registry as customer_registry
from orders import registry as catalog_registry
from scents import selectors, services
from scents.serializers import ScentProfileOutputSerializer, scent_profile_data


@extend_schema_field(ScentProfileOutputSerializer(allow_null=True))
class ScentProfileSectionField(serializers.Field):
    """The profile's `scent_profile`: the selector already gives the contract's shape (blends
    serialized), so it is passed through; a second pass would look for model attributes."""

    def to_representation(self, value):
        return value


def scent_profile_section(customers: list) -> dict:
    """`scent_profile` of many customers' profiles: the profile with `custom_blends`, or null."""
    profiles, blends = selectors.scent_profiles_for_customers(customers)
    return {
        c.pk: scent_profile_data(profiles[c.pk], blends.get(c.pk, [])) if c.pk in profiles else None
        for c in customers
    }


def scent_export(customer) -> dict:
    """GDPR export: the scent profile (null before any write) and every custom blend."""
    profiles, blends = selectors.scent_profiles_for_customers([customer])
    profile = profiles.get(customer.pk)
    data = scent_profile_data(profile, blends.get(customer.pk, []))
    custom_blends = data.pop("custom_blends")
    return {"profile": data if profile is not None else None, "custom_blends": list(custom_blends)}


def register() -> None:
    customer_registry.register_profile_section(
        "scent_profile",
        scent_profile_section,
        schema=ScentProfileSectionField(allow_null=True),
    )
    customer_registry.register_export_section("scent_profile", scent_export)
    customer_registry.register_eraser("scent_profile", services.scent_data_erase)
    catalog_registry.register_product_field(
        "notes",
        selectors.product_note_slugs,
        schema=serializers.ListField(
            child=serializers.CharField(), help_text="Slugs of the product's notes."
        ),
    )
    catalog_registry.register_product_writer("notes", services.product_notes_write)
    catalog_registry.register_product_filter(
        "note",
        selectors.products_with_note,
        schema=OpenApiParameter(
            "note", str, description="A note slug (several comma-separated match any of them)."
        ),
    )
