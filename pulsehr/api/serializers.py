from rest_framework import serializers

from pulsehr.jsonvalues import MAX_KEYS, json_value_problem


def format_datetime(value) -> str:
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


class JSONObjectField(serializers.DictField):
    """A free-form JSON object under PulseHR's JSON-value policy (pulsehr/jsonvalues.py): what
    every database, the renderer and JavaScript clients read back unchanged."""

    def __init__(self, *, max_keys: int = MAX_KEYS, **kwargs):
        self.max_keys = max_keys
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if len(value) > self.max_keys:
            raise serializers.ValidationError(f"At most {self.max_keys} keys.")
        problem = json_value_problem(value)
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
            "payload_too_large",
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
