"""The contract's `page`/`limit` pagination and its envelope."""

import math

from django.core.paginator import InvalidPage
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response


def _single(request, name: str):
    """The parameter's one value; given twice it is 400 (reading the last one silently ignored a
    garbage first value)."""
    params = request.query_params
    values = params.getlist(name) if hasattr(params, "getlist") else [params[name]] if name in params else []
    if len(values) > 1:
        raise ValidationError({name: ["Give this parameter once."]})
    return values[0] if values else None


def _positive_int(raw, name: str, default: int) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({name: ["A whole number is required."]})
    if value < 1:
        raise ValidationError({name: ["Must be 1 or more."]})
    return value


class PagePagination(BasePagination):
    """`?page=1&limit=20`; a larger limit is clamped, a page past the end is empty.

    Views set `default_limit` / `max_limit` (class attributes on the view) to change 20 / 100.
    """

    default_limit = 20
    max_limit = 100

    def _limits(self, view) -> tuple[int, int]:
        return (
            getattr(view, "default_limit", self.default_limit),
            getattr(view, "max_limit", self.max_limit),
        )

    def paginate_queryset(self, queryset, request, view=None):
        default_limit, max_limit = self._limits(view)
        self.page = _positive_int(_single(request, "page"), "page", 1)
        self.limit = min(_positive_int(_single(request, "limit"), "limit", default_limit), max_limit)
        self.total = (
            queryset.count()
            if hasattr(queryset, "count") and not isinstance(queryset, list)
            else len(queryset)
        )
        offset = (self.page - 1) * self.limit
        if offset >= self.total:
            return []
        try:
            return list(queryset[offset : offset + self.limit])
        except InvalidPage:
            return []

    def envelope(self) -> dict:
        pages = math.ceil(self.total / self.limit) if self.total else 0
        return {
            "page": self.page,
            "limit": self.limit,
            "total": self.total,
            "pages": pages,
            "has_more": self.page < pages,
        }

    def get_paginated_response(self, data):
        return Response({"data": data, "pagination": self.envelope()})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["data", "pagination"],
            "properties": {
                "data": schema,
                "pagination": {
                    "type": "object",
                    "required": ["page", "limit", "total", "pages", "has_more"],
                    "properties": {
                        "page": {"type": "integer", "example": 1},
                        "limit": {"type": "integer", "example": 20},
                        "total": {"type": "integer", "example": 150},
                        "pages": {"type": "integer", "example": 8},
                        "has_more": {"type": "boolean", "example": True},
                    },
                },
            },
        }

    def get_schema_operation_parameters(self, view):
        default_limit, max_limit = self._limits(view)
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "Page number, 1-based. A page past the end answers an empty `data`.",
                "schema": {"type": "integer", "minimum": 1, "default": 1},
            },
            {
                "name": "limit",
                "required": False,
                "in": "query",
                "description": f"Items per page (default {default_limit}, at most {max_limit}; "
                "a larger value is clamped to the maximum).",
                "schema": {"type": "integer", "minimum": 1, "default": default_limit},
            },
        ]
