"""Input and output shapes of the scents API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scents.models import (
    MAX_BLEND_COMPONENTS,
    Blend,
    BlendBase,
    Family,
    Intensity,
    Note,
    Occasion,
    ProfileNote,
)
from scents.selectors import profile_note_slugs


class NoteOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["slug", "name", "family"]


class NoteListQuerySerializer(serializers.Serializer):
    family = serializers.ChoiceField(
        choices=Family.choices, required=False, allow_blank=True, help_text="One family (empty: all)."
    )


class BlendComponentSerializer(serializers.Serializer):
    note = serializers.SlugField(max_length=64, help_text="A note slug from the catalog.")
    percentage = serializers.IntegerField(min_value=1, max_value=100)


class BlendOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    name = serializers.CharField()
    description = serializers.CharField()
    intensity = serializers.ChoiceField(choices=Intensity.choices)
    base = serializers.ChoiceField(choices=BlendBase.choices)
    components = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField(
        help_text="Slugs of the blend's notes, derived from components."
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(BlendComponentSerializer(many=True))
    def get_components(self, blend: Blend) -> list[dict]:
        return [{"note": c.note.slug, "percentage": c.percentage} for c in blend.components.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_notes(self, blend: Blend) -> list[str]:
        return [c.note.slug for c in blend.components.all()]


class BlendCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    intensity = serializers.ChoiceField(choices=Intensity.choices, required=False, default=Intensity.MEDIUM)
    base = serializers.ChoiceField(choices=BlendBase.choices)
    components = BlendComponentSerializer(
        many=True,
        help_text=f"1–{MAX_BLEND_COMPONENTS} components, no note twice, percentages summing to exactly 100.",
    )


class BlendUpdateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    intensity = serializers.ChoiceField(choices=Intensity.choices, required=False)
    base = serializers.ChoiceField(choices=BlendBase.choices, required=False)
    components = BlendComponentSerializer(
        many=True, required=False, help_text="Replaces the whole list (1–8 components summing to 100)."
    )


class PreferencesSerializer(serializers.Serializer):
    intensity = serializers.ChoiceField(choices=Intensity.choices, allow_null=True, required=False)
    categories = serializers.ListField(child=serializers.ChoiceField(choices=Family.choices), required=False)
    favorite_notes = serializers.ListField(child=serializers.CharField(max_length=64), required=False)
    disliked_notes = serializers.ListField(child=serializers.CharField(max_length=64), required=False)
    occasions = serializers.ListField(child=serializers.ChoiceField(choices=Occasion.choices), required=False)


class ScentProfileInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    preferences = PreferencesSerializer(
        required=False, help_text="Nested partial: keys not sent keep their value."
    )


class ScentProfileOutputSerializer(serializers.Serializer):
    """The scent profile; before the first write `id`, `created_at` and `updated_at` are null."""

    id = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    preferences = PreferencesSerializer()
    custom_blends = BlendOutputSerializer(many=True)
    created_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)


def scent_profile_data(profile, blends) -> dict:
    """The contract's shape of a profile (or the empty profile when `profile` is None)."""
    if profile is None:
        return {
            "id": None,
            "name": "",
            "preferences": {
                "intensity": None,
                "categories": [],
                "favorite_notes": [],
                "disliked_notes": [],
                "occasions": [],
            },
            "custom_blends": BlendOutputSerializer(blends, many=True).data,
            "created_at": None,
            "updated_at": None,
        }
    return {
        "id": profile.public_id,
        "name": profile.name,
        "preferences": {
            "intensity": profile.intensity or None,
            "categories": list(profile.categories or []),
            "favorite_notes": profile_note_slugs(profile, ProfileNote.Kind.FAVORITE),
            "disliked_notes": profile_note_slugs(profile, ProfileNote.Kind.DISLIKED),
            "occasions": list(profile.occasions or []),
        },
        "custom_blends": BlendOutputSerializer(blends, many=True).data,
        "created_at": serializers.DateTimeField().to_representation(profile.created_at),
        "updated_at": serializers.DateTimeField().to_representation(profile.updated_at),
    }


class RecommendationOutputSerializer(serializers.Serializer):
    """A recommended product with its score (see the route's description for the formula)."""

    id = serializers.CharField(source="public_id", help_text="The product's id (`prod_…`).")
    sku = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    image_url = serializers.SerializerMethodField()
    score = serializers.FloatField(
        help_text="3 × favorite notes + 1 × notes in favorite families + intensity fit (0–1)."
    )
    matched_notes = serializers.ListField(
        child=serializers.CharField(),
        help_text="The product's notes that are favorites or in a favorite family.",
    )

    def get_image_url(self, product) -> str | None:
        if not product.image:
            return None
        request = self.context.get("request")
        url = product.image.url
        return request.build_absolute_uri(url) if request else url
