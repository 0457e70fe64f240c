"""Real leave responses match the OpenAPI description, and the schema documents the routes,
filters and number types integrators rely on."""

from datetime import date

import jsonschema
import pytest
from django.test import Client

from tests.api.every_operation import resolve

from ..factories import LeaveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def spec():
    return Client().get("/v1/openapi.json").json()


def validator(spec, component):
    return jsonschema.Draft202012Validator(
        {**spec, "$ref": f"#/components/schemas/{component}"}, format_checker=jsonschema.FormatChecker()
    )


def test_leave_responses_match_the_component_schemas(spec, api, employee, log_leave, set_today):
    set_today(date(2026, 3, 4))
    whole = log_leave("2026-03-02", "2026-03-06").json()
    log_leave("2026-03-09", half_day=True)
    LeaveFactory(employee=employee, status="rejected", decided_by="user:1", start_date=date(2026, 5, 4))
    validator(spec, "Leave").validate(whole)
    validator(spec, "Leave").validate(api.delete(f"/v1/leave/{whole['id']}").json())
    page = api.get("/v1/leave").json()
    assert len(page["data"]) == 3
    validator(spec, "PaginatedLeaveList").validate(page)
    balance = api.get(f"/v1/leave/balance/{employee.pk}").json()
    validator(spec, "LeaveBalance").validate(balance)
    error = validator(spec, "ErrorEnvelope")
    error.validate(api.get("/v1/leave/lv_unknown").json())
    error.validate(api.get(f"/v1/leave/balance/{employee.pk}", {"year": "x"}).json())


def test_the_leave_routes_are_documented(spec):
    assert set(spec["paths"]["/v1/leave"]) >= {"get", "post"}
    assert set(spec["paths"]["/v1/leave/{id}"]) >= {"get", "delete"}
    assert "patch" not in spec["paths"]["/v1/leave/{id}"]
    balance = spec["paths"]["/v1/leave/balance/{employee_id}"]["get"]
    parameters = {p["name"]: p for p in balance["parameters"]}
    assert parameters["employee_id"]["in"] == "path" and parameters["employee_id"]["required"] is True
    assert parameters["year"]["schema"]["type"] == "integer"
    assert "404" in balance["responses"] and "400" in balance["responses"]


def test_list_filters_are_documented(spec):
    parameters = {p["name"]: p for p in spec["paths"]["/v1/leave"]["get"]["parameters"] if p["in"] == "query"}
    for name in ("employee_id", "kind", "status", "date_from", "date_to"):
        assert parameters[name].get("description"), name
    assert parameters["kind"]["schema"] == {"$ref": "#/components/schemas/LeaveKind"}
    assert set(resolve(spec, parameters["kind"]["schema"])["enum"]) == {
        "vacation",
        "sick",
        "personal",
        "parental",
        "unpaid",
    }
    assert set(resolve(spec, parameters["status"]["schema"])["enum"]) == {
        "pending",
        "approved",
        "rejected",
        "cancelled",
    }
    assert parameters["date_from"]["schema"]["format"] == "date"


def test_days_are_documented_as_numbers(spec):
    leave = spec["components"]["schemas"]["Leave"]["properties"]
    assert leave["days"]["type"] == "number"
    balance = spec["components"]["schemas"]["Balance"]["properties"]
    assert balance["used"]["type"] == balance["planned"]["type"] == "number"
    assert set(balance["allowance"]["type"]) == set(balance["remaining"]["type"]) == {"number", "null"}
