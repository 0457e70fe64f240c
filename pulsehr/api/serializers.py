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
