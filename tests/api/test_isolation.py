"""Tenancy is security: a key sees only its own workspace and environment, and anything
else answers 404 exactly as an unknown id does."""

import pytest

from employees.models import Employee
from webhooks.models import Event

pytestmark = pytest.mark.django_db


# Every employee endpoint that names an object, with a valid body where it takes one.
OBJECT_CALLS = [
    ("get", None),
    ("patch", {"role": "Intruder"}),
    ("delete", None),
]


@pytest.mark.parametrize("method,body", OBJECT_CALLS)
def test_another_tenants_employee_is_404_for_every_endpoint(outsiders, employee, method, body):
    for name, outsider in outsiders.items():
        response = getattr(outsider, method)(f"/v1/employees/{employee.pk}", body)
        assert response.status_code == 404, name
        assert response.json()["error"]["code"] == "not_found"
    employee.refresh_from_db()
    assert employee.role != "Intruder" and employee.end_date is None and employee.version == 1
    assert not Event.objects.exists()


def test_lists_show_only_the_callers_workspace_and_environment(api, outsiders, employee, make_employee):
    for name, outsider in outsiders.items():
        body = outsider.get("/v1/employees").json()
        assert body == {"data": [], "next_cursor": None, "total_count": 0}, name
        assert outsider.get("/v1/employees", {"manager_id": employee.pk}).json()["total_count"] == 0


def test_a_cursor_from_another_tenant_reveals_nothing(api, outsiders, make_employee):
    for _ in range(3):
        make_employee()
    cursor = api.get("/v1/employees", {"limit": 1}).json()["next_cursor"]
    for outsider in outsiders.values():
        assert outsider.get("/v1/employees", {"cursor": cursor}).json()["data"] == []


def test_created_rows_belong_to_the_keys_workspace_and_environment(make_api, workspace):
    test_api = make_api(workspace, "test")
    created = test_api.post("/v1/employees", {"full_name": "T", "start_date": "2024-01-01"}).json()
    row = Employee.objects.get(pk=created["id"])
    assert (row.workspace_id, row.environment) == (workspace.pk, "test")
    event = Event.objects.get()
    assert (event.workspace_id, event.environment) == (workspace.pk, "test")
    assert make_api(workspace, "live").get(f"/v1/employees/{created['id']}").status_code == 404


def test_another_tenants_employee_cannot_be_named_as_manager(outsiders, employee):
    for outsider in outsiders.values():
        response = outsider.post(
            "/v1/employees", {"full_name": "X", "start_date": "2024-01-01", "manager_id": employee.pk}
        )
        assert response.status_code == 422
        assert response.json()["error"]["fields"] == ["manager_id"]
