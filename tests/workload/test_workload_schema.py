"""What /v1/openapi.json promises about workload check-ins is what the API does."""

import jsonschema
import pytest
from django.test import Client

from tests.api.every_operation import resolve

from .conftest import CHECKINS

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec():
    return Client().get("/v1/openapi.json").json()


def validator(spec, component):
    return jsonschema.Draft202012Validator(
        {**spec, "$ref": f"#/components/schemas/{component}"}, format_checker=jsonschema.FormatChecker()
    )


def test_the_operations_are_list_and_create_only(spec):
    assert set(spec["paths"][CHECKINS]) & {"get", "post", "put", "patch", "delete"} == {"get", "post"}
    assert not [path for path in spec["paths"] if path.startswith(f"{CHECKINS}/")]


def test_every_filter_is_documented(spec):
    parameters = {p["name"]: p for p in spec["paths"][CHECKINS]["get"]["parameters"] if p["in"] == "query"}
    for name in ("employee_id", "level", "week_start", "week_from", "week_to"):
        assert parameters[name]["description"], name
        assert not parameters[name].get("required", False)
    assert set(resolve(spec, parameters["level"]["schema"])["enum"]) == {"light", "balanced", "heavy", "overloaded"}


def test_the_request_schema_states_the_rules(spec):
    body = spec["components"]["schemas"]["WorkloadCheckinCreateRequest"]
    # Whose check-in is left out by a key that acts as an employee; the description says when it is required.
    assert body["required"] == ["level"] and body["additionalProperties"] is False
    assert "Required, unless the API key acts as an employee" in body["properties"]["employee_id"]["description"]
    level = resolve(spec, body["properties"]["level"]["allOf"][0])
    assert level["enum"] == ["light", "balanced", "heavy", "overloaded"]
    assert body["properties"]["week_start"]["format"] == "date"
    assert all(field.get("description") for field in body["properties"].values())


def test_real_responses_match_the_component_schemas(spec, api, check_in):
    validator(spec, "WorkloadCheckin").validate(check_in().json())
    check_in(week_start="2024-05-06", level="overloaded")
    validator(spec, "PaginatedWorkloadCheckinList").validate(api.get(CHECKINS, {"limit": 1}).json())
    errors = validator(spec, "ErrorEnvelope")
    errors.validate(check_in(week_start="2024-05-06").json())  # 409
    errors.validate(check_in(week_start="2024-05-07").json())  # 422
    errors.validate(check_in(level="meh").json())  # 400
