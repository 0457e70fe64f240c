"""Staff pages show times in their workspace's time zone and name it (pulsehr.tenancy.middleware,
pulsehr/formats); the API keeps answering in UTC."""

from datetime import UTC, datetime

import pytest

from employees.models import Employee
from pulsehr.tenancy.models import ApiKey
from pulsehr.tenancy.services import api_key_create

from ..factories import EmployeeFactory, WorkspaceFactory
from ..staff import member_client

pytestmark = pytest.mark.django_db

NOON_UTC = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def new_york():
    workspace = WorkspaceFactory(timezone="America/New_York", country="US")
    employee = EmployeeFactory(workspace=workspace, environment="live", full_name="Grace Hopper")
    Employee.objects.filter(pk=employee.pk).update(created_at=NOON_UTC, updated_at=NOON_UTC)
    return workspace, employee


def test_the_admin_shows_times_in_the_workspaces_zone_named(new_york):
    workspace, employee = new_york
    client = member_client(workspace, role="owner")
    page = client.get(f"/admin/employees/employee/{employee.pk}/change/").content.decode()
    assert "Jan. 15, 2026, 7 a.m. EST" in page  # noon UTC is 7 a.m. in New York in winter
    assert "noon UTC" not in page and "12 p.m." not in page


def test_developers_shows_times_in_the_workspaces_zone_named(new_york):
    workspace, _ = new_york
    key, _ = api_key_create(workspace=workspace, environment="live", name="CRM", scopes="read:*")
    ApiKey.objects.filter(pk=key.pk).update(created_at=NOON_UTC)
    page = member_client(workspace, role="owner").get("/developers").content.decode()
    assert "2026-01-15 07:00 EST" in page


def test_the_api_answers_in_utc(new_york, make_api):
    workspace, employee = new_york
    body = make_api(workspace).get(f"/v1/employees/{employee.pk}").json()
    assert body["created_at"] == "2026-01-15T12:00:00Z"
