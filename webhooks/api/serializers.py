from rest_framework import serializers

from pulsehr.api.serializers import RowSerializer, StrictSerializer
from pulsehr.timestamps import format_datetime

from ..catalogue import EVENT_TYPES
from ..choices import PING, DeliveryStatus
from ..models import Delivery, DeliveryAttempt
from ..representations import EVENT_FIELDS, event_as_dict

SUBSCRIBABLE_TYPES = ", ".join(f"`{name}`" for name in EVENT_TYPES if name != PING)
DESCRIPTION_HELP = "Your own note about the endpoint, up to 500 characters; surrounding whitespace is trimmed."
URL_HELP = (
    "Where events are POSTed: an absolute URL of up to 2,048 characters, without credentials; https unless the "
    "server allows http, and never a private or loopback address unless the server allows those."
)
ENABLED_EVENTS_HELP = (
    f'Event types to receive: {SUBSCRIBABLE_TYPES}; or `["*"]` for every type, including ones added later.'
)


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
    """A URL that receives the events it subscribes to, each signed with the endpoint's secret. The
    secret is shown only when the endpoint is created and when it is rotated."""

    row_fields = ENDPOINT_ROW_FIELDS

    id = serializers.CharField(help_text="`whe_` followed by a ULID.")
    url = serializers.URLField(help_text="Where events are POSTed.")
    description = serializers.CharField(
        allow_blank=True, help_text="Your own note about the endpoint; empty when none."
    )
    enabled_events = serializers.ListField(
        child=serializers.CharField(),
        help_text='Event types the endpoint receives, or `["*"]` for every type, including ones added later.',
    )
    disabled = serializers.BooleanField(
        help_text="Whether the endpoint is disabled: a disabled endpoint receives nothing."
    )
    disabled_reason = serializers.CharField(
        allow_blank=True,
        help_text="Why it was disabled: by a user, after a 410 Gone answer, or after days of failed deliveries "
        "(5 by default). Empty while enabled.",
    )
    disabled_at = serializers.DateTimeField(
        allow_null=True, help_text="When it was disabled, ISO 8601 in UTC; null while enabled."
    )
    previous_secret_expires_at = serializers.DateTimeField(
        allow_null=True,
        help_text="After a rotation, the previous secret also signs until this time (24 hours after the rotation), "
        "ISO 8601 in UTC; null until the first rotation.",
    )
    version = serializers.IntegerField(help_text="Increments on every change; send it back as If-Match.")
    created_at = serializers.DateTimeField(help_text="When the endpoint was created, ISO 8601 in UTC.")
    updated_at = serializers.DateTimeField(help_text="When the endpoint last changed, ISO 8601 in UTC.")

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
    """A new webhook endpoint. Unknown keys are refused with 400."""

    url = serializers.CharField(max_length=2048, help_text=URL_HELP)
    enabled_events = serializers.ListField(
        child=serializers.CharField(max_length=64), max_length=100, help_text=ENABLED_EVENTS_HELP
    )
    description = serializers.CharField(max_length=500, required=False, allow_blank=True, help_text=DESCRIPTION_HELP)


class WebhookEndpointUpdateSerializer(WebhookEndpointCreateSerializer):
    """The fields to change; those left out keep their values. Unknown keys are refused with 400."""

    url = serializers.CharField(max_length=2048, required=False, help_text=URL_HELP)
    enabled_events = serializers.ListField(
        child=serializers.CharField(max_length=64),
        max_length=100,
        required=False,
        help_text=ENABLED_EVENTS_HELP + " Replaces the list whole.",
    )
    disabled = serializers.BooleanField(
        required=False,
        help_text="true stops deliveries (pending ones fail); false re-enables the endpoint and clears "
        "disabled_reason.",
    )


# --- Events and deliveries ---------------------------------------------------------------------


class EventSerializer(RowSerializer):
    """An event exactly as webhooks deliver it."""

    row_fields = EVENT_FIELDS

    id = serializers.CharField(
        help_text="`evt_` followed by a ULID; the same in every delivery of the event, replays included."
    )
    type = serializers.ChoiceField(
        choices=list(EVENT_TYPES),
        help_text="The event type, e.g. `employee.created`: one of the types an endpoint can subscribe to, or "
        "`ping` for a test event.",
    )
    created_at = serializers.DateTimeField(help_text="When the change happened, ISO 8601 in UTC.")
    data = serializers.DictField(
        help_text="The resource as GET returns it, at the time of the event (as it was, for a deletion); for "
        "`ping`, the endpoint's id and a message."
    )

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
    """One send of a delivery to its endpoint, kept whatever its outcome."""

    number = serializers.IntegerField(help_text="1 for the first attempt, then 2, 3, …")
    started_at = serializers.DateTimeField(help_text="When the attempt started, ISO 8601 in UTC.")
    duration_ms = serializers.IntegerField(
        help_text="How long the attempt took, in milliseconds, up to the response or the failure."
    )
    status_code = serializers.IntegerField(allow_null=True, help_text="The HTTP status, or null when none came.")
    response_body = serializers.CharField(allow_blank=True, help_text="The first 2 KB of the response.")
    error = serializers.CharField(
        allow_blank=True,
        help_text="Why the attempt failed where the status does not say (no response, a timeout, a refused "
        "address); empty otherwise.",
    )
    succeeded = serializers.BooleanField(
        help_text="Whether the endpoint answered with a 2xx status in time (10 seconds by default)."
    )


class DeliverySerializer(serializers.Serializer):
    """One event on its way to one endpoint: its status and every attempt so far. Failed attempts are
    retried with growing waits for up to 72 hours (by default)."""

    id = serializers.CharField(help_text="`del_` followed by a ULID; sent as X-Pulse-Delivery and webhook-id.")
    event_id = serializers.CharField(help_text="The event delivered (an `evt_` id).")
    endpoint_id = serializers.CharField(help_text="The endpoint it is delivered to (a `whe_` id).")
    url = serializers.URLField(help_text="The endpoint's URL now.")
    status = serializers.ChoiceField(
        choices=DeliveryStatus.choices,
        help_text="`pending` while attempts are due; `succeeded` once one is answered with a 2xx status; `failed` "
        "when retries ran out, or the endpoint was disabled or answered 410 Gone.",
    )
    attempt_count = serializers.IntegerField(help_text="Attempts made so far.")
    next_attempt_at = serializers.DateTimeField(
        allow_null=True, help_text="When the next attempt is due, ISO 8601 in UTC; null once the delivery is over."
    )
    last_status_code = serializers.IntegerField(
        allow_null=True,
        help_text="The HTTP status of the latest attempt; null before the first, or when it got no response.",
    )
    failure_reason = serializers.CharField(
        allow_blank=True, help_text="Why the delivery failed for good; empty unless status is `failed`."
    )
    created_at = serializers.DateTimeField(help_text="When the delivery was queued, ISO 8601 in UTC.")
    completed_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the delivery succeeded or failed for good, ISO 8601 in UTC; null while pending.",
    )
    attempts = AttemptSerializer(many=True, help_text="Every attempt so far, oldest first.")


class EventDetailSerializer(EventSerializer):
    """An event with every delivery of it to webhook endpoints, and each delivery's attempts."""

    deliveries = DeliverySerializer(many=True, help_text="Every delivery of the event, replays included.")


class DeliveryListSerializer(serializers.Serializer):
    """The deliveries a replay created."""

    data = DeliverySerializer(many=True, help_text="One new delivery per endpoint the event is replayed to.")


class NoBodySerializer(StrictSerializer):
    """Actions that take no parameters: any key sent is a 400, not silently ignored."""


class EventReplaySerializer(StrictSerializer):
    """Where to replay an event; an empty body replays it to every subscriber. Unknown keys are refused
    with 400."""

    endpoint_id = serializers.CharField(
        max_length=40,
        required=False,
        help_text="Replay to this endpoint only (a `whe_` id), whatever it subscribes to; by default to every "
        "enabled endpoint that subscribes to the event's type.",
    )
