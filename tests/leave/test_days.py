"""`days` is computed by the server: the work week, minus public holidays of the workspace's
country (and region), minus company days off."""

from datetime import date

import pytest

from leave.calendar import public_holidays

from ..factories import CompanyDayOffFactory, EmployeeFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db


def days(api, employee, start, end=None, **extra):
    body = {"employee_id": employee.pk, "kind": "vacation", "start_date": start, "end_date": end or start, **extra}
    response = api.post("/v1/leave", body)
    return response.json()["days"] if response.status_code == 201 else response.status_code


@pytest.fixture
def tenant_of(make_api):
    def make(**workspace_fields):
        workspace = WorkspaceFactory(**workspace_fields)
        return make_api(workspace), EmployeeFactory(workspace=workspace)

    return make


def test_italian_holidays_are_not_working_days(api, employee):
    # 2025-12-22 … 2026-01-09: 15 weekdays minus Christmas, St Stephen, New Year and Epiphany.
    assert days(api, employee, "2025-12-22", "2026-01-09") == 11


@pytest.mark.parametrize("holiday", ["2025-12-25", "2025-12-26", "2026-01-01", "2026-01-06"])
def test_leave_on_just_an_italian_holiday_is_422(api, employee, holiday):
    assert days(api, employee, holiday) == 422


def test_a_regional_holiday_counts_only_in_that_region(tenant_of):
    # Epiphany (Tuesday 2026-01-06) is a holiday in Bavaria, not in Germany as a whole.
    api, employee = tenant_of(country="DE", region="")
    assert days(api, employee, "2026-01-05", "2026-01-09") == 5
    api, employee = tenant_of(country="DE", region="BY")
    assert days(api, employee, "2026-01-05", "2026-01-09") == 4
    assert days(api, employee, "2026-01-06") == 422


def test_a_workspace_without_a_known_country_has_no_public_holidays(tenant_of):
    for country in ("", "XX"):
        api, employee = tenant_of(country=country)
        assert days(api, employee, "2025-12-22", "2026-01-09") == 15, country


def test_company_days_off_are_not_working_days_in_either_environment(api, make_api, employee, make_employee):
    CompanyDayOffFactory(workspace=employee.workspace, date=date(2026, 8, 14), name="Summer shutdown")
    assert days(api, employee, "2026-08-10", "2026-08-14") == 4
    test_api = make_api(employee.workspace, "test")
    assert days(test_api, make_employee(environment="test"), "2026-08-10", "2026-08-14") == 4
    assert days(api, make_employee(), "2026-08-14") == 422


def test_another_workspaces_days_off_change_nothing(api, employee, other_workspace):
    CompanyDayOffFactory(workspace=other_workspace, date=date(2026, 8, 14))
    assert days(api, employee, "2026-08-10", "2026-08-14") == 5


def test_a_custom_work_week_counts_only_its_days(tenant_of):
    # Sunday to Thursday: Friday and Saturday are the weekend.
    api, employee = tenant_of(country="", work_week=[7, 1, 2, 3, 4])
    assert days(api, employee, "2026-03-01", "2026-03-07") == 5  # Sunday … Saturday
    assert days(api, employee, "2026-03-06", "2026-03-07") == 422  # Friday + Saturday
    assert days(api, employee, "2026-03-08", half_day=True) == 0.5  # a Sunday is a working day here


def test_a_four_day_week_with_a_holiday(tenant_of):
    api, employee = tenant_of(country="IT", work_week=[1, 2, 3, 4])
    # 2026-04-27 … 2026-05-03: Labour Day (Friday 1 May) is outside this work week anyway.
    assert days(api, employee, "2026-04-27", "2026-05-03") == 4


def test_half_day(api, employee):
    assert days(api, employee, "2026-03-04", half_day=True) == 0.5


def test_days_stay_as_logged_when_a_day_off_is_added_later(api, employee):
    leave = api.post(
        "/v1/leave",
        {"employee_id": employee.pk, "kind": "vacation", "start_date": "2026-08-10", "end_date": "2026-08-14"},
    ).json()
    CompanyDayOffFactory(workspace=employee.workspace, date=date(2026, 8, 12))
    assert api.get(f"/v1/leave/{leave['id']}").json()["days"] == 5


def test_public_holidays_are_cached_per_country_region_and_year():
    public_holidays.cache_clear()
    first = public_holidays("DE", "BY", 2026)
    assert public_holidays("DE", "BY", 2026) is first
    assert public_holidays.cache_info().hits == 1
    assert date(2026, 1, 6) in first and date(2026, 1, 6) not in public_holidays("DE", "", 2026)


def test_an_unknown_region_falls_back_to_national_holidays():
    assert public_holidays("DE", "ZZ", 2026) == public_holidays("DE", "", 2026)
    assert public_holidays("XX", "", 2026) == frozenset()
