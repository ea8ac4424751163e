"""Every write of the scents app: scent profiles, blends, products' notes, GDPR erasure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from config.errors import Conflict, ValidationFailed
from customers.models import Customer
from orders.models import Product
from scents.models import (
    MAX_BLEND_COMPONENTS,
    MAX_BLENDS_PER_CUSTOMER,
    Blend,
    BlendBase,
    BlendComponent,
    Family,
    Intensity,
    Note,
    Occasion,
    ProductNote,
    ProfileNote,
    ScentProfile,
)


class _Unset:
    """Marks a keyword that was not sent: a partial update keeps its stored value."""

    def __repr__(self):
        return "UNSET"


UNSET: Any = _Unset()


@dataclass(frozen=True)
class ComponentInput:
    """One component of a blend as a caller sends it: a note slug and its percentage."""

    note: str
    percentage: int


def _lock_customer(customer: Customer) -> Customer:
    # Every write to a customer's scent data locks the customer row first (one fixed lock order),
    # so a first write creating the profile and a blend count are never raced.
    return Customer.objects.select_for_update().get(pk=customer.pk)


def _choice_list(field: str, values, allowed: Sequence[str], label: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, list | tuple):
        raise ValidationFailed.on(field, "Must be a list.")
    unknown = [v for v in values if not isinstance(v, str) or v not in allowed]
    if unknown:
        raise ValidationFailed.on(field, f"Unknown {label}: {', '.join(map(str, unknown))}.")
    return list(dict.fromkeys(values))


def _notes_by_slug(field: str, slugs) -> list[Note]:
    if slugs is None:
        return []
    if isinstance(slugs, str) or not isinstance(slugs, list | tuple):
        raise ValidationFailed.on(field, "Must be a list of note slugs.")
    wanted = list(dict.fromkeys(slugs))
    bad = [s for s in wanted if not isinstance(s, str)]
    if bad:
        raise ValidationFailed.on(field, "Must be a list of note slugs.")
    found = {n.slug: n for n in Note.objects.filter(slug__in=wanted)}
    unknown = [s for s in wanted if s not in found]
    if unknown:
        raise ValidationFailed.on(field, f"Unknown notes: {', '.join(unknown)}.")
    return [found[s] for s in wanted]


def _intensity(field: str, value, *, allow_blank: bool) -> str:
    if value in (None, ""):
        if allow_blank:
            return ""
        raise ValidationFailed.on(field, "This field is required.")
    if value not in Intensity.values:
        raise ValidationFailed.on(field, f"Must be one of: {', '.join(Intensity.values)}.")
    return value


def _text(field: str, value, *, max_length: int, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed.on(field, "Must be text.")
    value = value.strip()
    if required and not value:
        raise ValidationFailed.on(field, "This field is required.")
    if len(value) > max_length:
        raise ValidationFailed.on(field, f"At most {max_length} characters.")
    return value


@transaction.atomic
def scent_profile_update(
    *,
    customer: Customer,
    name: Any = UNSET,
    intensity: Any = UNSET,
    categories: Any = UNSET,
    favorite_notes: Any = UNSET,
    disliked_notes: Any = UNSET,
    occasions: Any = UNSET,
) -> ScentProfile:
    """Create or partly update the customer's scent profile; keywords not given keep their value.

    Notes are catalog slugs, categories are families; a note cannot be both favorite and disliked.
    """
    _lock_customer(customer)
    profile = ScentProfile.objects.filter(customer=customer).first() or ScentProfile(customer=customer)
    if name is not UNSET:
        profile.name = _text("name", name, max_length=100, required=False)
    if intensity is not UNSET:
        profile.intensity = _intensity("intensity", intensity, allow_blank=True)
    if categories is not UNSET:
        profile.categories = _choice_list("categories", categories, Family.values, "categories")
    if occasions is not UNSET:
        profile.occasions = _choice_list("occasions", occasions, Occasion.values, "occasions")

    current = {}
    if profile.pk:
        current = dict(ProfileNote.objects.filter(profile=profile).values_list("note_id", "kind"))
    favorites = (
        _notes_by_slug("favorite_notes", favorite_notes)
        if favorite_notes is not UNSET
        else list(
            Note.objects.filter(pk__in=[k for k, v in current.items() if v == ProfileNote.Kind.FAVORITE])
        )
    )
    disliked = (
        _notes_by_slug("disliked_notes", disliked_notes)
        if disliked_notes is not UNSET
        else list(
            Note.objects.filter(pk__in=[k for k, v in current.items() if v == ProfileNote.Kind.DISLIKED])
        )
    )
    both = sorted({n.slug for n in favorites} & {n.slug for n in disliked})
    if both:
        # Name the list the caller just sent (the disliked one when both were sent).
        field = "disliked_notes" if disliked_notes is not UNSET else "favorite_notes"
        raise ValidationFailed.on(field, f"A note cannot be both favorite and disliked: {', '.join(both)}.")

    profile.save()
    if favorite_notes is not UNSET or disliked_notes is not UNSET:
        wanted = {n.pk: ProfileNote.Kind.FAVORITE for n in favorites}
        wanted.update({n.pk: ProfileNote.Kind.DISLIKED for n in disliked})
        if wanted != current:
            ProfileNote.objects.filter(profile=profile).delete()
            ProfileNote.objects.bulk_create(
                [ProfileNote(profile=profile, note_id=note_id, kind=kind) for note_id, kind in wanted.items()]
            )
    return profile


def _components(components) -> list[tuple[Note, int]]:
    """Validated components: 1–8, known notes, no note twice, whole percentages 1–100 summing to 100."""
    field = "components"
    if not isinstance(components, list | tuple) or not components:
        raise ValidationFailed.on(field, "A blend needs at least one component.")
    if len(components) > MAX_BLEND_COMPONENTS:
        raise ValidationFailed.on(field, f"A blend has at most {MAX_BLEND_COMPONENTS} components.")
    slugs, percentages = [], []
    for item in components:
        if isinstance(item, ComponentInput):
            note, percentage = item.note, item.percentage
        elif isinstance(item, dict):
            note, percentage = item.get("note"), item.get("percentage")
        else:
            raise ValidationFailed.on(field, "Each component is an object with `note` and `percentage`.")
        if not isinstance(note, str) or not note:
            raise ValidationFailed.on(field, "Each component needs a note slug.")
        if isinstance(percentage, bool) or not isinstance(percentage, int) or not 1 <= percentage <= 100:
            raise ValidationFailed.on(field, "Each percentage is a whole number from 1 to 100.")
        slugs.append(note)
        percentages.append(percentage)
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise ValidationFailed.on(field, f"A note can appear only once: {', '.join(duplicates)}.")
    if sum(percentages) != 100:
        raise ValidationFailed.on(
            field, f"Percentages must sum to exactly 100 (they sum to {sum(percentages)})."
        )
    notes = _notes_by_slug(field, slugs)
    return list(zip(notes, percentages, strict=True))


def _write_components(blend: Blend, components: list[tuple[Note, int]]) -> None:
    BlendComponent.objects.filter(blend=blend).delete()
    BlendComponent.objects.bulk_create(
        [
            BlendComponent(blend=blend, note=note, percentage=percentage, position=position)
            for position, (note, percentage) in enumerate(components)
        ]
    )


def _base(value) -> str:
    if value not in BlendBase.values:
        raise ValidationFailed.on("base", f"Must be one of: {', '.join(BlendBase.values)}.")
    return value


@transaction.atomic
def blend_create(
    *,
    customer: Customer,
    name: str,
    base: str,
    components: Sequence[ComponentInput | dict],
    description: str = "",
    intensity: str = Intensity.MEDIUM,
) -> Blend:
    """Create a custom blend; a customer has at most 50 (409 beyond)."""
    blend = Blend(
        customer=customer,
        name=_text("name", name, max_length=100, required=True),
        description=_text("description", description, max_length=1000, required=False),
        intensity=_intensity("intensity", intensity, allow_blank=False),
        base=_base(base),
    )
    validated = _components(components)
    _lock_customer(customer)
    if Blend.objects.filter(customer=customer).count() >= MAX_BLENDS_PER_CUSTOMER:
        raise Conflict(
            f"A customer can keep at most {MAX_BLENDS_PER_CUSTOMER} blends; delete one first.",
            details={"blends": [f"At most {MAX_BLENDS_PER_CUSTOMER}."]},
        )
    blend.save()
    _write_components(blend, validated)
    return blend


@transaction.atomic
def blend_update(
    *,
    blend: Blend,
    name: Any = UNSET,
    description: Any = UNSET,
    intensity: Any = UNSET,
    base: Any = UNSET,
    components: Any = UNSET,
) -> Blend:
    """Partly update a blend; `components`, when given, replaces the whole list."""
    blend.refresh_from_db(from_queryset=Blend.objects.select_for_update())
    if name is not UNSET:
        blend.name = _text("name", name, max_length=100, required=True)
    if description is not UNSET:
        blend.description = _text("description", description, max_length=1000, required=False)
    if intensity is not UNSET:
        blend.intensity = _intensity("intensity", intensity, allow_blank=False)
    if base is not UNSET:
        blend.base = _base(base)
    validated = _components(components) if components is not UNSET else None
    blend.save()
    if validated is not None:
        _write_components(blend, validated)
    return blend


@transaction.atomic
def blend_delete(*, blend: Blend) -> None:
    """Delete a blend and its components."""
    Blend.objects.filter(pk=blend.pk).delete()


@transaction.atomic
def product_notes_set(*, product, notes: Iterable[Note]) -> None:
    """Make `notes` exactly the notes the product carries."""
    Product.objects.select_for_update().only("pk").get(pk=product.pk)
    wanted = {note.pk for note in notes}
    current = set(ProductNote.objects.filter(product=product).values_list("note_id", flat=True))
    ProductNote.objects.filter(product=product, note_id__in=current - wanted).delete()
    ProductNote.objects.bulk_create(
        [ProductNote(product=product, note_id=pk) for pk in sorted(wanted - current)]
    )


def product_notes_write(product, slugs) -> None:
    """The catalog's writer for `notes[]` on `POST/PATCH /api/products` (unknown slugs are 400)."""
    product_notes_set(product=product, notes=_notes_by_slug("notes", slugs))


def scent_data_erase(customer: Customer) -> None:
    """GDPR erasure step: delete the customer's scent profile and blends (personal data)."""
    Blend.objects.filter(customer=customer).delete()
    ScentProfile.objects.filter(customer=customer).delete()
