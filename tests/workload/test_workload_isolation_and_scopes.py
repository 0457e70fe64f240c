"""Workload tenancy beyond the contract every resource keeps (tests/api/test_resource_contract.py):
another tenant's people cannot be named, and a check-in belongs to the key's tenant."""

import pytest

from webhooks.models import Event
from workload.models import WorkloadCheckin

from .conftest import CHECKINS

pytestmark = pytest.mark.django_db


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
