"""JSON types are strict on every input field: `full_name: 7` is not "7", `half_day: "yes"`
is not true, `coins: "10"` is not 10. The walk goes over every field of every request body of
the served OpenAPI document, nested ones included, and sends each JSON type its schema does
not allow, with the rest of a valid body: each must be a 400 naming that field."""

import copy

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers

from pulsehr.api.serializers import StrictSerializer

from .every_operation import concrete, one_of_each, operations, resolve, served_spec

pytestmark = pytest.mark.django_db

# A valid body per write operation, every optional field included, from the ids of
# one_of_each(). A write operation without an entry fails test_every_write_operation_has_a_valid_body.
VALID_BODIES = {
    "employees_create": lambda ids: {
        "full_name": "Katherine Johnson",
        "email": "katherine@example.test",
        "role": "Mathematician",
        "department": "Flight Research",
        "location": "Hampton",
        "manager_id": ids["employee"],
        "start_date": "2023-01-02",
        "end_date": "2030-12-31",
        "custom_fields": {"team": "core"},
    },
    "employees_update": lambda ids: {
        "full_name": "Ada King",
        "email": "ada@example.test",
        "role": "Countess",
        "department": "Analytical Engines",
        "location": "London",
        "manager_id": ids["colleague"],
        "start_date": "2022-03-01",
        "end_date": "2030-12-31",
        "custom_fields": {"team": "engines"},
    },
    "leave_create": lambda ids: {
        "employee_id": ids["colleague"],
        "kind": "vacation",
        "start_date": "2024-06-05",
        "end_date": "2024-06-05",
        "half_day": True,
        "note": "Dentist",
    },
    "leave_approve": lambda ids: {"reason": "Enjoy"},
    "leave_reject": lambda ids: {"reason": "Release week"},
    "leave_adjustment_create": lambda ids: {
        "employee_id": ids["colleague"],
        "kind": "vacation",
        "amount": 1.5,
        "reason": "Worked a Saturday",
        "effective_date": "2024-06-03",
    },
    "status_log_create": lambda ids: {
        "employee_id": ids["colleague"],
        "date": "2024-05-14",
        "lines": ["Reviewed the plan"],
        "topic": "infra",
    },
    "kudos_create": lambda ids: {
        "from_employee_id": ids["colleague"],
        "to_employee_id": ids["employee"],
        "coins": 3,
        "tag": "teamwork",
        "note": "Thanks for the review",
    },
    "workload_checkins_create": lambda ids: {
        "employee_id": ids["colleague"],
        "week_start": "2024-05-13",
        "level": "heavy",
    },
    "webhook_endpoints_create": lambda ids: {
        "url": "https://hooks.example.com/hr",
        "enabled_events": ["employee.created"],
        "description": "HR sync",
    },
    "webhook_endpoints_update": lambda ids: {
        "url": "https://hooks.example.com/hr",
        "enabled_events": ["employee.created", "leave.logged"],
        "description": "HR sync",
        "disabled": True,
    },
    "events_replay": lambda ids: {"endpoint_id": ids["endpoint"]},
    "room_threads_create": lambda ids: {
        "comment": {"body": "Next steps?", "author_id": ids["employee"]},
        "metadata": {"page": 3},
        "created_by": ids["employee"],
    },
    "room_tokens_create": lambda ids: {"user_id": ids["employee"], "ttl_seconds": 600},
    "threads_update": lambda ids: {"resolved": True, "resolved_by": ids["employee"], "metadata": {"state": "done"}},
    "thread_comments_create": lambda ids: {"body": "I will", "author_id": ids["colleague"]},
    "comments_update": lambda ids: {"body": "Who takes it?"},
    "comment_reactions_create": lambda ids: {"emoji": "🎉", "user_id": ids["employee"]},
}

# One value of each JSON type; `integer` and `number` differ where a schema allows integers only.
VALUE_OF_TYPE = {
    "string": "7",
    "integer": 7,
    "number": 7.5,
    "boolean": True,
    "array": ["7"],
    "object": {"7": 7},
    "null": None,
}


@pytest.fixture(scope="module")
def spec(django_db_blocker):
    with django_db_blocker.unblock():
        return served_spec()


def write_operations(spec):
    """(path, method, operation, request-body schema) of every operation that takes a JSON body."""
    for path, method, operation in operations(spec):
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            yield path, method, operation, resolve(spec, content["application/json"]["schema"])


def json_types(spec, schema) -> set[str]:
    """The JSON types a property schema allows; every type when it names none."""
    schema = resolve(spec, schema)
    parts = schema.get("oneOf", []) + schema.get("anyOf", []) + schema.get("allOf", [])
    if parts:
        return set().union(*(json_types(spec, part) for part in parts))
    if "enum" in schema:
        return {"null" if value is None else "string" for value in schema["enum"]}
    declared = schema.get("type")
    if declared is None:
        return set(VALUE_OF_TYPE)
    types = {declared} if isinstance(declared, str) else set(declared)
    return types | {"integer"} if "number" in types else types


def object_properties(spec, schema) -> dict:
    schema = resolve(spec, schema)
    for part in schema.get("allOf", []):
        schema = resolve(spec, part)
    return {name: prop for name, prop in schema.get("properties", {}).items() if not prop.get("readOnly")}


def fields_of(spec, schema, prefix=""):
    """(dotted name, property schema, names a wrong value may be reported under) for every
    input field, nested objects' fields and list items included."""
    for name, prop in object_properties(spec, schema).items():
        dotted = f"{prefix}{name}"
        yield dotted, prop, [dotted]
        if object_properties(spec, prop):
            yield from fields_of(spec, prop, f"{dotted}.")
        items = resolve(spec, prop).get("items")
        if items is not None:
            # A list reports a bad item under its own name or the item's position, as it documents.
            yield f"{dotted}.0", items, [dotted, f"{dotted}.0"]


def with_value(body: dict, dotted: str, value) -> dict:
    body = copy.deepcopy(body)
    *parents, last = dotted.split(".")
    target = body
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return body


def test_every_write_operation_has_a_valid_body(spec):
    assert {operation["operationId"] for *_, operation, _ in write_operations(spec)} == set(VALID_BODIES)


def test_every_request_body_is_a_strict_serializer(spec):
    # additionalProperties: false is what the schema says of a StrictSerializer, the base that
    # refuses unknown keys and wrong JSON types.
    for *_, operation, schema in write_operations(spec):
        assert schema.get("additionalProperties") is False, operation["operationId"]


def test_a_field_class_without_json_types_is_refused_when_the_serializer_is_used():
    class Colour(serializers.Field):
        def to_internal_value(self, data):
            return data

    class Paint(StrictSerializer):
        colour = Colour()

    with pytest.raises(ImproperlyConfigured, match="JSON_TYPES"):
        Paint(data={"colour": "red"}).is_valid()


PENDING_LEAVE = {"leave_approve", "leave_reject"}


@pytest.mark.parametrize("operation_id", sorted(VALID_BODIES))
def test_a_wrong_json_type_in_any_field_is_400_naming_the_field(api, workspace, spec, operation_id):
    # Only pending leave can be decided: in approval mode, one_of_each's leave is pending.
    workspace.leave_approval_required = operation_id in PENDING_LEAVE
    workspace.save()
    [(path, method, schema)] = [
        (path, method, schema)
        for path, method, op, schema in write_operations(spec)
        if op["operationId"] == operation_id
    ]
    ids = one_of_each(api)
    url, valid = concrete(path, ids), VALID_BODIES[operation_id](ids)
    send = getattr(api, method)
    failures, tried = [], 0
    for dotted, prop, names in fields_of(spec, schema):
        for json_type in sorted(set(VALUE_OF_TYPE) - json_types(spec, prop)):
            tried += 1
            response = send(url, with_value(valid, dotted, VALUE_OF_TYPE[json_type]))
            error = response.json().get("error", {}) if response.status_code == 400 else {}
            if error.get("code") != "invalid_request" or error.get("fields") not in [[name] for name in names]:
                failures.append((dotted, json_type, response.status_code, response.json()))
    assert tried > 0
    assert failures == []
    # The body the wrong values were put into is itself accepted.
    response = send(url, valid)
    assert response.status_code in (200, 201), response.json()


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/v1/employees", {"full_name": 7, "start_date": "2022-03-01"}, "full_name"),
        ("/v1/employees", {"full_name": "Ada", "start_date": "2022-03-01", "department": 7.5}, "department"),
        ("/v1/kudos", {"coins": "10"}, "coins"),
        ("/v1/kudos", {"coins": True}, "coins"),
        ("/v1/kudos", {"coins": 2.0}, "coins"),
    ],
)
def test_numbers_are_not_strings_and_strings_are_not_numbers(api, path, body, field):
    ids = one_of_each(api)
    if path == "/v1/kudos":
        body = {"from_employee_id": ids["employee"], "to_employee_id": ids["colleague"], **body}
    response = api.post(path, body)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == [field]


def test_half_day_yes_is_not_a_boolean(api):
    ids = one_of_each(api)
    response = api.post(
        "/v1/leave", {"employee_id": ids["colleague"], "kind": "sick", "start_date": "2024-06-05", "half_day": "yes"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == ["half_day"]
    assert "boolean" in response.json()["error"]["message"]
