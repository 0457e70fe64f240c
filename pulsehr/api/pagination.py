"""Keyset pagination over prefixed ULIDs.

Ids sort by creation time, so `WHERE id > :last ORDER BY id` walks a list in order, costs
the same on page 1 and page 20,000, and never skips or repeats a row when rows are inserted
between pages (new rows sort after every cursor already handed out)."""

import base64
import binascii
import re

from django.conf import settings
from rest_framework import serializers
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from .counting import count_rows

DEFAULT_LIMIT = 50
PAGE_PARAMS = frozenset({"limit", "cursor"})
MAX_LIMIT = 200
INVALID_CURSOR = "Invalid cursor: pass next_cursor from a previous page of this list."
_ID_PATTERN = re.compile(r"^[a-z]{2,4}_[0-9A-HJKMNP-TV-Z]{26}$")


def encode_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(f"v1:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    version, _, last_id = raw.partition(":")
    if version != "v1" or not _ID_PATTERN.match(last_id):
        raise serializers.ValidationError({"cursor": [INVALID_CURSOR]})
    return last_id


def parse_limit(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise serializers.ValidationError({"limit": [f"limit must be an integer from 1 to {MAX_LIMIT}."]})
    return limit


def _row_id(row) -> str:
    return row["id"] if isinstance(row, dict) else row.pk


class CursorPagination(BasePagination):
    def paginate_queryset(self, queryset, request, view=None):
        limit = parse_limit(request.query_params.get("limit"))
        cursor = request.query_params.get("cursor")
        after = decode_cursor(cursor) if cursor is not None else None
        # A cursor names a row of the list it came from: another list's is refused, not read.
        prefix = getattr(queryset.model._meta.pk, "prefix", None)
        if after is not None and prefix and not after.startswith(f"{prefix}_"):
            raise serializers.ValidationError({"cursor": [INVALID_CURSOR]})
        # What the result set depends on: the view, the tenant and the filters (not the page).
        filters = sorted((name, values) for name, values in request.query_params.lists() if name not in PAGE_PARAMS)
        key = request.auth
        scope = f"{request.path}|{getattr(key, 'workspace_id', '')}|{getattr(key, 'environment', '')}|{filters!r}"
        self.total_count = count_rows(queryset, scope)
        page_queryset = queryset.order_by("pk")
        if after is not None:
            page_queryset = page_queryset.filter(pk__gt=after)
        rows = list(page_queryset[: limit + 1])
        self.next_cursor = encode_cursor(_row_id(rows[limit - 1])) if len(rows) > limit else None
        return rows[:limit]

    def get_paginated_response(self, data):
        return Response({"data": data, "next_cursor": self.next_cursor, "total_count": self.total_count})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["data", "next_cursor", "total_count"],
            "properties": {
                "data": {**schema, "description": "This page's items, oldest first (in id order)."},
                "next_cursor": {
                    "type": ["string", "null"],
                    "description": "Pass as `cursor` for the next page; null on the last page.",
                },
                "total_count": {
                    "type": "integer",
                    "description": f"Rows matching the filters. Exact up to {settings.PULSEHR_EXACT_COUNT_LIMIT:,}; "
                    f"larger counts may be up to {settings.PULSEHR_COUNT_CACHE_SECONDS} s old.",
                },
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": f"Page size, 1–{MAX_LIMIT} (default {DEFAULT_LIMIT}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
            },
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": "The next_cursor of the previous page.",
                "schema": {"type": "string"},
            },
        ]
