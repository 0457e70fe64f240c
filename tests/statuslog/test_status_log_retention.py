"""Entries outlive nothing they belong to: an employee with entries cannot be deleted on their
own (HR data is never destroyed by accident), but deleting a whole workspace removes them."""

from datetime import date

import pytest
from django.db.models import RestrictedError

from statuslog.models import StatusLogEntry
from workload.models import WorkloadCheckin

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(employee):
    tenant = {"workspace": employee.workspace, "environment": "live", "employee": employee}
    StatusLogEntry.objects.create(**tenant, date=date(2024, 5, 14), lines=["One"])
    WorkloadCheckin.objects.create(**tenant, week_start=date(2024, 5, 13), level="heavy")


def test_an_employee_with_entries_or_check_ins_cannot_be_deleted_alone(records, employee):
    with pytest.raises(RestrictedError):
        employee.delete()
    assert StatusLogEntry.objects.exists() and WorkloadCheckin.objects.exists()


def test_deleting_the_workspace_removes_its_entries_and_check_ins(records, workspace):
    workspace.delete()
    assert not StatusLogEntry.objects.exists() and not WorkloadCheckin.objects.exists()
