"""The fragrance note catalog, customers' scent profiles and custom blends, and products' notes."""

from django.db import models
from django.db.models import Q

from config.fields import PublicIdField
from orders.models import Product

MAX_BLEND_COMPONENTS = 8
MAX_BLENDS_PER_CUSTOMER = 50


class Family(models.TextChoices):
    FLORAL = "floral", "Floral"
    WOODY = "woody", "Woody"
    CITRUS = "citrus", "Citrus"
    FRESH = "fresh", "Fresh"
    AMBER = "amber", "Amber"
    GOURMAND = "gourmand", "Gourmand"
    GREEN = "green", "Green"
    AQUATIC = "aquatic", "Aquatic"
    SPICY = "spicy", "Spicy"
    FRUITY = "fruity", "Fruity"
    MUSKY = "musky", "Musky"
    HERBAL = "herbal", "Herbal"


class Intensity(models.TextChoices):
    LIGHT = "light", "Light"
    MEDIUM = "medium", "Medium"
    STRONG = "strong", "Strong"


# How strong a family usually reads in a room; the recommendations' intensity fit uses it.
FAMILY_INTENSITY = {
    Family.CITRUS: Intensity.LIGHT,
    Family.FRESH: Intensity.LIGHT,
    Family.AQUATIC: Intensity.LIGHT,
    Family.GREEN: Intensity.LIGHT,
    Family.HERBAL: Intensity.LIGHT,
    Family.FLORAL: Intensity.MEDIUM,
    Family.FRUITY: Intensity.MEDIUM,
    Family.MUSKY: Intensity.MEDIUM,
    Family.WOODY: Intensity.STRONG,
    Family.AMBER: Intensity.STRONG,
    Family.GOURMAND: Intensity.STRONG,
    Family.SPICY: Intensity.STRONG,
}


def families_of_intensity(intensity: str) -> list[str]:
    """The families that usually read at `intensity`."""
    return [family.value for family, level in FAMILY_INTENSITY.items() if level == intensity]


class Occasion(models.TextChoices):
    RELAXATION = "relaxation", "Relaxation"
    HOME = "home", "Home"
    WORK = "work", "Work"
    SLEEP = "sleep", "Sleep"
    FOCUS = "focus", "Focus"
    ROMANCE = "romance", "Romance"
    CELEBRATION = "celebration", "Celebration"
    OUTDOORS = "outdoors", "Outdoors"


class BlendBase(models.TextChoices):
    CANDLE = "candle", "Candle"
    DIFFUSER = "diffuser", "Diffuser"
    ROOM_SPRAY = "room_spray", "Room spray"
    PERFUME_OIL = "perfume_oil", "Perfume oil"


class Note(models.Model):
    """A fragrance note of the catalog (lavender, bergamot, …), in one family."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100, unique=True)
    family = models.CharField(max_length=16, choices=Family.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["family", "name"], name="scents_note_family_name")]

    def __str__(self):
        return self.name


class ScentProfile(models.Model):
    """A customer's fragrance preferences (one per customer, created on first write)."""

    public_id = PublicIdField(prefix="scent")
    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="scent_profile"
    )
    name = models.CharField(max_length=100, blank=True)
    intensity = models.CharField(max_length=8, choices=Intensity.choices, blank=True)
    categories = models.JSONField(default=list, blank=True, help_text="Favorite families (slugs).")
    occasions = models.JSONField(default=list, blank=True)
    notes = models.ManyToManyField(Note, through="ProfileNote", related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(intensity__in=["", *Intensity.values]), name="scents_scentprofile_intensity_valid"
            ),
        ]

    def __str__(self):
        return self.name or f"Scent profile of customer {self.customer_id}"


class ProfileNote(models.Model):
    """A favorite or disliked note of a profile; a note is one or the other, never both."""

    class Kind(models.TextChoices):
        FAVORITE = "favorite", "Favorite"
        DISLIKED = "disliked", "Disliked"

    profile = models.ForeignKey(ScentProfile, on_delete=models.CASCADE, related_name="note_links")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)

    class Meta:
        constraints = [
            # One row per (profile, note): the database itself refuses favorite-and-disliked.
            models.UniqueConstraint(fields=["profile", "note"], name="scents_profilenote_unique_note"),
            models.CheckConstraint(
                condition=Q(kind__in=["favorite", "disliked"]), name="scents_profilenote_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.kind}: {self.note_id}"


class Blend(models.Model):
    """A customer's custom blend: 1–8 notes whose percentages sum to 100."""

    public_id = PublicIdField(prefix="blend")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="blends")
    name = models.CharField(max_length=100)
    description = models.TextField(max_length=1000, blank=True)
    intensity = models.CharField(max_length=8, choices=Intensity.choices, default=Intensity.MEDIUM)
    base = models.CharField(max_length=16, choices=BlendBase.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(intensity__in=Intensity.values), name="scents_blend_intensity_valid"
            ),
            models.CheckConstraint(condition=Q(base__in=BlendBase.values), name="scents_blend_base_valid"),
        ]
        indexes = [models.Index(fields=["customer", "-created_at", "-id"], name="scents_blend_by_customer")]

    def __str__(self):
        return self.name


class BlendComponent(models.Model):
    """One note of a blend with its share in percent."""

    blend = models.ForeignKey(Blend, on_delete=models.CASCADE, related_name="components")
    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="+")
    percentage = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["blend", "note"], name="scents_blendcomponent_unique_note"),
            models.CheckConstraint(
                condition=Q(percentage__gte=1) & Q(percentage__lte=100),
                name="scents_blendcomponent_percentage_1_100",
            ),
        ]

    def __str__(self):
        return f"{self.note_id} {self.percentage}%"


class ProductNote(models.Model):
    """A note a product of the catalog carries (scents owns this relation, not orders)."""

    product = models.ForeignKey("orders.Product", on_delete=models.CASCADE, related_name="note_links")
    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="product_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "note"], name="scents_productnote_unique_note"),
        ]
        indexes = [models.Index(fields=["note", "product"], name="scents_productnote_by_note")]

    def __str__(self):
        return f"{self.product_id}: {self.note_id}"


class ProductNotes(Product):
    """The catalog's products, as staff edit their notes in the scents admin."""

    class Meta:
        proxy = True
        verbose_name = "product notes"
        verbose_name_plural = "product notes"
