"""Status-log tenancy beyond the contract every resource keeps (tests/api/test_resource_contract.py):
another tenant's people cannot be named, and a day is a duplicate only within one tenant."""

import pytest

from statuslog.models import StatusLogEntry
from webhooks.models import Event

from .conftest import LINES, STATUS_LOG

pytestmark = pytest.mark.django_db


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
