from datetime import timedelta

import orjson
from rest_framework import serializers

_ZERO = timedelta(0)


def format_datetime(value) -> str:
    """ISO 8601, `Z` for UTC. orjson writes a UTC instant as datetime.isoformat() would, three
    times faster, and list pages format two per row; other offsets keep isoformat()'s exact
    form (orjson rounds an offset's seconds away)."""
    if value.utcoffset() == _ZERO:
        return orjson.dumps(value, option=orjson.OPT_UTC_Z)[1:-1].decode()
    return value.isoformat().replace("+00:00", "Z")


class RowSerializer(serializers.Serializer):
    """A read shape: its declared fields document the resource in OpenAPI, while rendering
    goes through `represent(row, context)`, a plain function of the row's column values.

    List pages fetch just `row_fields` with `.values()` and call `represent` on each dict,
    skipping model instances and DRF's per-field machinery; a single object passes its
    `__dict__`, so both paths share one representation."""

    row_fields: tuple[str, ...] = ()

    @classmethod
    def represent(cls, row: dict, context: dict) -> dict:
        raise NotImplementedError

    def to_representation(self, instance):
        return self.represent(instance if isinstance(instance, dict) else vars(instance), self.context)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer and nothing else: DRF's IntegerField would take "10", 2.0 and true."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StringsOnlyMixin:
    """A JSON string and nothing else: DRF's CharField would turn 7 into "7"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(StringsOnlyMixin, serializers.CharField):
    pass


class StrictRegexField(StringsOnlyMixin, serializers.RegexField):
    pass


class StrictSerializer(serializers.Serializer):
    """Input serializer that rejects keys it does not know, so a typo is a 400, not a no-op."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - {name for name, field in self.fields.items() if not field.read_only})
            if unknown:
                raise serializers.ValidationError({name: ["Unknown or read-only field."] for name in unknown})
        return super().to_internal_value(data)


MAX_JSON_DEPTH = 32
INT64 = 2**63


def _json_problem(value, depth: int = 0) -> str | None:
    """Why a free-form JSON value cannot be stored and echoed back faithfully, or None."""
    if depth > MAX_JSON_DEPTH:
        return f"Nested deeper than {MAX_JSON_DEPTH} levels."
    if isinstance(value, str):
        return "NUL characters are not allowed." if "\x00" in value else None
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return None
    if isinstance(value, int):
        return None if -INT64 <= value < INT64 else "Integers must fit in 64 bits."
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        problem = (_json_problem(key) if isinstance(key, str) else None) or _json_problem(item, depth + 1)
        if problem:
            return problem
    return None


class JSONObjectField(serializers.DictField):
    """A free-form JSON object that every database and the renderer can round-trip: bounded
    in keys and depth, 64-bit integers, no NUL characters (PostgreSQL's jsonb refuses them)."""

    def __init__(self, *, max_keys: int = 100, **kwargs):
        self.max_keys = max_keys
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if len(value) > self.max_keys:
            raise serializers.ValidationError(f"At most {self.max_keys} keys.")
        problem = _json_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[
            "invalid_request",
            "unauthenticated",
            "permission_denied",
            "not_found",
            "method_not_allowed",
            "conflict",
            "unsupported_media_type",
            "unprocessable_entity",
            "rate_limited",
            "internal_error",
        ],
        help_text="Stable machine-readable error code.",
    )
    message = serializers.CharField(help_text="What went wrong, for humans.")
    fields = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="The request fields at fault (dotted for nested keys)."
    )
    request_id = serializers.CharField(help_text="The X-Request-Id of the failed request.")


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class StrictBooleanField(serializers.BooleanField):
    """A JSON boolean and nothing else: DRF's BooleanField would take "yes", 1 and "true"."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data
