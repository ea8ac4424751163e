"""The bulk routes' shared machinery: the envelope, the per-item loop and its results.

A bulk body is `{"items": [...], "atomic": false}` with at most `MAX_ITEMS` items (413 past it).
Each item goes through the same function as its single route (serializer, then service); the
loop only decides what each outcome looks like in `results[]`:

- non-atomic: every item runs in its own transaction (a savepoint when the caller holds one), so
  a failing item leaves nothing behind (rows, events, queued emails) and the others commit;
- atomic: one transaction around all items. Every item is still tried (each in a savepoint, so
  later items see what earlier ones would have written, e.g. stock and credit), then, when any
  failed, everything is rolled back and the answer is 400 `validation_error` whose
  `details.results` lists every item: the failures with their `error`, the items that would have
  succeeded as `valid` (with no `number`/`id`: nothing was written), and `existing` ones as such.

An item's error is rendered by `config.api.errors.error_parts`, the API's own mapping, so it has
the code, message and details the single route would have answered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions as drf
from rest_framework import serializers

from config.api.errors import error_parts
from config.errors import DomainError, PayloadTooLarge, ValidationFailed

MAX_ITEMS = 500
ITEM_ERRORS = (DomainError, drf.ValidationError, DjangoValidationError, Http404)

# The per-item statuses: ingest (orders, shipments) and create-or-update (customers).
INGEST_STATUSES = ["created", "existing", "error", "valid"]
UPSERT_STATUSES = ["created", "updated", "error", "valid"]

# Statuses of an item that wrote something; in a failed atomic request they read `valid`.
WRITTEN = ("created", "updated")

BULK_DESCRIPTION = (
    "Up to 500 items (413 past that), answered 200 with `results[]` in request order. "
    "Non-atomic (default): each item commits or fails on its own; a failing item writes nothing "
    "and carries `error` in the contract's error shape. `atomic: true`: all or nothing. Every "
    "item is still checked (in order, each seeing what the earlier ones would write); when any "
    "fails nothing is written and the answer is 400 `validation_error` with the per-item "
    "results in `error.details.results`, where the items that would have succeeded have the "
    "status `valid` (no id or number: nothing was written)."
)


class _Rollback(Exception):
    pass


def lookup_keys(values) -> set[str]:
    """The strings of `values` that can be looked up in the database up front: items are not
    validated yet, and PostgreSQL refuses a NUL character in a text parameter (a 500). An item whose
    key is left out is still validated by its serializer, which refuses the NUL (400 for that item)."""
    return {v for v in values if isinstance(v, str) and "\x00" not in v}


def bulk_items(data) -> tuple[list[dict], bool]:
    """The envelope's `items` and `atomic`, checked: 413 past MAX_ITEMS, 400 for a bad shape."""
    if not isinstance(data, dict):
        raise ValidationFailed.on("non_field_errors", 'Send {"items": [...], "atomic": false}.')
    items = data.get("items")
    if not isinstance(items, list):
        raise ValidationFailed.on("items", "A list of objects is required.")
    if len(items) > MAX_ITEMS:
        raise PayloadTooLarge(f"At most {MAX_ITEMS} items per request; this one has {len(items)}.")
    if not items:
        raise ValidationFailed.on("items", "At least one item is required.")
    atomic = data.get("atomic", False)
    if not isinstance(atomic, bool):
        raise ValidationFailed.on("atomic", "Must be true or false.")
    return items, atomic


def item_error(exc: Exception) -> dict:
    status, code, message, details, _ = error_parts(exc)
    return {"code": code, "message": message, "details": details}


def bulk_run(
    items: list,
    process: Callable[[int, Any], dict],
    *,
    atomic: bool,
    key: Callable[[Any], dict],
) -> list[dict]:
    """Run `process(index, item)` for each item; it answers the item's `status` and ids, or raises.

    `key(item)` gives the fields that name the item in its result (`external_id`, `email`, ...).
    Answers the results; in atomic mode raises the 400 when any item failed.
    """
    results: list[dict] = []

    def one(index: int, item) -> bool:
        head = {"index": index, **key(item)}
        try:
            if not isinstance(item, dict):
                raise ValidationFailed.on("non_field_errors", "Each item must be an object.")
            with transaction.atomic():
                outcome = process(index, item)
        except ITEM_ERRORS as exc:
            results.append({**head, "status": "error", "error": item_error(exc)})
            return False
        results.append({**head, **outcome})
        return True

    if not atomic:
        for index, item in enumerate(items):
            one(index, item)
        return results

    failed = False
    try:
        with transaction.atomic():
            for index, item in enumerate(items):
                failed = not one(index, item) or failed
            if failed:
                raise _Rollback
    except _Rollback:
        pass
    if failed:
        for result in results:
            if result["status"] in WRITTEN:
                result["status"] = "valid"
                for field in ("number", "id", "shipment_id"):
                    if field in result:
                        result[field] = None
        errors = sum(1 for r in results if r["status"] == "error")
        raise ValidationFailed(
            f"{errors} of {len(items)} items are invalid; nothing was written.",
            details={"results": results},
        )
    return results


class BulkItemErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.DictField()


def bulk_request_serializer(name: str, item_serializer) -> serializers.Serializer:
    """The documented request body: `items` of the single route's shape, and `atomic`."""
    return inline_serializer(
        f"{name}BulkRequest",
        {
            "items": serializers.ListField(child=item_serializer, min_length=1, max_length=MAX_ITEMS),
            "atomic": serializers.BooleanField(default=False),
        },
    )


def bulk_response_serializer(name: str, fields: dict, statuses: list[str]) -> serializers.Serializer:
    """The documented answer: `{"results": [...]}` (an item has its ids or its `error`)."""
    result = inline_serializer(
        f"{name}BulkResult",
        {
            "index": serializers.IntegerField(),
            **fields,
            "status": serializers.ChoiceField(choices=statuses),
            "error": BulkItemErrorSerializer(required=False),
        },
        many=True,
    )
    return inline_serializer(f"{name}BulkResponse", {"results": result})
