"""Tenancy and scopes for every webhook route: another workspace or environment sees 404 on
ids and empty lists; read:webhooks reads, write:webhooks writes, other scopes get 403."""

import pytest

from webhooks.models import Delivery, Event, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(api):
    """An endpoint subscribed to everything and an event delivered to it, in `api`'s tenant."""
    endpoint = api.post("/v1/webhook-endpoints", {"url": "https://hooks.example.com/", "enabled_events": ["*"]}).json()
    api.post("/v1/employees", {"full_name": "Eve", "start_date": "2024-01-01"})
    return {"endpoint": endpoint, "event": Event.objects.get()}


# Every webhook route that names an object, with a valid body where it takes one.
OBJECT_CALLS = [
    ("get", "/v1/webhook-endpoints/{endpoint}", None),
    ("patch", "/v1/webhook-endpoints/{endpoint}", {"description": "Intruder", "url": "https://evil.example.com/"}),
    ("patch", "/v1/webhook-endpoints/{endpoint}", {"disabled": True}),
    ("delete", "/v1/webhook-endpoints/{endpoint}", None),
    ("post", "/v1/webhook-endpoints/{endpoint}/rotate-secret", None),
    ("post", "/v1/webhook-endpoints/{endpoint}/test", None),
    ("get", "/v1/events/{event}", None),
    ("post", "/v1/events/{event}/replay", None),
    ("post", "/v1/events/{event}/replay", {"endpoint_id": "{endpoint}"}),
]


def fill(value, world):
    ids = {"endpoint": world["endpoint"]["id"], "event": world["event"].pk}
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: fill(v, world) for k, v in value.items()}
    return value


@pytest.mark.parametrize("method,path,body", OBJECT_CALLS)
def test_another_tenants_endpoint_or_event_is_404_for_every_route(outsiders, world, method, path, body):
    before = WebhookEndpoint.objects.get()
    for name, outsider in outsiders.items():
        response = getattr(outsider, method)(fill(path, world), fill(body, world))
        assert response.status_code == 404, (name, response.content)
        assert response.json()["error"]["code"] == "not_found"
    after = WebhookEndpoint.objects.get()
    assert (after.url, after.description, after.disabled, after.secret, after.version) == (
        before.url,
        before.description,
        before.disabled,
        before.secret,
        before.version,
    )
    assert Event.objects.count() == 1 and Delivery.objects.count() == 1


@pytest.mark.parametrize("path", ["/v1/webhook-endpoints", "/v1/events"])
def test_lists_show_only_the_callers_workspace_and_environment(api, outsiders, world, path):
    for name, outsider in outsiders.items():
        assert outsider.get(path).json() == {"data": [], "next_cursor": None, "total_count": 0}, name
    assert api.get(path).json()["total_count"] == 1


def test_event_filters_reveal_nothing_of_another_tenant(outsiders, world):
    for name, outsider in outsiders.items():
        for params in ({"type": "employee.created"}, {"created_after": "2000-01-01T00:00:00Z"}):
            assert outsider.get("/v1/events", params).json()["total_count"] == 0, (name, params)


def test_a_cursor_from_another_tenant_reveals_nothing(api, outsiders):
    for n in range(3):
        api.post("/v1/webhook-endpoints", {"url": f"https://h{n}.example.com/", "enabled_events": ["*"]})
        api.post("/v1/employees", {"full_name": f"P{n}", "start_date": "2024-01-01"})
    for path in ("/v1/webhook-endpoints", "/v1/events"):
        cursor = api.get(path, {"limit": 1}).json()["next_cursor"]
        for outsider in outsiders.values():
            assert outsider.get(path, {"cursor": cursor}).json()["data"] == [], path


def test_another_tenants_event_shows_none_of_its_deliveries_through_a_replay_of_ones_own(api, outsiders, world):
    """An outsider replaying its own event to the victim's endpoint id is refused like an unknown id."""
    for outsider in outsiders.values():
        outsider.post("/v1/employees", {"full_name": "Own", "start_date": "2024-01-01"})
        own = Event.objects.filter(workspace=outsider.workspace, environment=outsider.environment).get()
        response = outsider.post(f"/v1/events/{own.pk}/replay", {"endpoint_id": world["endpoint"]["id"]})
        assert response.status_code == 422 and response.json()["error"]["fields"] == ["endpoint_id"]
    assert Delivery.objects.count() == 1


def test_endpoints_and_events_belong_to_the_keys_workspace_and_environment(make_api, workspace):
    test_api = make_api(workspace, "test")
    created = test_api.post("/v1/webhook-endpoints", {"url": "https://h.example.com/", "enabled_events": ["*"]}).json()
    row = WebhookEndpoint.objects.get(pk=created["id"])
    assert (row.workspace_id, row.environment) == (workspace.pk, "test")
    test_api.post(f"/v1/webhook-endpoints/{created['id']}/test")
    event = Event.objects.get()
    assert (event.workspace_id, event.environment, event.type) == (workspace.pk, "test", "ping")
    live = make_api(workspace, "live")
    assert live.get(f"/v1/webhook-endpoints/{created['id']}").status_code == 404
    assert live.get(f"/v1/events/{event.pk}").status_code == 404


# --- Scopes ----------------------------------------------------------------------------------


def calls(world):
    endpoint, event = world["endpoint"]["id"], world["event"].pk
    return [
        ("read", "get", "/v1/webhook-endpoints", None),
        ("read", "get", f"/v1/webhook-endpoints/{endpoint}", None),
        ("read", "get", "/v1/events", None),
        ("read", "get", f"/v1/events/{event}", None),
        ("write", "post", "/v1/webhook-endpoints", {"url": "https://s.example.com/", "enabled_events": ["*"]}),
        ("write", "patch", f"/v1/webhook-endpoints/{endpoint}", {"description": "Scoped"}),
        ("write", "post", f"/v1/webhook-endpoints/{endpoint}/rotate-secret", None),
        ("write", "post", f"/v1/webhook-endpoints/{endpoint}/test", None),
        ("write", "post", f"/v1/events/{event}/replay", None),
        ("write", "delete", f"/v1/webhook-endpoints/{endpoint}", None),
    ]


# scope → which actions it allows on webhooks
MATRIX = {
    "read:webhooks": {"read"},
    "write:webhooks": {"read", "write"},
    "read:*": {"read"},
    "write:*": {"read", "write"},
    "read:employees": set(),
    "write:employees": set(),
    "read:webhooks,write:employees": {"read"},
}


@pytest.mark.parametrize("scopes,allowed", MATRIX.items())
def test_scope_matrix(make_api, workspace, world, scopes, allowed):
    scoped = make_api(workspace, scopes=scopes)
    for action, method, path, body in calls(world):
        response = getattr(scoped, method)(path, body)
        if action in allowed:
            assert response.status_code in (200, 201, 202, 204), (scopes, method, path, response.content)
        else:
            assert response.status_code == 403, (scopes, method, path)
            error = response.json()["error"]
            assert error["code"] == "permission_denied"
            assert f"'{action}:webhooks'" in error["message"]
    if "write" not in allowed:
        endpoint = WebhookEndpoint.objects.get()
        assert (endpoint.version, endpoint.description) == (1, "")
        assert Event.objects.count() == 1 and Delivery.objects.count() == 1


def test_no_key_is_401(client, db):
    for path in ("/v1/webhook-endpoints", "/v1/events"):
        response = client.get(path)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"
