"""The contract every /v1 resource keeps, declared once and checked over every operation of the
served OpenAPI document, instead of a copy of the same suite per resource:

- isolation: another workspace's keys and the other environment's answer 404 for every id of
  this one, on every method, and write nothing; their lists show none of its rows;
- authentication: without a key every operation is a 401 and writes nothing;
- scopes: a key without the resource's scope gets 403 naming it, a read-only key cannot
  write, and a key with exactly the needed scope succeeds;
- cursors: a forged or tampered cursor is a 400 naming `cursor`, and a cursor of one tenant's
  list reveals nothing to another;
- query count: a list page costs the same number of queries for one row as for three, and no
  more than its bound.

OPERATIONS declares each operation once: its scope and a valid body. A route the served document
has and OPERATIONS does not (a new TenantViewSet, a new action) fails
test_every_operation_is_declared, so nothing is added uncovered."""

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, resolve

from pulsehr.api.views import TenantViewSet
from webhooks.models import Event

from .every_operation import concrete, one_of_each, operations, served_spec

pytestmark = pytest.mark.django_db


def _kudos(ids):
    return {"from_employee_id": ids["colleague"], "to_employee_id": ids["employee"], "coins": 1}


# (method, path) → (scope resource, body from the ids of one_of_each, or None)
OPERATIONS = {
    ("get", "/v1/employees"): ("employees", None),
    ("post", "/v1/employees"): ("employees", lambda ids: {"full_name": "New Person", "start_date": "2024-01-01"}),
    ("get", "/v1/employees/{id}"): ("employees", None),
    ("patch", "/v1/employees/{id}"): ("employees", lambda ids: {"role": "Lead"}),
    ("delete", "/v1/employees/{id}"): ("employees", None),
    ("get", "/v1/status-log"): ("status_log", None),
    ("post", "/v1/status-log"): ("status_log", lambda ids: {"employee_id": ids["colleague"], "lines": ["Reviewed"]}),
    ("get", "/v1/status-log/{id}"): ("status_log", None),
    ("get", "/v1/kudos"): ("kudos", None),
    ("post", "/v1/kudos"): ("kudos", _kudos),
    ("get", "/v1/workload-checkins"): ("workload", None),
    ("post", "/v1/workload-checkins"): ("workload", lambda ids: {"employee_id": ids["colleague"], "level": "heavy"}),
    ("get", "/v1/leave"): ("leave", None),
    ("post", "/v1/leave"): (
        "leave",
        lambda ids: {"employee_id": ids["colleague"], "kind": "vacation", "start_date": "2024-06-03"},
    ),
    ("get", "/v1/leave/{id}"): ("leave", None),
    ("delete", "/v1/leave/{id}"): ("leave", None),
    ("get", "/v1/leave/balance/{employee_id}"): ("leave", None),
    ("post", "/v1/leave/{id}/approve"): ("leave", lambda ids: {"reason": "Enjoy"}),
    ("post", "/v1/leave/{id}/reject"): ("leave", lambda ids: {"reason": "Release week"}),
    ("get", "/v1/leave/whos-out"): ("leave", None),
    ("get", "/v1/leave/ledger"): ("leave", None),
    ("post", "/v1/leave/adjustments"): (
        "leave",
        lambda ids: {"employee_id": ids["colleague"], "kind": "vacation", "amount": 1, "reason": "Worked a Saturday"},
    ),
    ("get", "/v1/events"): ("webhooks", None),
    ("get", "/v1/events/{id}"): ("webhooks", None),
    ("post", "/v1/events/{id}/replay"): ("webhooks", lambda ids: {}),
    ("get", "/v1/webhook-endpoints"): ("webhooks", None),
    ("post", "/v1/webhook-endpoints"): (
        "webhooks",
        lambda ids: {"url": "https://hooks.example.com/second", "enabled_events": ["*"]},
    ),
    ("get", "/v1/webhook-endpoints/{id}"): ("webhooks", None),
    ("patch", "/v1/webhook-endpoints/{id}"): ("webhooks", lambda ids: {"enabled_events": ["employee.created"]}),
    ("delete", "/v1/webhook-endpoints/{id}"): ("webhooks", None),
    ("post", "/v1/webhook-endpoints/{id}/rotate-secret"): ("webhooks", lambda ids: {}),
    ("post", "/v1/webhook-endpoints/{id}/test"): ("webhooks", lambda ids: {}),
    ("get", "/v1/rooms"): ("collab", None),
    ("get", "/v1/rooms/{room_id}"): ("collab", None),
    ("get", "/v1/rooms/{room_id}/presence"): ("collab", None),
    ("get", "/v1/rooms/{room_id}/threads"): ("collab", None),
    ("post", "/v1/rooms/{room_id}/threads"): (
        "collab",
        lambda ids: {"comment": {"body": "Another question", "author_id": ids["employee"]}},
    ),
    ("post", "/v1/rooms/{room_id}/tokens"): ("collab", lambda ids: {"user_id": ids["employee"]}),
    ("get", "/v1/threads/{id}"): ("collab", None),
    ("patch", "/v1/threads/{id}"): ("collab", lambda ids: {"resolved": True}),
    ("delete", "/v1/threads/{id}"): ("collab", None),
    ("get", "/v1/threads/{id}/comments"): ("collab", None),
    ("post", "/v1/threads/{id}/comments"): ("collab", lambda ids: {"body": "Me", "author_id": ids["colleague"]}),
    ("get", "/v1/comments/{id}"): ("collab", None),
    ("patch", "/v1/comments/{id}"): ("collab", lambda ids: {"body": "Who, exactly?"}),
    ("delete", "/v1/comments/{id}"): ("collab", None),
    ("post", "/v1/comments/{id}/reactions"): ("collab", lambda ids: {"emoji": "🎉", "user_id": ids["employee"]}),
    ("delete", "/v1/reactions/{id}"): ("collab", None),
    ("get", "/v1/users"): ("collab", None),
    ("get", "/v1/employees/{id}/score"): ("scores", None),
    ("get", "/v1/employees/{id}/score/history"): ("scores", None),
    ("get", "/v1/scores/groups"): ("scores", None),
}
# A room is named by its key, which each workspace environment has of its own: another tenant
# that posts to /v1/rooms/release:2024/… writes in its own room (tests/collab checks that one
# room per tenant is made), so only reads of these are 404 for it.
OWN_ROOM_BY_KEY = {("post", "/v1/rooms/{room_id}/threads"), ("post", "/v1/rooms/{room_id}/tokens")}
# Presence is who is connected to the tenant's room of that key now: nobody, for a room it has not.
EMPTY_NOT_404 = {("get", "/v1/rooms/{room_id}/presence")}
# Single objects and reports, not paged lists of rows: a score, the groups, who is out day by day.
NOT_LISTS = {("get", "/v1/employees/{id}/score"), ("get", "/v1/scores/groups"), ("get", "/v1/leave/whos-out")}

LISTS = sorted(  # the paged lists: every GET of a collection but presence, which is not a list of rows
    key for key in OPERATIONS if key[0] == "get" and not key[1].endswith("}") and key not in EMPTY_NOT_404 | NOT_LISTS
)
BY_ID = sorted(key for key in OPERATIONS if "{" in key[1] and key not in OWN_ROOM_BY_KEY)


def _ids(key) -> str:
    return f"{key[0]} {key[1]}"


def _call(client, method, path, body=None, **params):
    return getattr(client, method)(path, body if method != "get" else (params or None))


@pytest.fixture
def world(api, workspace):
    # Approval mode, so that the world's leave is pending and can be approved or rejected.
    workspace.leave_approval_required = True
    workspace.save()
    return one_of_each(api)


def _row_ids(payload) -> set[str]:
    rows = payload.get("data", []) if isinstance(payload, dict) else []
    return {row.get("id") for row in rows if isinstance(row, dict)} - {None}


def test_every_operation_is_declared():
    served = {(method, path) for path, method, _ in operations(served_spec())}
    assert served == set(OPERATIONS), {"undeclared": served - set(OPERATIONS), "gone": set(OPERATIONS) - served}


def test_every_tenant_viewset_is_reached_and_names_the_declared_scope(world):
    reached = set()
    for method, path in OPERATIONS:
        view_class = resolve(concrete(path, world)).func.cls
        assert issubclass(view_class, TenantViewSet), path
        assert view_class.scope_resource == OPERATIONS[(method, path)][0], (method, path)
        reached.add(view_class)

    def views(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from views(pattern.url_patterns)
            elif hasattr(pattern.callback, "cls"):
                yield pattern.callback.cls

    routed = {cls for cls in views(get_resolver().url_patterns) if issubclass(cls, TenantViewSet)}
    assert routed - reached == set(), "a routed TenantViewSet with no declared operation"


@pytest.mark.parametrize("key", BY_ID, ids=_ids)
def test_another_tenants_ids_are_404_on_every_method_and_write_nothing(world, outsiders, key):
    method, template = key
    path = concrete(template, world)
    body = OPERATIONS[key][1](world) if OPERATIONS[key][1] else None
    events = Event.objects.count()
    for name, outsider in outsiders.items():
        response = _call(outsider, method, path, body)
        if key in EMPTY_NOT_404:
            assert response.status_code == 200 and response.json()["data"] == [], name
            continue
        assert response.status_code == 404, (name, response.content)
        assert response.json()["error"]["code"] == "not_found"
    assert Event.objects.count() == events


@pytest.mark.parametrize("key", LISTS, ids=_ids)
def test_lists_show_nothing_of_another_tenant(api, world, outsiders, key):
    path = concrete(key[1], world)
    mine = _row_ids(api.get(path).json())
    for name, outsider in outsiders.items():
        response = outsider.get(path)
        if response.status_code == 404:  # a list under another tenant's row
            continue
        assert response.status_code == 200, (name, response.content)
        assert not mine & _row_ids(response.json()), name


@pytest.mark.parametrize("key", sorted(OPERATIONS), ids=_ids)
def test_no_key_is_401_and_writes_nothing(client, world, key):
    method, template = key
    body = OPERATIONS[key][1](world) if OPERATIONS[key][1] else None
    events = Event.objects.count()
    response = getattr(client, method)(concrete(template, world), body, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert Event.objects.count() == events


@pytest.mark.parametrize("key", sorted(OPERATIONS), ids=_ids)
def test_scopes(make_api, workspace, world, key):
    """Without the resource's scope: 403 naming it; with a read scope only: reads pass and writes
    are 403; with exactly the write scope the operation succeeds."""
    method, template = key
    resource, make_body = OPERATIONS[key]
    path = concrete(template, world)
    body = make_body(world) if make_body else None
    needed = f"{'read' if method == 'get' else 'write'}:{resource}"
    documented = served_spec()["paths"][template][method]
    assert documented["x-required-scopes"] == [needed], "the document names the scope the server enforces"
    assert f"`{needed}`" in documented["description"] and "403" in documented["responses"]
    others = ",".join(f"write:{other}" for other in sorted({r for r, _ in OPERATIONS.values()} - {resource}))
    for scopes in (others, *((f"read:{resource}",) if method != "get" else ())):
        response = _call(make_api(workspace, scopes=scopes), method, path, body)
        assert response.status_code == 403, (scopes, response.content)
        assert response.json()["error"]["code"] == "permission_denied"
        assert needed in response.json()["error"]["message"]
    granted = f"read:{resource}" if method == "get" else f"write:{resource}"
    response = _call(make_api(workspace, scopes=granted), method, path, body)
    assert response.status_code in (200, 201, 202, 204), (granted, response.content)


FORGED_CURSORS = [
    "garbage",
    "!!!",
    base64.urlsafe_b64encode(b"v1:1 OR 1=1").decode(),
    base64.urlsafe_b64encode(b"v2:emp_01HZY7Q3V4D9W0ZC3J5K7N8P2R").decode(),
]


@pytest.mark.parametrize("key", LISTS, ids=_ids)
def test_forged_cursors_are_400_naming_cursor(api, world, key):
    path = concrete(key[1], world)
    for cursor in FORGED_CURSORS:
        response = api.get(path, {"cursor": cursor})
        assert response.status_code == 400, cursor
        assert response.json()["error"]["code"] == "invalid_request"
        assert response.json()["error"]["fields"] == ["cursor"]


@pytest.mark.parametrize("key", LISTS, ids=_ids)
def test_a_cursor_of_another_list_is_400_naming_cursor(api, world, key):
    path = concrete(key[1], world)
    other = "/v1/kudos" if key[1] != "/v1/kudos" else "/v1/employees"
    api.post("/v1/kudos", {"from_employee_id": world["employee"], "to_employee_id": world["colleague"], "coins": 1})
    cursor = api.get(other, {"limit": 1}).json()["next_cursor"]
    assert cursor is not None
    response = api.get(path, {"cursor": cursor})
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"] == ["cursor"]


@pytest.mark.parametrize("key", LISTS, ids=_ids)
def test_a_cursor_of_one_tenant_reveals_nothing_to_another(api, world, outsiders, key):
    path = concrete(key[1], world)
    # Two rows at least of every list, so its first page has a next cursor: a second set, a
    # second room, and a second comment in the world's thread.
    one_of_each(api)
    api.post("/v1/rooms/release:2025/threads", {"comment": {"body": "Next?", "author_id": world["employee"]}})
    api.post(f"/v1/threads/{world['thread']}/comments", {"body": "Me", "author_id": world["colleague"]})
    first = api.get(path, {"limit": 1}).json()
    assert first["next_cursor"] is not None
    mine = _row_ids(api.get(path).json())
    for name, outsider in outsiders.items():
        response = outsider.get(path, {"cursor": first["next_cursor"]})
        if response.status_code == 404:
            continue
        assert not mine & _row_ids(response.json()), name


# A page costs at most 3 queries (the key, the rows, the count when not cached); lists
# of threads and comments also fetch each row's comments, reactions and authors, in one query each.
# The score history also reads the workspace's score settings (fresh, for privacy) and the employee.
LIST_QUERY_BOUND = {
    ("get", "/v1/rooms/{room_id}/threads"): 6,
    ("get", "/v1/threads/{id}/comments"): 6,
    ("get", "/v1/employees/{id}/score/history"): 5,
}


@pytest.mark.parametrize("key", LISTS, ids=_ids)
def test_a_list_page_costs_the_same_queries_for_one_row_as_for_three(api, world, key, settings):
    # The key records its use at most once a minute; that UPDATE must not land in one count only.
    settings.PULSEHR_KEY_LAST_USED_RESOLUTION_SECONDS = 10**9
    path = concrete(key[1], world)

    def queries() -> int:
        api.get(path)  # warm: the key's lookup and the count cache are per process
        with CaptureQueriesContext(connection) as captured:
            assert api.get(path).status_code == 200
        return len(captured)

    one = queries()
    assert one <= LIST_QUERY_BOUND.get(key, 3)
    one_of_each(api)
    one_of_each(api)
    assert queries() == one
