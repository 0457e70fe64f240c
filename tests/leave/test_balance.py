"""GET /v1/leave/balance/{employee_id}: allowance, used, planned and remaining per kind."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ..factories import LeaveFactory

pytestmark = pytest.mark.django_db

KINDS = ["vacation", "sick", "personal", "parental", "unpaid"]


def balance(api, employee, year=None):
    response = api.get(f"/v1/leave/balance/{employee.pk}", {"year": year} if year else None)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["employee_id"] == employee.pk
    assert [row["kind"] for row in body["balances"]] == KINDS
    old = ("allowance", "used", "planned", "remaining")  # the fields from before the ledger, with their meaning
    return body["year"], {row["kind"]: {name: row[name] for name in old} for row in body["balances"]}


def row(allowance, used, planned, remaining):
    return {"allowance": allowance, "used": used, "planned": planned, "remaining": remaining}


def test_defaults_to_this_year_with_the_default_allowances(api, employee, set_today):
    set_today(date(2026, 5, 1))
    year, balances = balance(api, employee)
    assert year == 2026
    assert balances == {
        "vacation": row(25, 0, 0, 25),
        "sick": row(None, 0, 0, None),
        "personal": row(3, 0, 0, 3),
        "parental": row(None, 0, 0, None),
        "unpaid": row(None, 0, 0, None),
    }


def test_the_default_year_is_the_workspaces_not_the_servers(api, workspace, employee):
    workspace.timezone = "Pacific/Kiritimati"  # UTC+14: often a day ahead of the server
    workspace.save()
    year, _ = balance(api, employee)
    assert year == datetime.now(ZoneInfo("Pacific/Kiritimati")).year


def test_used_counts_approved_days_up_to_today_and_planned_the_rest(api, employee, log_leave, set_today):
    set_today(date(2026, 3, 4))  # a Wednesday
    log_leave("2026-02-09", "2026-02-13")  # past: 5 used
    log_leave("2026-03-02", "2026-03-06")  # straddles today: Mon–Wed used, Thu–Fri planned
    log_leave("2026-04-13", "2026-04-14")  # future: 2 planned
    assert log_leave("2026-02-16", kind="personal", half_day=True).status_code == 201  # past: used
    assert log_leave("2026-03-09", kind="personal").status_code == 201  # future: planned
    _, balances = balance(api, employee, 2026)
    assert balances["vacation"] == row(25, 8, 4, 13)
    assert balances["personal"] == row(3, 0.5, 1, 1.5)


def test_pending_leave_is_planned_until_decided(api, employee, workspace, log_leave, set_today):
    set_today(date(2026, 3, 4))
    workspace.leave_approval_required = True
    workspace.save()
    log_leave("2026-03-02", "2026-03-06")  # pending, partly in the past: still not used
    log_leave("2026-05-04")
    _, balances = balance(api, employee, 2026)
    assert balances["vacation"] == row(25, 0, 6, 19)


def test_leave_across_new_year_counts_in_each_year_by_its_working_days(api, employee, log_leave, set_today):
    set_today(date(2026, 1, 5))
    assert log_leave("2025-12-22", "2026-01-09").json()["days"] == 11
    _, last_year = balance(api, employee, 2025)
    assert last_year["vacation"] == row(25, 6, 0, 19)  # 22–24, 29–31 Dec
    _, this_year = balance(api, employee, 2026)
    # 2 Jan and 5 Jan are used (1 Jan is a holiday); 7–9 Jan are planned (6 Jan is Epiphany).
    assert this_year["vacation"] == row(25, 2, 3, 20)
    _, next_year = balance(api, employee, 2027)
    assert next_year["vacation"] == row(25, 0, 0, 25)


def test_cancelled_and_rejected_leave_count_nowhere(api, employee, set_today):
    set_today(date(2026, 6, 1))
    for status, start in (("cancelled", "2026-03-02"), ("rejected", "2026-07-06")):
        LeaveFactory(employee=employee, status=status, start_date=date.fromisoformat(start), days=Decimal(1))
    LeaveFactory(employee=employee, status="approved", start_date=date(2026, 7, 7), days=Decimal(1))
    _, balances = balance(api, employee, 2026)
    assert balances["vacation"] == row(25, 0, 1, 24)


def test_unlimited_kinds_count_days_but_have_no_allowance_or_remaining(api, employee, log_leave, set_today):
    set_today(date(2026, 6, 1))
    log_leave("2026-03-02", "2026-03-03", kind="sick")
    log_leave("2026-09-07", kind="unpaid")
    _, balances = balance(api, employee, 2026)
    assert balances["sick"] == row(None, 2, 0, None)
    assert balances["unpaid"] == row(None, 0, 1, None)


def test_the_workspaces_allowances_decide_which_kinds_are_limited(api, workspace, employee):
    workspace.leave_allowances = {"vacation": 20, "sick": 10.5}
    workspace.save()
    _, balances = balance(api, employee, 2026)
    assert balances["vacation"]["allowance"] == 20
    assert balances["sick"] == row(10.5, 0, 0, 10.5)
    assert balances["personal"] == row(None, 0, 0, None)


def test_a_request_beyond_the_balance_is_422_naming_end_date_and_saying_what_is_available(
    api, workspace, employee, log_leave, set_today
):
    # Issue 18 changed this: a 3-day request on a 2-day allowance used to answer 201 and leave -1.
    set_today(date(2026, 1, 1))
    workspace.leave_allowances = {"vacation": 2}
    workspace.save()
    response = log_leave("2026-03-02", "2026-03-04")
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["fields"] == ["end_date"] and error["code"] == "unprocessable_entity"
    assert "Only 2 days of vacation are available on 2026-03-04; this request needs 3 days." in error["message"]
    _, balances = balance(api, employee, 2026)
    assert balances["vacation"] == row(2, 0, 0, 2)


@pytest.mark.parametrize(
    "start,end,vacation,personal",
    [
        # joins 1 July: 184 of 365 days → 12.60 → 12.5 and 1.51 → 1.5
        (date(2026, 7, 1), None, 12.5, 1.5),
        # joins 1 October: 92 days → 6.30 → 6.5 and 0.76 → 1
        (date(2026, 10, 1), None, 6.5, 1),
        # leaves 31 March: 90 days → 6.16 → 6 and 0.74 → 0.5
        (date(2022, 3, 1), date(2026, 3, 31), 6, 0.5),
        # joins 1 April and leaves 30 September: 183 days → 12.53 → 12.5 and 1.50 → 1.5
        (date(2026, 4, 1), date(2026, 9, 30), 12.5, 1.5),
        # employed all year
        (date(2026, 1, 1), date(2026, 12, 31), 25, 3),
        # joins next year, or left last year: nothing this year
        (date(2027, 1, 4), None, 0, 0),
        (date(2022, 3, 1), date(2025, 12, 31), 0, 0),
    ],
)
def test_allowances_are_prorated_by_days_employed_to_the_nearest_half_day(
    api, make_employee, start, end, vacation, personal
):
    employee = make_employee(start_date=start, end_date=end)
    _, balances = balance(api, employee, 2026)
    assert (balances["vacation"]["allowance"], balances["personal"]["allowance"]) == (vacation, personal)
    assert balances["vacation"]["remaining"] == vacation


def test_proration_uses_366_days_in_a_leap_year(api, make_employee):
    # Joins 2 July 2028: 183 of 366 days is exactly half a year.
    _, balances = balance(api, make_employee(start_date=date(2028, 7, 2)), 2028)
    assert balances["vacation"]["allowance"] == 12.5


def test_a_former_employee_still_has_a_balance(api, make_employee, set_today):
    set_today(date(2026, 6, 1))
    leaver = make_employee(end_date=date(2026, 3, 31))
    LeaveFactory(employee=leaver, start_date=date(2026, 3, 30), end_date=date(2026, 3, 31), days=Decimal(2))
    _, balances = balance(api, leaver, 2026)
    assert balances["vacation"] == row(6, 2, 0, 4)


@pytest.mark.parametrize("year", ["abc", "1899", "2200", "2026.5", "-2026", "²"])
def test_a_bad_year_is_400_naming_year(api, employee, year):
    response = api.get(f"/v1/leave/balance/{employee.pk}", {"year": year})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == ["year"]


def test_an_unknown_employee_is_404(api):
    response = api.get("/v1/leave/balance/emp_01J0000000000000000000000")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_another_tenants_employee_is_404(api, make_employee, other_workspace):
    for foreign in (make_employee(workspace=other_workspace), make_employee(environment="test")):
        assert api.get(f"/v1/leave/balance/{foreign.pk}").status_code == 404


def test_balance_does_not_collide_with_leave_ids(api):
    assert api.get("/v1/leave/balance").status_code == 404
