"""The `webhooks` section of /v1/openapi.json: one entry per event type of the catalogue, with
the payload an endpoint receives (`data` typed per type), the headers it comes with, and a sample.

A drf-spectacular post-processing hook (SPECTACULAR_SETTINGS), run after the paths are complete,
so each payload's `data` can reference the component its resource already has."""

from .catalogue import EVENT_TYPES
from .samples import event_sample

SCHEMAS = "#/components/schemas/"

# The data of a `ping`, which is no resource of the API.
PING_SCHEMA = {
    "type": "object",
    "description": "The data of a test event.",
    "required": ["endpoint_id", "message"],
    "properties": {
        "endpoint_id": {"type": "string", "description": "The endpoint the test was sent to, `whe_…`."},
        "message": {"type": "string", "description": "A fixed text saying this is a test event."},
    },
}

HEADERS = [
    ("X-Pulse-Event", "The event type, as in the body's `type`.", {"type": "string"}),
    (
        "X-Pulse-Delivery",
        "The delivery's id, `del_…`: the same on every retry of this delivery, so use it to drop duplicates.",
        {"type": "string"},
    ),
    (
        "X-Pulse-Signature",
        "`t=<unix seconds>,v1=<hex>`: HMAC-SHA256 of `<t>.<raw body>`, keyed with the endpoint's whole "
        "secret string (Stripe's scheme). During a secret rotation's overlap it carries two `v1` values.",
        {"type": "string", "pattern": "^t=[0-9]+(,v1=[0-9a-f]{64})+$"},
    ),
    ("webhook-id", "The delivery's id (Standard Webhooks); equals X-Pulse-Delivery.", {"type": "string"}),
    ("webhook-timestamp", "When this attempt was signed, in Unix seconds (Standard Webhooks).", {"type": "string"}),
    (
        "webhook-signature",
        "`v1,<base64>`: HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<raw body>`, keyed with the "
        "base64-decoded secret after `whsec_` (Standard Webhooks). Space-separated values during a rotation.",
        {"type": "string"},
    ),
]


def component_name(event_type: str) -> str:
    """`employee.created` → `EmployeeCreatedEvent`."""
    return "".join(part.capitalize() for part in event_type.replace(".", "_").split("_")) + "Event"


def _payload_schema(event_type: str, data_schema: str) -> dict:
    return {
        "description": f"The `{event_type}` event: {EVENT_TYPES[event_type].description}",
        "allOf": [
            {"$ref": f"{SCHEMAS}Event"},
            {
                "type": "object",
                "required": ["type", "data"],
                "properties": {
                    "type": {"const": event_type, "description": "The event type."},
                    "data": {"$ref": f"{SCHEMAS}{data_schema}"},
                },
            },
        ],
    }


def _operation(event_type: str) -> dict:
    entry = EVENT_TYPES[event_type]
    return {
        "post": {
            "operationId": f"webhook_{event_type.replace('.', '_')}",
            "summary": event_type,
            "description": f"{entry.description} PulseHR POSTs this to every enabled endpoint subscribed to "
            f"`{event_type}` (or to `*`), signed with the endpoint's secret: verify a signature before trusting "
            "the body.",
            "tags": ["Webhooks"],
            "security": [],
            "parameters": [
                {"name": name, "in": "header", "required": True, "description": text, "schema": schema}
                for name, text, schema in HEADERS
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"{SCHEMAS}{component_name(event_type)}"},
                        "example": event_sample(event_type),
                    }
                },
            },
            "responses": {
                "200": {
                    # The defaults, not this server's settings: the document is the same on every server.
                    "description": "Any 2xx answer within the timeout (10 s by default) acknowledges the delivery. "
                    "Anything else, or no answer in time, is retried with backoff for up to 72 hours by default; a "
                    "410 disables the endpoint."
                }
            },
        }
    }


def add_webhooks(result, generator, request, public):
    """drf-spectacular post-processing hook: the `webhooks` section and each payload's component."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Ping"] = PING_SCHEMA
    for event_type, entry in EVENT_TYPES.items():
        schemas[component_name(event_type)] = _payload_schema(event_type, entry.schema)
    result["webhooks"] = {event_type: _operation(event_type) for event_type in EVENT_TYPES}
    return result
