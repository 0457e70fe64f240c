"""What /v1/openapi.json promises about the status log is what the API does."""

import jsonschema
import pytest
from django.test import Client

from .conftest import STATUS_LOG

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec():
    return Client().get("/v1/openapi.json").json()


def validator(spec, component):
    return jsonschema.Draft202012Validator(
        {**spec, "$ref": f"#/components/schemas/{component}"}, format_checker=jsonschema.FormatChecker()
    )


def test_the_operations_are_list_retrieve_and_create_only(spec):
    assert set(spec["paths"][STATUS_LOG]) >= {"get", "post"}
    assert set(spec["paths"][STATUS_LOG]) & {"put", "patch", "delete"} == set()
    assert set(spec["paths"][f"{STATUS_LOG}/{{id}}"]) & {"get", "put", "patch", "delete", "post"} == {"get"}


def test_every_filter_is_documented(spec):
    parameters = {p["name"]: p for p in spec["paths"][STATUS_LOG]["get"]["parameters"] if p["in"] == "query"}
    for name in ("employee_id", "date", "date_from", "date_to", "topic"):
        assert parameters[name]["description"], name
        assert not parameters[name].get("required", False)
    for name in ("date", "date_from", "date_to"):
        assert parameters[name]["schema"] == {"type": "string", "format": "date"}


def test_the_request_schema_states_the_rules(spec):
    body = spec["components"]["schemas"]["StatusLogEntryCreateRequest"]
    # The author is left out by a key that acts as an employee; the description says when it is required.
    assert body["required"] == ["lines"] and body["additionalProperties"] is False
    assert "Required, unless the API key acts as an employee" in body["properties"]["employee_id"]["description"]
    lines = body["properties"]["lines"]
    assert (lines["minItems"], lines["maxItems"], lines["items"]["maxLength"]) == (1, 3, 280)
    assert body["properties"]["topic"]["maxLength"] == 100
    assert all(field.get("description") for field in body["properties"].values())


def test_real_responses_match_the_component_schemas(spec, api, post_entry):
    created = post_entry(topic=None)
    validator(spec, "StatusLogEntry").validate(created.json())
    post_entry(date="2024-05-14", topic="Infra")
    validator(spec, "PaginatedStatusLogEntryList").validate(api.get(STATUS_LOG, {"limit": 1}).json())
    validator(spec, "StatusLogEntry").validate(api.get(created["Location"]).json())
    errors = validator(spec, "ErrorEnvelope")
    errors.validate(post_entry(date="2024-05-14").json())  # 409
    errors.validate(post_entry(lines=[]).json())  # 400
    errors.validate(api.get(f"{STATUS_LOG}/sl_unknown").json())  # 404
