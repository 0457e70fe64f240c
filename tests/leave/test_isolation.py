"""Leave tenancy beyond the contract every resource keeps (tests/api/test_resource_contract.py):
another tenant's person cannot take leave here, and leave belongs to the key's tenant."""

import pytest

from leave.models import Leave
from webhooks.models import Event

pytestmark = pytest.mark.django_db


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
