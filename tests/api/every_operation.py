"""What the walks over every /v1 operation share (test_unknown_query_parameters,
test_strict_types): the OpenAPI document as the server serves it, one row of every resource
made through the API (score snapshots by the weekly job's service), and the operations' paths
filled in with those rows' ids.

A path parameter this module cannot fill is a KeyError, so a new route fails the walks until
it gets a row here."""

from datetime import date

from django.test import Client

from pulsehr.tenancy.context import Tenant
from scores.services import score_snapshots_take

METHODS = ("get", "post", "put", "patch", "delete")

# The collection a `{id}` follows → which row of one_of_each() it names.
ROW_AFTER_SEGMENT = {
    "employees": "employee",
    "status-log": "status_log",
    "leave": "leave",
    "events": "event",
    "webhook-endpoints": "endpoint",
    "threads": "thread",
    "comments": "comment",
    "reactions": "reaction",
}
# Other path parameters, by name.
ROW_OF_PARAMETER = {"employee_id": "employee", "room_id": "room"}


def served_spec() -> dict:
    response = Client().get("/v1/openapi.json")
    assert response.status_code == 200, response.content[:500]
    return response.json()


def resolve(spec: dict, node):
    """Follow local $refs until a concrete object."""
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def operations(spec: dict, *methods: str):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in (methods or METHODS):
                yield path, method, operation


def concrete(path: str, ids: dict[str, str]) -> str:
    """/v1/threads/{id}/comments → /v1/threads/thr_…/comments."""
    parts = path.split("/")
    for index, part in enumerate(parts):
        if part.startswith("{"):
            name = part[1:-1]
            row = ROW_AFTER_SEGMENT[parts[index - 1]] if name == "id" else ROW_OF_PARAMETER[name]
            parts[index] = ids[row]
    return "/".join(parts)


def _created(response) -> dict:
    assert response.status_code in (200, 201), response.json()
    return response.json()


def one_of_each(api) -> dict[str, str]:
    """One row of every resource in `api`'s workspace environment, made through the API; ids
    by row name. `employee` is the main person, `colleague` a second one."""
    ids = {}
    for row, name in (("employee", "Ada Lovelace"), ("colleague", "Grace Hopper")):
        ids[row] = _created(api.post("/v1/employees", {"full_name": name, "start_date": "2022-03-01"}))["id"]
    person, colleague = ids["employee"], ids["colleague"]
    ids["status_log"] = _created(api.post("/v1/status-log", {"employee_id": person, "lines": ["Shipped it"]}))["id"]
    leave = {"employee_id": person, "kind": "vacation", "start_date": "2024-05-15"}
    ids["leave"] = _created(api.post("/v1/leave", leave))["id"]
    adjustment = {"employee_id": person, "kind": "vacation", "amount": 1, "reason": "Worked a Saturday"}
    _created(api.post("/v1/leave/adjustments", adjustment))
    _created(api.post("/v1/kudos", {"from_employee_id": person, "to_employee_id": colleague, "coins": 5}))
    _created(api.post("/v1/workload-checkins", {"employee_id": person, "level": "balanced"}))
    endpoint = {"url": "https://hooks.example.com/pulse", "enabled_events": ["*"]}
    ids["endpoint"] = _created(api.post("/v1/webhook-endpoints", endpoint))["id"]
    ids["room"] = "release:2024"
    thread = _created(api.post("/v1/rooms/release:2024/threads", {"comment": {"body": "Who?", "author_id": person}}))
    ids["thread"], ids["comment"] = thread["id"], thread["comments"][0]["id"]
    reaction = {"emoji": "👍", "user_id": colleague}
    ids["reaction"] = _created(api.post(f"/v1/comments/{ids['comment']}/reactions", reaction))["id"]
    ids["event"] = _created(api.get("/v1/events", {"limit": 1}))["data"][0]["id"]
    # The score history only the weekly job writes: two weeks of it (a second call adds none
    # for people already snapshotted, so every history has two rows).
    for monday in (date(2026, 1, 5), date(2026, 1, 12)):
        score_snapshots_take(tenant=Tenant(api.workspace, api.environment), day=monday)
    return ids
