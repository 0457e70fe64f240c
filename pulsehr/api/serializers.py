from rest_framework import serializers


def format_datetime(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


class StrictSerializer(serializers.Serializer):
    """Input serializer that rejects keys it does not know, so a typo is a 400, not a no-op."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - {name for name, field in self.fields.items() if not field.read_only})
            if unknown:
                raise serializers.ValidationError({name: ["Unknown or read-only field."] for name in unknown})
        return super().to_internal_value(data)


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


class JSONObjectField(serializers.DictField):
    """A free-form JSON object, bounded in keys and free of NUL characters (which PostgreSQL's
    jsonb refuses)."""

    def __init__(self, *, max_keys: int = 100, **kwargs):
        self.max_keys = max_keys
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if len(value) > self.max_keys:
            raise serializers.ValidationError(f"At most {self.max_keys} keys.")
        if _contains_nul(value):
            raise serializers.ValidationError("NUL characters are not allowed.")
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
