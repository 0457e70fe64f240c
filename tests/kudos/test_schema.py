"""/v1/kudos as /v1/openapi.json describes it, checked against real responses."""

import jsonschema
import pytest
from django.test import Client

from kudos.api.serializers import kudos_as_dict

from ..factories import KudosFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec():
    return Client().get("/v1/openapi.json").json()


def validator(spec, component):
    return jsonschema.Draft202012Validator(
        {**spec, "$ref": f"#/components/schemas/{component}"}, format_checker=jsonschema.FormatChecker()
    )


def test_the_spec_has_list_and_create_only(spec):
    assert set(spec["paths"]["/v1/kudos"]) >= {"get", "post"}
    assert not {"put", "patch", "delete"} & set(spec["paths"]["/v1/kudos"])
    assert not [path for path in spec["paths"] if path.startswith("/v1/kudos/")]


def test_the_kudos_schema_lists_every_field_with_its_nullability(spec, giver, receiver):
    schema = spec["components"]["schemas"]["Kudos"]
    shown = kudos_as_dict(KudosFactory(from_employee=giver, to_employee=receiver))
    assert set(schema["properties"]) == set(schema["required"]) == set(shown)
    nullable = {name for name, field in schema["properties"].items() if "null" in field.get("type", [])}
    assert nullable == {"tag"}


def test_the_create_body_documents_its_rules(spec):
    body = spec["components"]["schemas"]["KudosCreateRequest"]
    assert body["additionalProperties"] is False
    # The giver is left out by a key that acts as an employee; the description says when it is required.
    assert set(body["required"]) == {"to_employee_id", "coins"}
    assert "Required, unless the API key acts as an employee" in body["properties"]["from_employee_id"]["description"]
    coins, tag, note = (body["properties"][name] for name in ("coins", "tag", "note"))
    assert (coins["type"], coins["minimum"], coins["maximum"]) == ("integer", 1, 100)
    assert "allowance" in coins["description"]
    assert (tag["pattern"], tag["maxLength"]) == ("^[a-z0-9]+(?:-[a-z0-9]+)*$", 32)
    assert note["maxLength"] == 500


def test_the_list_filters_are_documented(spec):
    parameters = {p["name"]: p for p in spec["paths"]["/v1/kudos"]["get"]["parameters"] if p["in"] == "query"}
    for name in ("from_employee_id", "to_employee_id", "tag", "created_after", "created_before"):
        assert parameters[name].get("description") and not parameters[name].get("required", False), name
    assert parameters["created_after"]["schema"] == {"type": "string", "format": "date-time"}
    assert parameters["created_before"]["schema"] == {"type": "string", "format": "date-time"}


def test_real_responses_match_the_component_schemas(spec, api, body):
    created = api.post("/v1/kudos", body(tag="craft", note="Thanks"))
    validator(spec, "Kudos").validate(created.json())
    api.post("/v1/kudos", body())
    page = api.get("/v1/kudos").json()
    validator(spec, "PaginatedKudosList").validate(page)
    assert {row["tag"] for row in page["data"]} == {"craft", None}
    for failed in (api.post("/v1/kudos", body(coins=0)), api.post("/v1/kudos", body(coins=100))):
        assert failed.status_code in (400, 422)
        validator(spec, "ErrorEnvelope").validate(failed.json())
