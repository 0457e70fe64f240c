"""The webhook operations as /v1/openapi.json describes them, checked against real responses."""

import jsonschema
import pytest
from django.test import Client

from webhooks.models import Event

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("/v1/webhook-endpoints", "get"): ("webhook_endpoints_list", "200"),
    ("/v1/webhook-endpoints", "post"): ("webhook_endpoints_create", "201"),
    ("/v1/webhook-endpoints/{id}", "get"): ("webhook_endpoints_retrieve", "200"),
    ("/v1/webhook-endpoints/{id}", "patch"): ("webhook_endpoints_update", "200"),
    ("/v1/webhook-endpoints/{id}", "delete"): ("webhook_endpoints_delete", "204"),
    ("/v1/webhook-endpoints/{id}/rotate-secret", "post"): ("webhook_endpoints_rotate_secret", "200"),
    ("/v1/webhook-endpoints/{id}/test", "post"): ("webhook_endpoints_test", "202"),
    ("/v1/events", "get"): ("events_list", "200"),
    ("/v1/events/{id}", "get"): ("events_retrieve", "200"),
    ("/v1/events/{id}/replay", "post"): ("events_replay", "201"),
}


@pytest.fixture(scope="module")
def spec():
    return Client().get("/v1/openapi.json").json()


def validate(spec, path, method, response):
    """Check a real response against the schema the spec gives for its operation and status."""
    documented = spec["paths"][path][method]["responses"][str(response.status_code)]
    schema = documented["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**spec, **schema}, format_checker=jsonschema.FormatChecker()).validate(
        response.json()
    )


def test_every_webhook_operation_is_described_with_its_success_status(spec):
    for (path, method), (operation_id, status) in OPERATIONS.items():
        operation = spec["paths"][path][method]
        assert operation["operationId"] == operation_id, (method, path)
        assert status in operation["responses"], (method, path)
        assert "Webhooks" in operation["tags"]
    assert set(spec["paths"]["/v1/events"]) & {"post", "put", "patch", "delete"} == set()


def test_the_secret_is_in_the_create_and_rotate_schemas_only(spec):
    def schema_of(path, method, status):
        ref = spec["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]["$ref"]
        return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]

    assert "secret" in schema_of("/v1/webhook-endpoints", "post", "201")["properties"]
    assert "secret" in schema_of("/v1/webhook-endpoints/{id}/rotate-secret", "post", "200")["properties"]
    assert "secret" not in schema_of("/v1/webhook-endpoints/{id}", "get", "200")["properties"]
    assert "secret" not in schema_of("/v1/webhook-endpoints/{id}", "patch", "200")["properties"]


def test_the_create_body_is_closed_and_requires_url_and_events(spec):
    body = spec["components"]["schemas"]["WebhookEndpointCreateRequest"]
    assert body["additionalProperties"] is False
    assert set(body["required"]) == {"url", "enabled_events"}
    assert body["properties"]["enabled_events"]["items"]["type"] == "string"


def test_the_event_filters_are_documented(spec):
    parameters = {p["name"]: p for p in spec["paths"]["/v1/events"]["get"]["parameters"] if p["in"] == "query"}
    for name in ("type", "created_after", "created_before"):
        assert parameters[name].get("description") and not parameters[name].get("required", False), name
    assert parameters["created_after"]["schema"] == {"type": "string", "format": "date-time"}


def test_real_responses_match_the_schemas(spec, api):
    created = api.post("/v1/webhook-endpoints", {"url": "https://hooks.example.com/", "enabled_events": ["*"]})
    validate(spec, "/v1/webhook-endpoints", "post", created)
    endpoint_id = created.json()["id"]
    path = f"/v1/webhook-endpoints/{endpoint_id}"
    validate(spec, "/v1/webhook-endpoints", "get", api.get("/v1/webhook-endpoints"))
    validate(spec, "/v1/webhook-endpoints/{id}", "get", api.get(path))
    validate(spec, "/v1/webhook-endpoints/{id}", "patch", api.patch(path, {"disabled": True}))
    api.patch(path, {"disabled": False})
    validate(spec, "/v1/webhook-endpoints/{id}/rotate-secret", "post", api.post(f"{path}/rotate-secret"))
    validate(spec, "/v1/webhook-endpoints/{id}/test", "post", api.post(f"{path}/test"))
    event = Event.objects.get()
    validate(spec, "/v1/events", "get", api.get("/v1/events"))
    validate(spec, "/v1/events/{id}", "get", api.get(f"/v1/events/{event.pk}"))
    validate(spec, "/v1/events/{id}/replay", "post", api.post(f"/v1/events/{event.pk}/replay"))
    for failure in (
        api.post("/v1/webhook-endpoints", {"url": "ftp://x", "enabled_events": ["*"]}),
        api.post(f"/v1/events/{event.pk}/replay", {"endpoint_id": "whe_unknown"}),
        api.get("/v1/events/evt_unknown"),
    ):
        assert failure.status_code in (400, 404, 422)
        validate(spec, "/v1/events/{id}/replay", "post", failure)
