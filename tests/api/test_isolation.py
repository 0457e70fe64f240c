"""Employee tenancy beyond the contract every resource keeps (test_resource_contract.py): new
rows belong to the key's workspace and environment, and another tenant's person cannot be a manager."""

import pytest

from employees.models import Employee
from webhooks.models import Event

pytestmark = pytest.mark.django_db


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
