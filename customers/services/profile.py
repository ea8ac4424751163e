"""Profile writes: personal fields and preferences, notification preferences, the profile image.

Every change is saved under a row lock and recorded in the customer's audit history
(django-simple-history) with the person who made it (`by`), whichever door it came through:
the API, the account pages or the admin.
"""

from __future__ import annotations

import io
import secrets
import struct
import warnings
from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from phonenumber_field.phonenumber import PhoneNumber, to_python
from PIL import Image, ImageOps, UnidentifiedImageError

from config.errors import Conflict, PayloadTooLarge, ValidationFailed
from customers.models import Customer, User
from customers.selectors.notifications import CATEGORIES, CHANNELS, PREFERENCE_FIELDS
from customers.services.events import customer_updated_record

PROFILE_FIELDS = ("first_name", "last_name", "salutation", "phone_number", "date_of_birth")
PREFERENCE_KEYS = ("email_marketing", "sms_marketing", "preferred_currency", "reminder_frequency")


def _lock(customer: Customer) -> Customer:
    """The customer's row, locked; an erasure that committed while we waited wins (409)."""
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    if locked.erased_at is not None:
        raise Conflict("This account has been erased.")
    return locked


def _save_audited(customer: Customer, *, fields: list[str], by: User | None) -> None:
    """Save the changed columns; the history row records `by` (JWT requests have no session user)."""
    if isinstance(by, User) and by.pk is not None:
        customer._history_user = by
    customer.save(update_fields=[*fields, "updated_at"])


def phone_normalize(*, value: str | None, field: str = "phone_number") -> str:
    """A phone number in E.164 (`+442071838750`), or "" for none; 400 naming `field` when invalid."""
    raw = (value or "").strip()
    if not raw:
        return ""
    number = to_python(raw)
    if not isinstance(number, PhoneNumber) or not number.is_valid():
        raise ValidationFailed.on(
            field, "Enter a valid phone number in international format, e.g. +44 20 7183 8750."
        )
    return number.as_e164


def _name(value: Any, field: str) -> str:
    text = str(value or "").strip()
    if len(text) > 150:
        raise ValidationFailed.on(field, "At most 150 characters.")
    if any(ord(char) < 32 or char in "<>" for char in text):
        raise ValidationFailed.on(field, "Names cannot contain control characters or angle brackets.")
    return text


def _date_of_birth(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, date):
        raise ValidationFailed.on("date_of_birth", "Enter a date as YYYY-MM-DD.")
    if value >= timezone.localdate():
        raise ValidationFailed.on("date_of_birth", "The date of birth must be in the past.")
    if value.year < 1900:
        raise ValidationFailed.on("date_of_birth", "Enter a date of birth after 1900.")
    return value


def _preference_errors(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"preferences.{field}: {message}", details={"preferences": {field: [message]}})


def _clean_preferences(preferences: dict) -> dict:
    cleaned = {}
    for key in PREFERENCE_KEYS:
        if key not in preferences:
            continue
        value = preferences[key]
        if key in ("email_marketing", "sms_marketing"):
            if not isinstance(value, bool):
                raise _preference_errors(key, "Must be true or false.")
        elif key == "preferred_currency":
            value = str(value or "").strip().upper()
            if value not in settings.SUPPORTED_CURRENCIES:
                raise _preference_errors(key, f"Choose one of {', '.join(settings.SUPPORTED_CURRENCIES)}.")
        elif key == "reminder_frequency" and value not in Customer.ReminderFrequency.values:
            raise _preference_errors(key, f"Choose one of {', '.join(Customer.ReminderFrequency.values)}.")
        cleaned[key] = value
    return cleaned


@transaction.atomic
def customer_profile_update(*, customer: Customer, data: dict, by: User | None) -> Customer:
    """Partial update of the profile's writable fields and its nested `preferences`.

    Keys not given keep their value, unknown keys are ignored. A phone number is stored in
    E.164 and unverified unless it is the number already stored. Email changes go through the
    OTP flow, never here.
    """
    changes: dict[str, Any] = {}
    for field in ("first_name", "last_name"):
        if field in data:
            changes[field] = _name(data[field], field)
    if "salutation" in data:
        salutation = data["salutation"] or ""
        if salutation and salutation not in Customer.Salutation.values:
            raise ValidationFailed.on("salutation", f"Choose one of {', '.join(Customer.Salutation.values)}.")
        changes["salutation"] = salutation
    if "phone_number" in data:
        changes["phone_number"] = phone_normalize(value=data["phone_number"])
    if "date_of_birth" in data:
        changes["date_of_birth"] = _date_of_birth(data["date_of_birth"])
    preferences = data.get("preferences")
    if preferences is not None:
        if not isinstance(preferences, dict):
            raise ValidationFailed.on("preferences", "Must be an object.")
        changes.update(_clean_preferences(preferences))

    locked = _lock(customer)
    changed = []
    for field, value in changes.items():
        current = getattr(locked, field)
        if field == "phone_number":
            current = current.as_e164 if current else ""
        if current != value:
            setattr(locked, field, value)
            changed.append(field)
    if "phone_number" in changed and locked.phone_verified:
        locked.phone_verified = False
        changed.append("phone_verified")
    if changed:
        _save_audited(locked, fields=changed, by=by)
        customer_updated_record(customer=locked, changed=changed)
    return locked


@transaction.atomic
def notification_preferences_update(*, customer: Customer, preferences: dict, by: User | None) -> Customer:
    """Set notification preferences per category and channel; keys not given keep their value."""
    if not isinstance(preferences, dict):
        raise ValidationFailed("Send an object of categories.")
    values: dict[str, bool] = {}
    for category in CATEGORIES:
        channels = preferences.get(category)
        if channels is None:
            continue
        if not isinstance(channels, dict):
            raise ValidationFailed.on(category, "Must be an object of channels.")
        for channel in CHANNELS:
            if channel not in channels:
                continue
            if not isinstance(channels[channel], bool):
                raise ValidationFailed(
                    f"{category}.{channel}: Must be true or false.",
                    details={category: {channel: ["Must be true or false."]}},
                )
            values[PREFERENCE_FIELDS[category, channel]] = channels[channel]
    locked = _lock(customer)
    changed = [field for field, value in values.items() if getattr(locked, field) != value]
    for field in changed:
        setattr(locked, field, values[field])
    if changed:
        _save_audited(locked, fields=changed, by=by)
    return locked


# --- Profile image -----------------------------------------------------------------------------

ALLOWED_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
# Markup or script inside an "image" makes it a polyglot that a browser or another tool could
# read as HTML/JS/PHP. Real photos never carry these byte strings.
_MARKUP_SIGNATURES = (
    b"<script",
    b"<html",
    b"<!doctype",
    b"<svg",
    b"<iframe",
    b"<body",
    b"<?php",
    b"<%@",
    b"javascript:",
)


def _trailing_bytes(data: bytes, image_format: str) -> int:
    """Bytes after the end of a PNG (IEND chunk) or WebP (RIFF size); polyglots hide there."""
    if image_format == "PNG":
        position = 8
        while position + 8 <= len(data):
            length, chunk_type = struct.unpack(">I4s", data[position : position + 8])
            position += 12 + length
            if chunk_type == b"IEND":
                return max(0, len(data) - position)
        return 0
    if image_format == "WEBP" and len(data) >= 8:
        riff_size = struct.unpack("<I", data[4:8])[0]
        return max(0, len(data) - (8 + riff_size + (riff_size & 1)))
    # JPEG may legitimately carry more pictures after the first one (MPF, from phones).
    return 0


def profile_image_process(*, data: bytes) -> bytes:
    """Decode an upload as JPEG/PNG/WebP, refuse bombs and polyglots, return a clean WebP.

    The format is judged by decoding the content (never the name or the declared type); the
    pixel count is checked from the header before any pixel is decoded; the image is turned
    upright (EXIF orientation), scaled to at most PROFILE_IMAGE_MAX_SIDE, and re-encoded from raw
    pixels, so no metadata (EXIF, GPS, ICC, XMP, comments) survives.
    """
    if len(data) > settings.API_MAX_UPLOAD_BYTES:
        raise PayloadTooLarge(
            f"The image is larger than {settings.API_MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
            details={"image": ["File too large."]},
        )
    lowered = data.lower()
    if any(signature in lowered for signature in _MARKUP_SIGNATURES):
        raise ValidationFailed.on("image", "The file holds markup or script besides an image.")
    not_an_image = ValidationFailed.on("image", "Upload a JPEG, PNG or WebP image.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(ALLOWED_IMAGE_FORMATS))
            width, height = image.size
            if width * height > settings.PROFILE_IMAGE_MAX_PIXELS:
                raise ValidationFailed.on("image", f"The image has too many pixels ({width}x{height}).")
            if _trailing_bytes(data, image.format) > 0:
                raise ValidationFailed.on("image", "The file has data after the end of the image.")
            image.seek(0)
            image.load()
            image = ImageOps.exif_transpose(image)
            mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
            image = image.convert(mode)
            side = settings.PROFILE_IMAGE_MAX_SIDE
            image.thumbnail((side, side), Image.Resampling.LANCZOS)
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationFailed.on("image", "The image has too many pixels.")
    except UnidentifiedImageError:
        raise not_an_image
    except (OSError, SyntaxError, ValueError, EOFError, struct.error):
        raise ValidationFailed.on("image", "The image is damaged or truncated.")
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=85, method=4)
    return out.getvalue()


def stored_file_delete(storage, name: str) -> None:
    """Delete a stored file (run after commit, so a rolled-back change keeps its file)."""
    if name:
        storage.delete(name)


def profile_image_set(*, customer: Customer, upload, by: User | None) -> Customer:
    """Replace the profile picture with a cleaned copy of `upload`; the old file goes after commit."""
    size = getattr(upload, "size", None)
    if size is not None and size > settings.API_MAX_UPLOAD_BYTES:
        raise PayloadTooLarge(
            f"The image is larger than {settings.API_MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
            details={"image": ["File too large."]},
        )
    upload.seek(0)
    content = profile_image_process(data=upload.read(settings.API_MAX_UPLOAD_BYTES + 1))
    new_name = ""
    storage = Customer._meta.get_field("profile_image").storage
    try:
        with transaction.atomic():
            locked = _lock(customer)
            old_name = locked.profile_image.name or ""
            locked.profile_image.save(f"{secrets.token_urlsafe(18)}.webp", ContentFile(content), save=False)
            new_name = locked.profile_image.name
            _save_audited(locked, fields=["profile_image"], by=by)
            if old_name:
                transaction.on_commit(partial(stored_file_delete, storage, old_name))
    except BaseException:
        if new_name:
            storage.delete(new_name)
        raise
    return locked


@transaction.atomic
def profile_image_delete(*, customer: Customer, by: User | None) -> Customer:
    """Remove the profile picture; its file is deleted after commit."""
    locked = _lock(customer)
    old_name = locked.profile_image.name or ""
    if not old_name:
        return locked
    storage = locked.profile_image.storage
    locked.profile_image = ""
    _save_audited(locked, fields=["profile_image"], by=by)
    transaction.on_commit(partial(stored_file_delete, storage, old_name))
    return locked
