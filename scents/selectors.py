"""Reads of the scents app, already filtered to what the caller may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf

from config.errors import NotFound
from orders.models import Product
from scents.models import (
    Blend,
    BlendComponent,
    Note,
    ProductNote,
    ProfileNote,
    ScentProfile,
    families_of_intensity,
)

# Weights of the recommendation score (see `recommendations_for_customer`).
FAVORITE_NOTE_WEIGHT = 3
FAVORITE_FAMILY_WEIGHT = 1
INTENSITY_FIT_WEIGHT = 1


def note_list(*, family: str | None = None) -> QuerySet[Note]:
    """The note catalog by name, optionally one family."""
    notes = Note.objects.only("slug", "name", "family").order_by("name", "id")
    if family:
        notes = notes.filter(family=family)
    return notes


def _components_prefetch() -> Prefetch:
    return Prefetch(
        "components",
        queryset=BlendComponent.objects.select_related("note").order_by("position", "id"),
    )


def blend_list_for_customer(*, customer) -> QuerySet[Blend]:
    """The customer's blends, newest first, with their components and notes."""
    return (
        Blend.objects.filter(customer=customer)
        .prefetch_related(_components_prefetch())
        .order_by("-created_at", "-id")
    )


def blend_get_for_customer(*, customer, public_id: str) -> Blend:
    """One of the customer's blends; another customer's blend is not found."""
    blend = blend_list_for_customer(customer=customer).filter(public_id=public_id).first()
    if blend is None:
        raise NotFound("No such blend.")
    return blend


def _profiles_with_notes(customer_ids: list[int]) -> dict[int, ScentProfile]:
    """`{customer pk: profile}` with each profile's note links in place (as a prefetch would put
    them): one query when every profile has notes (the links joined to profile and note), a
    second only for the profiles without any."""
    links_by_profile: dict[int, list[ProfileNote]] = defaultdict(list)
    profiles: dict[int, ScentProfile] = {}
    for link in (
        ProfileNote.objects.filter(profile__customer_id__in=customer_ids)
        .select_related("profile", "note")
        .order_by("note__name", "id")
    ):
        profile = profiles.setdefault(link.profile.customer_id, link.profile)
        link.profile = profile
        links_by_profile[profile.pk].append(link)
    without_notes = [pk for pk in customer_ids if pk not in profiles]
    if without_notes:
        profiles.update(
            {p.customer_id: p for p in ScentProfile.objects.filter(customer_id__in=without_notes)}
        )
    for profile in profiles.values():
        cached = ProfileNote.objects.filter(profile=profile)
        cached._result_cache, cached._prefetch_done = links_by_profile.get(profile.pk, []), True
        profile._prefetched_objects_cache = {"note_links": cached}
    return profiles


def scent_profile_get(*, customer) -> ScentProfile | None:
    """The customer's scent profile with its notes, or None before the first write (one query
    when the profile has notes, two when it has none)."""
    return _profiles_with_notes([customer.pk]).get(customer.pk)


def profile_note_slugs(profile: ScentProfile, kind: str) -> list[str]:
    """Slugs of the profile's favorite or disliked notes (uses the prefetched links)."""
    return [link.note.slug for link in profile.note_links.all() if link.kind == kind]


def scent_profiles_for_customers(
    customers: Iterable,
) -> tuple[dict[int, ScentProfile], dict[int, list[Blend]]]:
    """Profiles and blends of many customers at once (three queries, whatever their number: the
    profiles with their notes, the blends, their components; four when a profile has no notes)."""
    ids = [c.pk for c in customers]
    profiles = _profiles_with_notes(ids)
    blends: dict[int, list[Blend]] = defaultdict(list)
    for blend in (
        Blend.objects.filter(customer_id__in=ids)
        .prefetch_related(_components_prefetch())
        .order_by("-created_at", "-id")
    ):
        blends[blend.customer_id].append(blend)
    return profiles, blends


def product_note_slugs(products: Iterable) -> dict[int, list[str]]:
    """`{product.pk: [note slugs]}` for a page of products, in one query."""
    ids = [p.pk for p in products]
    out: dict[int, list[str]] = {pk: [] for pk in ids}
    links = (
        ProductNote.objects.filter(product_id__in=ids)
        .order_by("note__name")
        .values_list("product_id", "note__slug")
    )
    for product_id, slug in links:
        out[product_id].append(slug)
    return out


def products_with_note(queryset: QuerySet, value: str) -> QuerySet:
    """Products carrying the note `value` (a slug; several comma-separated slugs match any)."""
    slugs = [s.strip() for s in str(value).split(",") if s.strip()]
    if not slugs:
        return queryset
    return queryset.filter(
        Exists(ProductNote.objects.filter(product_id=OuterRef("pk"), note__slug__in=slugs))
    )


def _count_links_where(**lookup):
    """Count of a product's notes matching one `__in` lookup; 0 for an empty list.

    An empty `__in` would make Django drop the whole query (EmptyResultSet), not just the count.
    """
    ((key, values),) = lookup.items()
    if not values:
        return Value(0, output_field=IntegerField())
    return Count("note_links", filter=Q(**{key: values}))


def recommendations_for_customer(*, customer) -> tuple[QuerySet[Product], ScentProfile | None]:
    """Active products ranked by fit with the customer's scent profile, best first.

    Computed in the database with one annotated query:

        score = 3 × (favorite notes the product carries)
              + 1 × (product notes whose family is one of the profile's categories)
              + 1 × intensity_fit

    where `intensity_fit` is the share (0–1) of the product's notes whose family usually reads at
    the profile's intensity (`FAMILY_INTENSITY`), 0 when the profile states no intensity. A product
    carrying any disliked note is excluded, and only products with a positive score are listed.
    Ties break by name, then id. Without a profile the result is empty.
    """
    profile = scent_profile_get(customer=customer)
    if profile is None:
        return Product.objects.none(), None
    favorites = [link.note_id for link in profile.note_links.all() if link.kind == ProfileNote.Kind.FAVORITE]
    disliked = [link.note_id for link in profile.note_links.all() if link.kind == ProfileNote.Kind.DISLIKED]
    categories = list(profile.categories or [])
    strength_families = families_of_intensity(profile.intensity) if profile.intensity else []

    products = Product.objects.filter(is_active=True)
    if disliked:
        products = products.exclude(
            Exists(ProductNote.objects.filter(product_id=OuterRef("pk"), note_id__in=disliked))
        )
    products = products.annotate(
        favorite_count=_count_links_where(note_links__note_id__in=favorites),
        family_count=_count_links_where(note_links__note__family__in=categories),
        intensity_count=_count_links_where(note_links__note__family__in=strength_families),
        note_count=Count("note_links"),
    ).annotate(
        score=Cast(
            F("favorite_count") * FAVORITE_NOTE_WEIGHT + F("family_count") * FAVORITE_FAMILY_WEIGHT,
            FloatField(),
        )
        + Value(float(INTENSITY_FIT_WEIGHT))
        * Coalesce(
            Cast(F("intensity_count"), FloatField()) / NullIf(Cast(F("note_count"), FloatField()), 0.0),
            0.0,
        ),
    )
    products = products.filter(note_count__gt=0, score__gt=0).order_by("-score", "name", "id")
    return products, profile


def matched_notes_for(*, products: Iterable, profile: ScentProfile) -> dict[int, list[str]]:
    """`{product.pk: [slugs]}` of each product's notes that are favorites or in a favorite family."""
    ids = [p.pk for p in products]
    out: dict[int, list[str]] = {pk: [] for pk in ids}
    favorites = [link.note_id for link in profile.note_links.all() if link.kind == ProfileNote.Kind.FAVORITE]
    match = Q(note_id__in=favorites) | Q(note__family__in=list(profile.categories or []))
    for product_id, slug in (
        ProductNote.objects.filter(match, product_id__in=ids)
        .order_by("note__name")
        .values_list("product_id", "note__slug")
    ):
        out[product_id].append(slug)
    return out
