"""A key sees only its own workspace and environment: everything else is 404 or empty."""

import pytest

from leave.models import Leave
from webhooks.models import Event

from ..factories import LeaveFactory

pytestmark = pytest.mark.django_db


def test_another_tenants_leave_is_404_on_get_and_delete(outsiders, employee):
    leave = LeaveFactory(employee=employee)
    for name, outsider in outsiders.items():
        for method in ("get", "delete"):
            response = getattr(outsider, method)(f"/v1/leave/{leave.pk}")
            assert response.status_code == 404, (name, method)
            assert response.json()["error"]["code"] == "not_found"
    leave.refresh_from_db()
    assert (leave.status, leave.version) == ("approved", 1)
    assert not Event.objects.exists()


def test_another_tenants_balance_is_404(outsiders, employee):
    for name, outsider in outsiders.items():
        assert outsider.get(f"/v1/leave/balance/{employee.pk}").status_code == 404, name


def test_lists_show_only_the_callers_workspace_and_environment(outsiders, employee):
    LeaveFactory(employee=employee)
    for name, outsider in outsiders.items():
        assert outsider.get("/v1/leave").json() == {"data": [], "next_cursor": None, "total_count": 0}, name
        assert outsider.get("/v1/leave", {"employee_id": employee.pk}).json()["total_count"] == 0, name


def test_logging_leave_for_another_tenants_employee_is_422_naming_it(outsiders, employee):
    body = {"employee_id": employee.pk, "kind": "vacation", "start_date": "2026-03-04"}
    for name, outsider in outsiders.items():
        response = outsider.post("/v1/leave", body)
        assert response.status_code == 422, name
        assert response.json()["error"]["fields"] == ["employee_id"]
    assert not Leave.objects.exists() and not Event.objects.exists()


def test_created_leave_belongs_to_the_keys_workspace_and_environment(make_api, workspace, make_employee):
    test_api = make_api(workspace, "test")
    person = make_employee(environment="test")
    created = test_api.post("/v1/leave", {"employee_id": person.pk, "kind": "sick", "start_date": "2026-03-04"})
    row = Leave.objects.get(pk=created.json()["id"])
    assert (row.workspace_id, row.environment) == (workspace.pk, "test")
    event = Event.objects.get()
    assert (event.workspace_id, event.environment) == (workspace.pk, "test")
