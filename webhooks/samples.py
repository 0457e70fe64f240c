"""Sample events for /ecosystem. Each catalogue type's `data` is built in memory by the
function its catalogue entry names (with the serializer the API and the real event use) and
wrapped in the envelope an endpoint receives. Nothing is read from or written to the database."""

from datetime import UTC, datetime

from django.utils.module_loading import import_string

from pulsehr.timestamps import format_datetime

from .api.serializers import endpoint_as_dict
from .catalogue import EVENT_TYPES
from .representations import event_as_dict
from .services import ping_data

# Fixed values, so the documentation reads the same on every visit.
SAMPLE_TIME = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
SAMPLE_EVENT_ID = "evt_01JP9ZTDE03KZMG98D1AH52Z3A"
SAMPLE_ENDPOINT_ID = "whe_01JP9ZTDE03KZMG98D1AH52Z3B"


def ping() -> dict:
    return ping_data(endpoint_id=SAMPLE_ENDPOINT_ID)


def event_sample(event_type: str) -> dict:
    """The event as an endpoint receives it: `{"id", "type", "created_at", "data"}`.
    Raises KeyError for a type without a sample builder."""
    build = import_string(EVENT_TYPES[event_type].sample)
    return event_as_dict({"id": SAMPLE_EVENT_ID, "type": event_type, "created_at": SAMPLE_TIME, "data": build()})


SAMPLE_DELIVERY_ID = "del_01JP9ZTDE03KZMG98D1AH52Z3C"
SAMPLE_SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw4pBuRxo6/dM="


def _endpoint() -> dict:
    return {
        "id": SAMPLE_ENDPOINT_ID,
        "url": "https://hooks.example.com/pulsehr",
        "description": "HRIS sync",
        "enabled_events": ["employee.created", "employee.updated", "employee.offboarded"],
        "disabled": False,
        "disabled_reason": "",
        "disabled_at": None,
        "previous_secret_expires_at": None,
        "version": 1,
        "created_at": SAMPLE_TIME,
        "updated_at": SAMPLE_TIME,
    }


def _delivery() -> dict:
    attempt = {
        "number": 1,
        "started_at": format_datetime(SAMPLE_TIME),
        "duration_ms": 182,
        "status_code": 200,
        "response_body": "ok",
        "error": "",
        "succeeded": True,
    }
    return {
        "id": SAMPLE_DELIVERY_ID,
        "event_id": SAMPLE_EVENT_ID,
        "endpoint_id": SAMPLE_ENDPOINT_ID,
        "url": "https://hooks.example.com/pulsehr",
        "status": "succeeded",
        "attempt_count": 1,
        "next_attempt_at": None,
        "last_status_code": 200,
        "failure_reason": "",
        "created_at": format_datetime(SAMPLE_TIME),
        "completed_at": format_datetime(SAMPLE_TIME),
        "attempts": [attempt],
    }


def api_examples() -> dict:
    """Examples for /v1/openapi.json (pulsehr/api/examples.py)."""
    endpoint = endpoint_as_dict(_endpoint())
    event = event_sample("employee.created")
    return {
        "WebhookEndpoint": endpoint,
        "WebhookEndpointWithSecret": endpoint | {"secret": SAMPLE_SECRET},
        "WebhookEndpointCreateRequest": {key: endpoint[key] for key in ("url", "enabled_events", "description")},
        "PatchedWebhookEndpointUpdateRequest": {"enabled_events": ["*"]},
        "Event": event,
        "EventDetail": event | {"deliveries": [_delivery()]},
        "Delivery": _delivery()
        | {
            "status": "pending",
            "attempt_count": 0,
            "last_status_code": None,
            "completed_at": None,
            "next_attempt_at": format_datetime(SAMPLE_TIME),
            "attempts": [],
        },
        "EventReplayRequest": {"endpoint_id": SAMPLE_ENDPOINT_ID},
    }
