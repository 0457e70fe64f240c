from rest_framework import serializers

from pulsehr.api.serializers import RowSerializer, StrictSerializer
from pulsehr.timestamps import format_datetime

from ..catalogue import EVENT_TYPES
from ..choices import PING, DeliveryStatus
from ..models import Delivery, DeliveryAttempt
from ..representations import EVENT_FIELDS, event_as_dict

SUBSCRIBABLE_TYPES = ", ".join(f"`{name}`" for name in EVENT_TYPES if name != PING)


def _datetime_or_none(value):
    return format_datetime(value) if value is not None else None


ENDPOINT_ROW_FIELDS = (
    "id",
    "url",
    "description",
    "enabled_events",
    "disabled",
    "disabled_reason",
    "disabled_at",
    "previous_secret_expires_at",
    "version",
    "created_at",
    "updated_at",
)


def endpoint_as_dict(row: dict) -> dict:
    return {
        "id": row["id"],
        "url": row["url"],
        "description": row["description"],
        "enabled_events": row["enabled_events"],
        "disabled": row["disabled"],
        "disabled_reason": row["disabled_reason"],
        "disabled_at": _datetime_or_none(row["disabled_at"]),
        "previous_secret_expires_at": _datetime_or_none(row["previous_secret_expires_at"]),
        "version": row["version"],
        "created_at": format_datetime(row["created_at"]),
        "updated_at": format_datetime(row["updated_at"]),
    }


class WebhookEndpointSerializer(RowSerializer):
    row_fields = ENDPOINT_ROW_FIELDS

    id = serializers.CharField(help_text="`whe_` followed by a ULID.")
    url = serializers.URLField()
    description = serializers.CharField(allow_blank=True)
    enabled_events = serializers.ListField(
        child=serializers.CharField(), help_text='Event types the endpoint receives, or ["*"] for every type.'
    )
    disabled = serializers.BooleanField(help_text="A disabled endpoint receives nothing.")
    disabled_reason = serializers.CharField(
        allow_blank=True, help_text="Why it was disabled: by a user, a 410 answer, or days of failed deliveries."
    )
    disabled_at = serializers.DateTimeField(allow_null=True)
    previous_secret_expires_at = serializers.DateTimeField(
        allow_null=True, help_text="After a rotation, the old secret also signs until this time."
    )
    version = serializers.IntegerField(help_text="Increments on every change; send it back as If-Match.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @classmethod
    def represent(cls, row, context):
        return endpoint_as_dict(row)


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    """The endpoint as creation and rotation answer it: the only time the secret is shown."""

    secret = serializers.CharField(
        help_text="`whsec_` followed by the base64 of 32 random bytes. Shown only in this response."
    )

    @classmethod
    def represent(cls, row, context):
        return {**endpoint_as_dict(row), "secret": row["secret"]}


class WebhookEndpointCreateSerializer(StrictSerializer):
    url = serializers.CharField(
        max_length=2048, help_text="Where events are POSTed; https unless the server allows http."
    )
    enabled_events = serializers.ListField(
        child=serializers.CharField(max_length=64),
        max_length=100,
        help_text=f'Event types to receive: {SUBSCRIBABLE_TYPES}; or `["*"]` for every type, including ones '
        "added later.",
    )
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)


class WebhookEndpointUpdateSerializer(WebhookEndpointCreateSerializer):
    url = serializers.CharField(max_length=2048, required=False)
    enabled_events = serializers.ListField(child=serializers.CharField(max_length=64), max_length=100, required=False)
    disabled = serializers.BooleanField(
        required=False, help_text="true stops deliveries; false re-enables the endpoint."
    )


# --- Events and deliveries ---------------------------------------------------------------------


class EventSerializer(RowSerializer):
    """An event exactly as webhooks deliver it."""

    row_fields = EVENT_FIELDS

    id = serializers.CharField(help_text="`evt_` followed by a ULID.")
    type = serializers.ChoiceField(choices=list(EVENT_TYPES), help_text="The event type, from the catalogue.")
    created_at = serializers.DateTimeField()
    data = serializers.DictField(help_text="The resource as GET returns it, at the time of the event.")

    @classmethod
    def represent(cls, row, context):
        return event_as_dict(row)


def attempt_as_dict(attempt: DeliveryAttempt) -> dict:
    return {
        "number": attempt.number,
        "started_at": format_datetime(attempt.started_at),
        "duration_ms": attempt.duration_ms,
        "status_code": attempt.status_code,
        "response_body": attempt.response_body,
        "error": attempt.error,
        "succeeded": attempt.succeeded,
    }


def delivery_as_dict(delivery: Delivery) -> dict:
    """A delivery with its attempts (prefetch `attempts` and select `endpoint` for lists)."""
    return {
        "id": delivery.pk,
        "event_id": delivery.event_id,
        "endpoint_id": delivery.endpoint_id,
        "url": delivery.endpoint.url,
        "status": delivery.status,
        "attempt_count": delivery.attempt_count,
        "next_attempt_at": _datetime_or_none(delivery.next_attempt_at),
        "last_status_code": delivery.last_status_code,
        "failure_reason": delivery.failure_reason,
        "created_at": format_datetime(delivery.created_at),
        "completed_at": _datetime_or_none(delivery.completed_at),
        "attempts": [attempt_as_dict(attempt) for attempt in delivery.attempts.all()],
    }


class AttemptSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    duration_ms = serializers.IntegerField()
    status_code = serializers.IntegerField(allow_null=True, help_text="The HTTP status, or null when none came.")
    response_body = serializers.CharField(allow_blank=True, help_text="The first 2 KB of the response.")
    error = serializers.CharField(allow_blank=True, help_text="Why the attempt failed without a status (timeout, …).")
    succeeded = serializers.BooleanField()


class DeliverySerializer(serializers.Serializer):
    id = serializers.CharField(help_text="`del_` followed by a ULID; sent as X-Pulse-Delivery and webhook-id.")
    event_id = serializers.CharField()
    endpoint_id = serializers.CharField()
    url = serializers.URLField(help_text="The endpoint's URL now.")
    status = serializers.ChoiceField(choices=DeliveryStatus.choices)
    attempt_count = serializers.IntegerField()
    next_attempt_at = serializers.DateTimeField(allow_null=True, help_text="When the next attempt is due, if pending.")
    last_status_code = serializers.IntegerField(allow_null=True)
    failure_reason = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    attempts = AttemptSerializer(many=True)


class EventDetailSerializer(EventSerializer):
    deliveries = DeliverySerializer(many=True, help_text="Every delivery of the event, replays included.")


class DeliveryListSerializer(serializers.Serializer):
    data = DeliverySerializer(many=True)


class NoBodySerializer(StrictSerializer):
    """Actions that take no parameters: any key sent is a 400, not silently ignored."""


class EventReplaySerializer(StrictSerializer):
    endpoint_id = serializers.CharField(
        max_length=40, required=False, help_text="Replay to this endpoint only; by default to every subscriber."
    )
