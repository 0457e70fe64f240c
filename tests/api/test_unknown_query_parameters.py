"""A query parameter the operation does not document is a 400 naming it, as Stripe answers:
`GET /v1/employees?statuz=former` must not quietly list everyone. The walks go over every GET
operation of the served OpenAPI document, so a new route is covered the day it appears, and
the document and the enforcement cannot disagree."""

import pytest

from .every_operation import concrete, one_of_each, operations, resolve, served_spec

pytestmark = pytest.mark.django_db

UNKNOWN = {"statuz": "former", "colour": "blue"}


@pytest.fixture(scope="module")
def spec(django_db_blocker):
    with django_db_blocker.unblock():
        return served_spec()


def test_a_misspelt_filter_is_400_naming_it_instead_of_listing_everyone(api, make_employee):
    make_employee(full_name="Still Here")
    response = api.get("/v1/employees", {"statuz": "former"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["fields"] == ["statuz"]
    assert "statuz" in error["message"]


def test_every_get_operation_refuses_unknown_query_parameters_naming_each(api, spec):
    ids = one_of_each(api)
    gets = list(operations(spec, "get"))
    assert len(gets) >= 20  # lists and retrieves of every resource, collab included
    failures = []
    for path, _, operation in gets:
        url = concrete(path, ids)
        known = api.get(url)
        assert known.status_code == 200, (path, known.json())
        response = api.get(url, UNKNOWN)
        body = response.json()
        if response.status_code != 400 or body["error"]["code"] != "invalid_request":
            failures.append((operation["operationId"], response.status_code))
        elif body["error"]["fields"] != list(UNKNOWN):
            failures.append((operation["operationId"], body["error"]["fields"]))
    assert failures == []


def a_valid_value(parameter: dict, spec: dict, ids: dict, cursor: str | None) -> str:
    schema = resolve(spec, parameter["schema"])
    name = parameter["name"]
    if name == "cursor":  # one of this list's own: a cursor of another list is refused
        assert cursor is not None
        return cursor
    if name.endswith("_id"):
        return ids["employee"]
    if "enum" in schema:
        return str(schema["enum"][0])
    if schema.get("format") == "date":
        return "2024-05-15"
    if schema.get("format") == "date-time":
        return "2024-05-15T10:30:00Z"
    if schema.get("type") == "integer":
        return str(schema.get("default", schema.get("minimum", 1)))
    if schema.get("type") == "boolean":
        return "true"
    return "x"


def test_every_documented_query_parameter_is_accepted_together_with_the_others(api, spec):
    ids = one_of_each(api)
    # Two rows at least in every list, so each first page has a next cursor to pass back.
    one_of_each(api)
    api.post("/v1/rooms/release:2025/threads", {"comment": {"body": "Next?", "author_id": ids["employee"]}})
    api.post(f"/v1/threads/{ids['thread']}/comments", {"body": "Me", "author_id": ids["colleague"]})
    failures = []
    for path, _, operation in operations(spec, "get"):
        url = concrete(path, ids)
        query = [p for p in operation.get("parameters", []) if p["in"] == "query"]
        cursor = (
            api.get(url, {"limit": 1}).json().get("next_cursor") if any(p["name"] == "cursor" for p in query) else None
        )
        params = {p["name"]: a_valid_value(p, spec, ids, cursor) for p in query}
        response = api.get(url, params)
        if response.status_code != 200:
            failures.append((operation["operationId"], params, response.json()))
    assert failures == []


def test_an_unknown_query_parameter_on_a_write_is_400_and_writes_nothing(api):
    body = {"full_name": "Ada Lovelace", "start_date": "2022-03-01"}
    response = api.post("/v1/employees?notify=true", body)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == ["notify"]
    assert api.get("/v1/employees").json()["total_count"] == 0


def test_an_empty_or_repeated_unknown_parameter_is_named_once(api):
    response = api.get("/v1/employees?statuz=&statuz=former&department=Sales")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == ["statuz"]


def test_without_a_key_an_unknown_parameter_is_still_401(api):
    api.client.credentials()
    assert api.get("/v1/employees", UNKNOWN).status_code == 401


def test_a_method_the_route_lacks_is_still_405_whatever_the_parameters(api):
    assert api.client.put("/v1/employees?statuz=former").status_code == 405
