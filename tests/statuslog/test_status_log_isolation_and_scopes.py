"""A key sees only its own workspace and environment; and only the right scopes may read or post."""

import pytest

from statuslog.models import StatusLogEntry
from webhooks.models import Event

from .conftest import LINES, STATUS_LOG

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(post_entry):
    response = post_entry(topic="Secret project")
    assert response.status_code == 201
    return response.json()


def test_another_tenants_entry_is_404_by_id(outsiders, entry):
    for name, outsider in outsiders.items():
        response = outsider.get(f"{STATUS_LOG}/{entry['id']}")
        assert response.status_code == 404, name
        assert response.json()["error"]["code"] == "not_found"


def test_lists_show_only_the_callers_workspace_and_environment(outsiders, entry, employee):
    for name, outsider in outsiders.items():
        assert outsider.get(STATUS_LOG).json() == {"data": [], "next_cursor": None, "total_count": 0}, name
        for params in ({"employee_id": employee.pk}, {"topic": "Secret project"}, {"date": entry["date"]}):
            assert outsider.get(STATUS_LOG, params).json()["total_count"] == 0, (name, params)


def test_a_cursor_from_another_tenant_reveals_nothing(api, outsiders, make_employee, post_entry):
    for _ in range(3):
        post_entry(employee_id=make_employee().pk)
    cursor = api.get(STATUS_LOG, {"limit": 1}).json()["next_cursor"]
    for outsider in outsiders.values():
        assert outsider.get(STATUS_LOG, {"cursor": cursor}).json()["data"] == []


def test_another_tenants_employee_cannot_be_named(outsiders, employee):
    Event.objects.all().delete()
    for name, outsider in outsiders.items():
        response = outsider.post(STATUS_LOG, {"employee_id": employee.pk, "lines": LINES})
        assert response.status_code == 422, name
        assert response.json()["error"]["fields"] == ["employee_id"]
    assert not StatusLogEntry.objects.exists() and not Event.objects.exists()


def test_an_entry_belongs_to_the_keys_workspace_and_environment(make_api, workspace, make_employee):
    tester = make_employee(environment="test")
    created = make_api(workspace, "test").post(STATUS_LOG, {"employee_id": tester.pk, "lines": LINES}).json()
    row = StatusLogEntry.objects.get(pk=created["id"])
    assert (row.workspace_id, row.environment) == (workspace.pk, "test")
    event = Event.objects.get()
    assert (event.workspace_id, event.environment) == (workspace.pk, "test")
    assert make_api(workspace, "live").get(f"{STATUS_LOG}/{created['id']}").status_code == 404


def test_the_same_person_and_day_in_another_tenant_is_not_a_duplicate(make_api, workspace, make_employee, post_entry):
    assert post_entry().status_code == 201
    tester = make_employee(environment="test")
    response = make_api(workspace, "test").post(STATUS_LOG, {"employee_id": tester.pk, "lines": LINES})
    assert response.status_code == 201


# scope → which actions it allows on the status log
MATRIX = {
    "read:*": {"read"},
    "write:*": {"read", "write"},
    "read:status_log": {"read"},
    "write:status_log": {"read", "write"},
    "read:employees": set(),
    "write:employees": set(),
    "write:kudos": set(),
    "read:workload,write:kudos": set(),
    "read:status_log,write:kudos": {"read"},
}


@pytest.mark.parametrize("scopes,allowed", MATRIX.items())
def test_scope_matrix(make_api, workspace, make_employee, entry, scopes, allowed):
    api = make_api(workspace, scopes=scopes)
    calls = [
        ("read", "get", STATUS_LOG, None),
        ("read", "get", f"{STATUS_LOG}/{entry['id']}", None),
        ("write", "post", STATUS_LOG, {"employee_id": make_employee().pk, "lines": LINES}),
    ]
    for action, method, path, body in calls:
        response = getattr(api, method)(path, body)
        if action in allowed:
            assert response.status_code in (200, 201), (scopes, method, path, response.content)
        else:
            assert response.status_code == 403, (scopes, method, path)
            assert response.json()["error"]["code"] == "permission_denied"
            assert "status_log" in response.json()["error"]["message"]


def test_no_key_is_401(api, entry):
    api.client.credentials()
    for response in (api.get(STATUS_LOG), api.get(f"{STATUS_LOG}/{entry['id']}"), api.post(STATUS_LOG, {})):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"
