"""The current week is where the workspace is. The clock is frozen at Sunday 2024-05-12
23:30 UTC: already Monday the 13th in Kiritimati (UTC+14), still Sunday in UTC and in Pago
Pago (UTC-11), so the current week differs by zone and these cannot flake around midnight."""

from datetime import UTC, datetime

import pytest

from tests.factories import EmployeeFactory, WorkspaceFactory
from tests.helpers import freeze_workspace_clock

from .conftest import CHECKINS

pytestmark = pytest.mark.django_db

SUNDAY_NIGHT_UTC = datetime(2024, 5, 12, 23, 30, tzinfo=UTC)
CURRENT_WEEK_BY_ZONE = {"Pacific/Kiritimati": "2024-05-13", "UTC": "2024-05-06", "Pacific/Pago_Pago": "2024-05-06"}


@pytest.fixture(autouse=True)
def _sunday_night_utc(monkeypatch):
    freeze_workspace_clock(monkeypatch, SUNDAY_NIGHT_UTC)


@pytest.fixture
def check_in_at(make_api):
    def post(zone, **body):
        workspace = WorkspaceFactory(timezone=zone)
        employee = EmployeeFactory(workspace=workspace)
        return make_api(workspace).post(CHECKINS, {"employee_id": employee.pk, "level": "light", **body})

    return post


@pytest.mark.parametrize("zone,week", CURRENT_WEEK_BY_ZONE.items())
def test_the_default_week_is_the_current_week_in_the_workspace_time_zone(check_in_at, zone, week):
    response = check_in_at(zone)
    assert response.status_code == 201, response.content
    assert response.json()["week_start"] == week


def test_the_week_that_has_begun_in_kiritimati_is_still_the_future_in_pago_pago(check_in_at):
    assert check_in_at("Pacific/Kiritimati", week_start="2024-05-13").status_code == 201
    early = check_in_at("Pacific/Pago_Pago", week_start="2024-05-13")
    assert early.status_code == 422
    assert early.json()["error"]["fields"] == ["week_start"]
    assert "Pacific/Pago_Pago" in early.json()["error"]["message"]


def test_the_week_turns_at_the_workspaces_monday_midnight(check_in_at, monkeypatch):
    freeze_workspace_clock(monkeypatch, datetime(2024, 5, 13, 10, 59, tzinfo=UTC))  # 23:59 Sunday in Pago Pago
    assert check_in_at("Pacific/Pago_Pago").json()["week_start"] == "2024-05-06"
    freeze_workspace_clock(monkeypatch, datetime(2024, 5, 13, 11, 0, tzinfo=UTC))  # 00:00 Monday there
    assert check_in_at("Pacific/Pago_Pago").json()["week_start"] == "2024-05-13"
