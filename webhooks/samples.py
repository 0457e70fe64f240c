"""Sample events for /ecosystem. Each catalogue type's `data` is built in memory by the
function `EVENT_SAMPLES` names (with the serializer the API and the real event use) and
wrapped in the envelope an endpoint receives. Nothing is read from or written to the database."""

from datetime import UTC, datetime

from django.utils.module_loading import import_string

from .catalogue import EVENT_SAMPLES
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
    build = import_string(EVENT_SAMPLES[event_type])
    return event_as_dict({"id": SAMPLE_EVENT_ID, "type": event_type, "created_at": SAMPLE_TIME, "data": build()})
