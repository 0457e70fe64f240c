"""Today is where the workspace is, not where the server is: the default date and the
"not in the future" rule follow the workspace's time zone. The clock is frozen at
2024-05-15 10:30 UTC, when it is already the 16th in Kiritimati (UTC+14) and still the 14th
in Pago Pago (UTC-11), so these cannot flake around midnight."""

from datetime import UTC, datetime

import pytest

from tests.factories import EmployeeFactory, WorkspaceFactory
from tests.helpers import freeze_workspace_clock

from .conftest import LINES, STATUS_LOG

pytestmark = pytest.mark.django_db

TODAY_BY_ZONE = {"Pacific/Kiritimati": "2024-05-16", "UTC": "2024-05-15", "Pacific/Pago_Pago": "2024-05-14"}


@pytest.fixture
def post_in(make_api):
    def post(zone, **body):
        workspace = WorkspaceFactory(timezone=zone)
        employee = EmployeeFactory(workspace=workspace)
        return make_api(workspace).post(STATUS_LOG, {"employee_id": employee.pk, "lines": LINES, **body})

    return post


@pytest.mark.parametrize("zone,today", TODAY_BY_ZONE.items())
def test_the_default_date_is_today_in_the_workspace_time_zone(post_in, zone, today):
    response = post_in(zone)
    assert response.status_code == 201, response.content
    assert response.json()["date"] == today


def test_tomorrow_in_pago_pago_is_already_today_in_kiritimati(post_in):
    assert post_in("Pacific/Kiritimati", date="2024-05-16").status_code == 201
    late = post_in("Pacific/Pago_Pago", date="2024-05-15")
    assert late.status_code == 422
    assert late.json()["error"]["fields"] == ["date"]
    assert "Pacific/Pago_Pago" in late.json()["error"]["message"]


def test_the_date_rolls_over_at_the_workspaces_midnight_not_utcs(post_in, monkeypatch):
    # 23:59 UTC on the 15th is 10:59 on the 15th in Pago Pago and 13:59 on the 16th in Kiritimati.
    freeze_workspace_clock(monkeypatch, datetime(2024, 5, 15, 23, 59, tzinfo=UTC))
    assert post_in("Pacific/Pago_Pago").json()["date"] == "2024-05-15"
    # One minute later UTC has moved on but Pago Pago has not.
    freeze_workspace_clock(monkeypatch, datetime(2024, 5, 16, 0, 0, tzinfo=UTC))
    assert post_in("UTC").json()["date"] == "2024-05-16"
    assert post_in("Pacific/Pago_Pago").json()["date"] == "2024-05-15"
    assert post_in("Pacific/Kiritimati").json()["date"] == "2024-05-16"
