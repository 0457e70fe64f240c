"""Webhook tenancy beyond the contract every resource keeps (tests/api/test_resource_contract.py):
event filters, replays and new rows stay within the key's workspace and environment."""

import pytest

from webhooks.models import Delivery, Event, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(api):
    """An endpoint subscribed to everything and an event delivered to it, in `api`'s tenant."""
    endpoint = api.post("/v1/webhook-endpoints", {"url": "https://hooks.example.com/", "enabled_events": ["*"]}).json()
    api.post("/v1/employees", {"full_name": "Eve", "start_date": "2024-01-01"})
    return {"endpoint": endpoint, "event": Event.objects.get()}


def fill(value, world):
    ids = {"endpoint": world["endpoint"]["id"], "event": world["event"].pk}
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: fill(v, world) for k, v in value.items()}
    return value


def test_event_filters_reveal_nothing_of_another_tenant(outsiders, world):
    for name, outsider in outsiders.items():
        for params in ({"type": "employee.created"}, {"created_after": "2000-01-01T00:00:00Z"}):
            assert outsider.get("/v1/events", params).json()["total_count"] == 0, (name, params)


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
