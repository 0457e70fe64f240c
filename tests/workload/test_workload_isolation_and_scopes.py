"""A key sees only its own workspace and environment; and only the right scopes may read or record."""

import pytest

from webhooks.models import Event
from workload.models import WorkloadCheckin

from .conftest import CHECKINS

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkin(check_in):
    response = check_in(level="overloaded")
    assert response.status_code == 201
    return response.json()


def test_another_tenants_check_in_is_404_by_id_like_any_id(outsiders, checkin):
    for name, outsider in outsiders.items():
        response = outsider.get(f"{CHECKINS}/{checkin['id']}")
        assert response.status_code == 404, name
        assert response.json()["error"]["code"] == "not_found"


def test_lists_show_only_the_callers_workspace_and_environment(outsiders, checkin, employee):
    for name, outsider in outsiders.items():
        assert outsider.get(CHECKINS).json() == {"data": [], "next_cursor": None, "total_count": 0}, name
        for params in ({"employee_id": employee.pk}, {"level": "overloaded"}, {"week_start": checkin["week_start"]}):
            assert outsider.get(CHECKINS, params).json()["total_count"] == 0, (name, params)


def test_a_cursor_from_another_tenant_reveals_nothing(api, outsiders, make_employee, check_in):
    for _ in range(3):
        check_in(employee_id=make_employee().pk)
    cursor = api.get(CHECKINS, {"limit": 1}).json()["next_cursor"]
    for outsider in outsiders.values():
        assert outsider.get(CHECKINS, {"cursor": cursor}).json()["data"] == []


def test_another_tenants_employee_cannot_be_named(outsiders, employee):
    for name, outsider in outsiders.items():
        response = outsider.post(CHECKINS, {"employee_id": employee.pk, "level": "light"})
        assert response.status_code == 422, name
        assert response.json()["error"]["fields"] == ["employee_id"]
    assert not WorkloadCheckin.objects.exists() and not Event.objects.exists()


def test_a_check_in_belongs_to_the_keys_workspace_and_environment(make_api, workspace, make_employee):
    tester = make_employee(environment="test")
    test_api = make_api(workspace, "test")
    created = test_api.post(CHECKINS, {"employee_id": tester.pk, "level": "light"}).json()
    row = WorkloadCheckin.objects.get(pk=created["id"])
    assert (row.workspace_id, row.environment) == (workspace.pk, "test")
    event = Event.objects.get()
    assert (event.workspace_id, event.environment) == (workspace.pk, "test")
    assert make_api(workspace, "live").get(CHECKINS).json()["total_count"] == 0
    assert test_api.get(CHECKINS).json()["data"] == [created]


# scope → which actions it allows on workload check-ins
MATRIX = {
    "read:*": {"read"},
    "write:*": {"read", "write"},
    "read:workload": {"read"},
    "write:workload": {"read", "write"},
    "read:employees": set(),
    "write:status_log": set(),
    "write:kudos": set(),
    "read:status_log,write:kudos": set(),
    "read:workload,write:kudos": {"read"},
}


@pytest.mark.parametrize("scopes,allowed", MATRIX.items())
def test_scope_matrix(make_api, workspace, make_employee, checkin, scopes, allowed):
    api = make_api(workspace, scopes=scopes)
    calls = [
        ("read", "get", CHECKINS, None),
        ("write", "post", CHECKINS, {"employee_id": make_employee().pk, "level": "light"}),
    ]
    for action, method, path, body in calls:
        response = getattr(api, method)(path, body)
        if action in allowed:
            assert response.status_code in (200, 201), (scopes, method, path, response.content)
        else:
            assert response.status_code == 403, (scopes, method, path)
            assert response.json()["error"]["code"] == "permission_denied"
            assert "workload" in response.json()["error"]["message"]


def test_no_key_is_401(api):
    api.client.credentials()
    for response in (api.get(CHECKINS), api.post(CHECKINS, {})):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"
