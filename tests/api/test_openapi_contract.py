"""/v1/openapi.json as a contract a client generator and a reader both trust: an example on every
body (each valid against its schema), a `webhooks` section from the event catalogue, tags,
contact and license, named enums, and each operation's scope."""

import json

import jsonschema
import pytest

from webhooks.catalogue import EVENT_TYPES
from webhooks.openapi import HEADERS, component_name
from webhooks.samples import event_sample

from .every_operation import operations, resolve, served_spec

JSON = "application/json"


@pytest.fixture(scope="module")
def spec():
    return served_spec()


def validate(spec: dict, schema: dict, instance) -> None:
    """Validate against a schema of the document, its $refs resolved within it (JSON Schema 2020-12)."""
    jsonschema.Draft202012Validator({**spec, "allOf": [schema]}, format_checker=jsonschema.FormatChecker()).validate(
        instance
    )


def bodies(spec: dict):
    """(where, media type object) for every request and response body of the paths and webhooks."""
    sections = [("paths", spec["paths"]), ("webhooks", spec["webhooks"])]
    for section, items in sections:
        for path, item in items.items():
            for method, operation in item.items():
                request = operation.get("requestBody", {}).get("content", {})
                for media_type, media in request.items():
                    yield f"{section} {method.upper()} {path} request {media_type}", media
                for status, response in operation.get("responses", {}).items():
                    for media_type, media in response.get("content", {}).items():
                        yield f"{section} {method.upper()} {path} {status} {media_type}", media


def test_every_body_and_response_has_an_example_that_its_schema_accepts(spec):
    checked = 0
    for where, media in bodies(spec):
        assert "example" in media, f"{where}: no example"
        try:
            validate(spec, media["schema"], media["example"])
        except jsonschema.ValidationError as error:
            pytest.fail(f"{where}: the example does not match its schema: {error.message}")
        checked += 1
    assert checked > 150  # every operation's success and error bodies, and every webhook


def test_a_wrong_example_would_be_caught(spec):
    """The validation above is real: the Employee example with a wrong type is refused."""
    media = spec["paths"]["/v1/employees/{id}"]["get"]["responses"]["200"]["content"][JSON]
    with pytest.raises(jsonschema.ValidationError):
        validate(spec, media["schema"], {**media["example"], "version": "one"})
    with pytest.raises(jsonschema.ValidationError):
        validate(spec, media["schema"], {**media["example"], "status": "retired"})


def test_error_examples_carry_the_code_of_their_status_and_a_request_id(spec):
    codes = {}
    for path, method, operation in operations(spec):
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                error = response["content"][JSON]["example"]["error"]
                codes.setdefault(status, set()).add(error["code"])
                assert error["request_id"].startswith("req_"), (method, path, status)
        forbidden = operation["responses"]["403"]["content"][JSON]["example"]["error"]["message"]
        assert operation["x-required-scopes"][0] in forbidden, (method, path)
    assert all(len(found) == 1 for found in codes.values()), codes
    assert codes["404"] == {"not_found"} and codes["422"] == {"unprocessable_entity"}


def test_examples_come_from_the_samples_the_ecosystem_page_shows(spec):
    employee = spec["paths"]["/v1/employees/{id}"]["get"]["responses"]["200"]["content"][JSON]["example"]
    assert employee == event_sample("employee.created")["data"]
    for event_type in EVENT_TYPES:
        body = spec["webhooks"][event_type]["post"]["requestBody"]["content"][JSON]
        assert body["example"] == json.loads(json.dumps(event_sample(event_type)))


def test_the_webhooks_section_has_one_entry_per_catalogue_type_with_typed_data_and_headers(spec):
    assert list(spec["webhooks"]) == list(EVENT_TYPES)
    event_type_field = spec["components"]["schemas"]["Event"]["properties"]["type"]
    assert event_type_field["allOf"] == [{"$ref": "#/components/schemas/EventType"}]
    assert spec["components"]["schemas"]["EventType"]["enum"] == list(EVENT_TYPES)
    for event_type, entry in EVENT_TYPES.items():
        operation = spec["webhooks"][event_type]["post"]
        assert operation["summary"] == event_type and entry.description in operation["description"]
        assert {p["name"] for p in operation["parameters"] if p["in"] == "header"} == {name for name, _, _ in HEADERS}
        assert {
            "X-Pulse-Event",
            "X-Pulse-Delivery",
            "X-Pulse-Signature",
            "webhook-id",
            "webhook-timestamp",
            "webhook-signature",
        } == {name for name, _, _ in HEADERS}
        payload = operation["requestBody"]["content"][JSON]["schema"]
        assert payload == {"$ref": f"#/components/schemas/{component_name(event_type)}"}
        typed = resolve(spec, payload)["allOf"][1]["properties"]
        assert typed["type"] == {"const": event_type, "description": "The event type."}
        assert typed["data"] == {"$ref": f"#/components/schemas/{entry.schema}"}
        # The data of another type's sample does not pass for this one.
        assert "2XX" in operation["responses"] or "200" in operation["responses"]
    sample = event_sample("kudos.awarded")
    with pytest.raises(jsonschema.ValidationError):
        validate(spec, {"$ref": "#/components/schemas/EmployeeCreatedEvent"}, {**sample, "type": "employee.created"})


def test_tags_contact_and_license(spec):
    tags = {tag["name"]: tag for tag in spec["tags"]}
    assert all(tag.get("description") for tag in tags.values())
    for path, method, operation in operations(spec):
        assert operation["tags"] and set(operation["tags"]) <= set(tags), (method, path)
    assert spec["info"]["contact"]["url"] and spec["info"]["license"]["name"]


def test_operations_and_fields_are_described_for_integrators(spec):
    for path, method, operation in operations(spec):
        assert operation.get("summary") and operation.get("description"), (method, path)
        for parameter in operation["parameters"]:
            text = parameter.get("description", "")
            assert text and not text.startswith("A unique value"), (method, path, parameter["name"])
    for name, schema in spec["components"]["schemas"].items():
        for field, definition in schema.get("properties", {}).items():
            assert definition.get("description"), f"{name}.{field}"
    machinery = ("serializer", "as_dict", "declared for the openapi", "queryset", "rendering goes")
    for name, schema in spec["components"]["schemas"].items():
        text = json.dumps(schema).lower()
        assert not [word for word in machinery if word in text], name


def test_enums_are_named_components_used_by_reference(spec):
    def inline_enums(node, where):
        if isinstance(node, dict):
            if "enum" in node:
                yield where
            for key, value in node.items():
                yield from inline_enums(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from inline_enums(value, f"{where}/{index}")

    schemas = spec["components"]["schemas"]
    enum_components = {name for name, schema in schemas.items() if "enum" in schema}
    assert {"LeaveKind", "LeaveStatus", "WorkloadLevel", "EmployeeStatus", "DeliveryStatus", "EventType"} <= (
        enum_components
    )
    assert "ErrorCode" in enum_components
    others = {name: schema for name, schema in schemas.items() if name not in enum_components}
    assert list(inline_enums({"paths": spec["paths"], "schemas": others}, "")) == []
    document = json.dumps(spec)
    assert document.count('"#/components/schemas/LeaveKind"') >= 3  # Leave, Balance, the create body
