"""One JSON-value policy on every write path (the API, the admin, the CSV import), and reading
that never fails on a row stored before the policy or around it (pulsehr/jsonvalues.py)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from employees.models import Employee
from pulsehr.jsonvalues import MAX_BYTES, MAX_DEPTH, MAX_KEYS, MAX_SAFE_INTEGER, dumps, json_value_problem
from webhooks.models import Event

from ..helpers import key_value_rows
from ..staff import member_client, superuser_client_in

pytestmark = pytest.mark.django_db

NEW = {"full_name": "Ada Lovelace", "start_date": "2024-01-02"}


def nested(depth: int):
    value: object = "leaf"
    for _ in range(depth):
        value = {"k": value}
    return value


REFUSED = {
    "integer just past 2^53-1": {"n": MAX_SAFE_INTEGER + 1},
    "negative integer past -(2^53-1)": {"n": -MAX_SAFE_INTEGER - 1},
    "integer past 64 bits (parsed as 1e20)": {"n": 10**20},
    "float PostgreSQL would store as a big integer": {"n": 1e300},
    "NUL in a value": {"k": "a\x00b"},
    "NUL in a key": {"a\x00b": 1},
    "nested object deeper than the limit": {"d": nested(MAX_DEPTH)},
    "too many keys in a nested object": {"inner": {f"k{i}": i for i in range(MAX_KEYS + 1)}},
    "larger than the size cap": {f"k{i}": "x" * (MAX_BYTES // 50) for i in range(60)},
}
ACCEPTED = {
    "largest safe integer": {"n": MAX_SAFE_INTEGER, "m": -MAX_SAFE_INTEGER},
    "ordinary values": {"f": 2.5, "b": True, "z": None, "s": "café ☕", "l": [1, "two", {"three": 3}]},
    "nested right up to the limit": {"d": nested(MAX_DEPTH - 1)},
    "as many keys as allowed": {f"k{i}": i for i in range(MAX_KEYS)},
}


@pytest.mark.parametrize("custom_fields", REFUSED.values(), ids=REFUSED.keys())
def test_the_api_refuses_a_value_outside_the_policy_as_400_naming_the_field(api, custom_fields):
    response = api.post("/v1/employees", {**NEW, "custom_fields": custom_fields})
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"] == ["custom_fields"]
    assert not Employee.objects.exists()


def test_the_api_refuses_lone_surrogates_in_keys_and_values(api):
    for body in (b'{"k": "\\udc00"}', b'{"\\ud800": 1}'):
        raw = b'{"full_name": "A", "start_date": "2024-01-02", "custom_fields": ' + body + b"}"
        response = api.client.post("/v1/employees", raw, content_type="application/json")
        assert response.status_code == 400, response.content
    assert not Employee.objects.exists()


@pytest.mark.parametrize("custom_fields", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_the_api_stores_and_echoes_values_within_the_policy_exactly(api, custom_fields):
    response = api.post("/v1/employees", {**NEW, "custom_fields": custom_fields})
    assert response.status_code == 201, response.content
    employee_id = response.json()["id"]
    assert api.get(f"/v1/employees/{employee_id}").json()["custom_fields"] == custom_fields


def test_the_policy_names_what_is_wrong():
    assert "2^53" in json_value_problem({"n": 2**53})
    assert "finite" in json_value_problem([float("nan")])
    assert "surrogate" in json_value_problem({"\udc00": 1})
    assert "strings" in json_value_problem({1: "a"})
    assert "not a JSON value" in json_value_problem({"when": object()})
    assert json_value_problem({"n": 2**53 - 1, "s": "ok"}) is None


# --- The admin ---------------------------------------------------------------------------------


def admin_form(workspace, custom_fields: str) -> dict:
    """The employee form with one custom field given as JSON text (a JSON row of the editor)."""
    key, _, value = custom_fields.strip()[1:-1].partition(":")
    return {
        "full_name": "Grace Hopper",
        "email": "",
        "role": "",
        "department": "",
        "location": "",
        "manager": "",
        "start_date": "2024-01-02",
        "end_date": "",
        **key_value_rows("custom_fields", [(json.loads(key), "json", value.strip())]),
        "workspace": workspace.pk,
        "environment": "live",
        "employee_set-TOTAL_FORMS": "0",
        "employee_set-INITIAL_FORMS": "0",
        "direct_reports-TOTAL_FORMS": "0",
        "direct_reports-INITIAL_FORMS": "0",
    }


@pytest.mark.parametrize("role", ["superuser", "owner", "hr"])
@pytest.mark.parametrize(
    "custom_fields",
    ['{"n": 9007199254740993}', '{"n": 100000000000000000000}', '{"x": NaN}', '{"x": Infinity}', '{"k": "\\u0000"}'],
)
def test_the_admin_form_refuses_a_value_outside_the_policy_with_a_message(workspace, role, custom_fields):
    client = superuser_client_in(workspace) if role == "superuser" else member_client(workspace, role)
    response = client.post(reverse("admin:employees_employee_add"), admin_form(workspace, custom_fields))
    assert response.status_code == 200, response.status_code
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["custom_fields"], errors
    assert not Employee.objects.exists()


def test_the_admin_form_saves_a_value_within_the_policy(workspace):
    client = member_client(workspace, "hr")
    response = client.post(reverse("admin:employees_employee_add"), admin_form(workspace, '{"n": 9007199254740991}'))
    assert response.status_code == 302
    assert Employee.objects.get().custom_fields == {"n": MAX_SAFE_INTEGER}


def test_the_admin_form_refuses_input_nested_past_pythons_recursion_limit_without_a_500(workspace):
    """Django's JSON form field lets the RecursionError through: on parsing, and again when the
    form is shown back with its errors."""
    too_deep = '{"k": ' + '{"k": ' * 5000 + "1" + "}" * 5000 + "}"
    response = member_client(workspace, "hr").post(
        reverse("admin:employees_employee_add"), admin_form(workspace, too_deep)
    )
    assert response.status_code == 200, response.status_code
    assert list(response.context["adminform"].form.errors) == ["custom_fields"]
    assert not Employee.objects.exists()


# --- The CSV import ----------------------------------------------------------------------------

HEADER = "full_name,email,role,department,location,manager,start_date,end_date,custom_fields"


@pytest.mark.parametrize(
    "cell",
    ['"{""n"": 9007199254740993}"', '"{""x"": NaN}"', '"' + '{""k"": ' * 5000 + "1" + "}" * 5000 + '"'],
    ids=["big integer", "NaN", "nested past Python's recursion limit"],
)
def test_the_csv_import_refuses_a_row_outside_the_policy_and_imports_nothing(workspace, cell):
    content = f"{HEADER}\nGrace Hopper,,,,,,2024-01-02,,{cell}".encode()
    response = member_client(workspace, "hr").post(
        reverse("admin:employees_employee_import"),
        {"import_file": SimpleUploadedFile("people.csv", content), "format": "0"},
    )
    assert response.status_code == 200
    (row,) = response.context["result"].invalid_rows
    assert list(row.error_dict) == ["custom_fields"]
    assert not Employee.objects.exists()


# --- Reading rows stored before the policy, or around it ------------------------------------------


def poisoned_values() -> dict:
    """What the database accepts without the policy: both take integers of any size (and
    PostgreSQL turns 1e20 into one); SQLite also takes an escaped lone surrogate, which
    PostgreSQL's jsonb refuses. Neither takes NaN or NUL."""
    values = {"big": 10**20, "negative": -(2**70), "float_as_int": 1e20, "safe": 7}
    if connection.vendor == "sqlite":
        values["surrogate"] = "\udc00"
    return values


def test_a_stored_row_outside_the_policy_still_reads_in_list_retrieve_and_events(api, employee, workspace):
    values = poisoned_values()
    Employee.objects.filter(pk=employee.pk).update(custom_fields=values)
    Event.objects.create(workspace=workspace, environment="live", type="employee.updated", data={"custom": values})

    listed = api.get("/v1/employees")
    retrieved = api.get(f"/v1/employees/{employee.pk}")
    events = api.get("/v1/events")

    for response in (listed, retrieved, events):
        assert response.status_code == 200, response.content[:500]
    assert json.loads(listed.content)["data"][0]["custom_fields"]["big"] == 10**20  # exactly, as stored
    fields = json.loads(retrieved.content)["custom_fields"]
    assert fields["negative"] == -(2**70) and fields["safe"] == 7
    assert json.loads(events.content)["data"][-1]["data"]["custom"]["big"] == 10**20
    if "surrogate" in values:
        assert fields["surrogate"] == "\udc00"


def test_the_encoder_writes_what_orjson_refuses_as_valid_json():
    value = {"big": 2**64, "s": "\udc00", "nan": float("nan"), "deep": nested(300)}
    assert json.loads(dumps(value)) == {"big": 2**64, "s": "\udc00", "nan": None, "deep": nested(300)}
