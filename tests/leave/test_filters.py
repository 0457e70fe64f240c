"""GET /v1/leave: filters, cursor pagination and its cost."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..factories import EmployeeFactory, LeaveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def journal(employee, make_employee):
    colleague = make_employee()
    return {
        "march": LeaveFactory(employee=employee, start_date=date(2026, 3, 2), end_date=date(2026, 3, 6)),
        "sick": LeaveFactory(employee=employee, kind="sick", start_date=date(2026, 4, 1)),
        "pending": LeaveFactory(employee=colleague, status="pending", start_date=date(2026, 3, 9)),
        "cancelled": LeaveFactory(employee=colleague, status="cancelled", start_date=date(2026, 5, 4)),
    }


def ids(api, **params):
    response = api.get("/v1/leave", params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["data"]}


def named(journal, *names):
    return {journal[name].pk for name in names}


def test_no_filter_lists_everything_in_id_order(api, journal):
    body = api.get("/v1/leave").json()
    assert [row["id"] for row in body["data"]] == sorted(leave.pk for leave in journal.values())
    assert body["total_count"] == 4 and body["next_cursor"] is None


def test_filter_by_employee(api, journal, employee):
    assert ids(api, employee_id=employee.pk) == named(journal, "march", "sick")
    assert ids(api, employee_id="emp_01J0000000000000000000000") == set()


def test_filter_by_kind_and_status(api, journal):
    assert ids(api, kind="sick") == named(journal, "sick")
    assert ids(api, status="pending") == named(journal, "pending")
    assert ids(api, status="cancelled") == named(journal, "cancelled")
    assert ids(api, kind="vacation", status="approved") == named(journal, "march")


def test_date_from_and_date_to_select_leave_overlapping_the_window(api, journal):
    assert ids(api, date_from="2026-03-06", date_to="2026-03-09") == named(journal, "march", "pending")
    assert ids(api, date_from="2026-03-07", date_to="2026-03-08") == set()
    assert ids(api, date_from="2026-04-01") == named(journal, "sick", "cancelled")
    assert ids(api, date_to="2026-03-02") == named(journal, "march")


@pytest.mark.parametrize(
    "params,field",
    [
        ({"kind": "holiday"}, "kind"),
        ({"status": "done"}, "status"),
        ({"date_from": "March"}, "date_from"),
        ({"date_to": "2026-13-01"}, "date_to"),
        ({"limit": 0}, "limit"),
        ({"cursor": "nonsense"}, "cursor"),
    ],
)
def test_bad_filter_values_are_400_naming_the_parameter(api, journal, params, field):
    response = api.get("/v1/leave", params)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == [field]


def test_pages_walk_every_row_once_while_rows_are_added(api, employee):
    for week in range(7):
        LeaveFactory(employee=employee, start_date=date(2026, 1, 5 + week * 3))
    seen, cursor = [], None
    while True:
        page = api.get("/v1/leave", {"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [row["id"] for row in page["data"]]
        if len(seen) == 3:
            LeaveFactory(employee=employee, start_date=date(2026, 6, 1))  # inserted between pages
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 8
    assert seen == sorted(seen)


@pytest.mark.parametrize("limit", [1, 50, 200])
def test_a_list_page_costs_at_most_3_queries(api, workspace, limit):
    people = EmployeeFactory.create_batch(5, workspace=workspace)
    for n in range(250):
        LeaveFactory(employee=people[n % 5], start_date=date(2026, 1, 1 + n % 28))
    api.get("/v1/leave", {"limit": 1})  # warms the key: last_used_at is written once
    filtered = {"kind": "vacation", "status": "approved", "date_from": "2026-01-01", "employee_id": people[0].pk}
    for params in ({"limit": limit}, {"limit": limit, **filtered}):
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/v1/leave", params)
        assert response.status_code == 200
        assert len(response.json()["data"]) == (limit if "kind" not in params else min(limit, 50))
        assert len(queries) <= 3, [q["sql"] for q in queries]


def test_a_single_leave_costs_two_queries(api, employee):
    leave = LeaveFactory(employee=employee)
    api.get("/v1/leave", {"limit": 1})
    with CaptureQueriesContext(connection) as queries:
        assert api.get(f"/v1/leave/{leave.pk}").status_code == 200
    assert len(queries) <= 2
