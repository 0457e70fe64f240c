"""The ledger through the API: approved leave takes, cancelling gives back, in the same
transaction as the leave and its event; adjustments; GET /v1/leave/ledger; the scheduled job
writes each entry once however often, late or irregularly it runs."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leave.models import Leave, LeaveLedgerEntry
from leave.services import ledger_run
from webhooks.models import Event

pytestmark = pytest.mark.django_db


def entries(employee, **filters):
    return list(
        LeaveLedgerEntry.objects.filter(employee=employee, **filters)
        .order_by("effective_date", "id")
        .values_list("entry_type", "effective_date", "amount")
    )


def vacation(api, employee, **params):
    response = api.get(f"/v1/leave/balance/{employee.pk}", params)
    assert response.status_code == 200, response.content
    return next(row for row in response.json()["balances"] if row["kind"] == "vacation")


def test_approved_leave_takes_one_entry_per_working_day_and_cancelling_reverses_them(
    api, employee, log_leave, set_today
):
    set_today(date(2026, 3, 1))
    leave = log_leave("2026-03-05", "2026-03-09").json()  # Thu, Fri, Mon (weekend skipped)
    days = [date(2026, 3, 5), date(2026, 3, 6), date(2026, 3, 9)]
    assert entries(employee, leave_id=leave["id"]) == [("taken", day, Decimal(-1)) for day in days]
    assert vacation(api, employee)["available"] == 22
    assert api.delete(f"/v1/leave/{leave['id']}").status_code == 200
    assert entries(employee, leave_id=leave["id"], entry_type="reversed") == [
        ("reversed", day, Decimal(1)) for day in days
    ]
    assert vacation(api, employee)["available"] == 25
    # Cancelling again writes nothing more.
    api.delete(f"/v1/leave/{leave['id']}")
    assert len(entries(employee, leave_id=leave["id"])) == 6


def test_a_leave_refused_by_a_rule_writes_no_entry_and_no_event(api, employee, log_leave, set_today):
    set_today(date(2026, 3, 1))
    log_leave("2026-03-05")
    before = (LeaveLedgerEntry.objects.count(), Event.objects.count())
    assert log_leave("2026-03-05").status_code == 422  # overlaps
    assert (LeaveLedgerEntry.objects.count(), Event.objects.count()) == before


def test_the_ledger_lists_entries_with_filters_and_cursor_pages(api, employee, make_employee, log_leave, set_today):
    set_today(date(2026, 3, 1))
    log_leave("2026-03-05", "2026-03-06")
    log_leave("2026-04-07", kind="personal")
    other = make_employee()
    api.post("/v1/leave/adjustments", {"employee_id": other.pk, "kind": "vacation", "amount": 1, "reason": "Gift"})
    page = api.get("/v1/leave/ledger", {"employee_id": employee.pk, "limit": 2}).json()
    assert page["total_count"] == 3 and len(page["data"]) == 2 and page["next_cursor"]
    rest = api.get("/v1/leave/ledger", {"employee_id": employee.pk, "cursor": page["next_cursor"]}).json()
    assert [row["effective_date"] for row in page["data"] + rest["data"]] == ["2026-03-05", "2026-03-06", "2026-04-07"]
    assert rest["next_cursor"] is None
    personal = api.get("/v1/leave/ledger", {"employee_id": employee.pk, "kind": "personal"}).json()["data"]
    assert [(row["entry_type"], row["amount"], row["unit"]) for row in personal] == [("taken", -1, "days")]
    march = api.get("/v1/leave/ledger", {"from": "2026-03-06", "to": "2026-03-31"}).json()["data"]
    assert [row["effective_date"] for row in march] == ["2026-03-06"]
    adjustments = api.get("/v1/leave/ledger", {"entry_type": "adjustment"}).json()["data"]
    assert [row["employee_id"] for row in adjustments] == [other.pk]


def test_the_ledger_of_another_tenant_is_invisible(api, employee, outsiders, log_leave, set_today):
    set_today(date(2026, 3, 1))
    log_leave("2026-03-05")
    for outsider in outsiders.values():
        assert outsider.get("/v1/leave/ledger").json()["data"] == []
        assert outsider.get("/v1/leave/ledger", {"employee_id": employee.pk}).json()["total_count"] == 0


# --- Adjustments ---------------------------------------------------------------------------


def test_an_adjustment_adds_to_the_balance_names_who_made_it_and_records_its_event(api, employee, set_today):
    set_today(date(2026, 3, 1))
    body = {"employee_id": employee.pk, "kind": "vacation", "amount": 2.5, "reason": "Worked a Saturday"}
    response = api.post("/v1/leave/adjustments", body)
    assert response.status_code == 201, response.content
    entry = response.json()
    assert entry["id"].startswith("led_") and "Location" not in response
    assert (entry["entry_type"], entry["amount"], entry["unit"], entry["effective_date"]) == (
        "adjustment",
        2.5,
        "days",
        "2026-03-01",
    )
    assert entry["reason"] == "Worked a Saturday"
    assert entry["created_by"] == {"type": "api_key", "id": api.key.pk, "name": api.key.name or f"API key {api.key.pk}"}
    event = Event.objects.get(type="leave.balance_adjusted")
    assert event.data == entry and event.actor == f"api_key:{api.key.pk}"
    assert vacation(api, employee)["available"] == 27.5
    taken = api.post("/v1/leave/adjustments", {**body, "amount": -3, "reason": "Correction"})
    assert taken.status_code == 201
    assert vacation(api, employee)["available"] == 24.5


def test_an_adjustment_is_replayed_under_the_same_idempotency_key(api, employee):
    body = {"employee_id": employee.pk, "kind": "vacation", "amount": 1, "reason": "Gift"}
    first = api.post("/v1/leave/adjustments", body, headers={"Idempotency-Key": "adj-1"})
    again = api.post("/v1/leave/adjustments", body, headers={"Idempotency-Key": "adj-1"})
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert LeaveLedgerEntry.objects.filter(entry_type="adjustment").count() == 1
    assert Event.objects.filter(type="leave.balance_adjusted").count() == 1


@pytest.mark.parametrize(
    "change,status,field",
    [
        ({"amount": 0}, 400, "amount"),
        ({"amount": 0.3}, 400, "amount"),
        ({"amount": "1"}, 400, "amount"),
        ({"reason": ""}, 400, "reason"),
        ({"reason": "   "}, 400, "reason"),
        ({"kind": "holiday"}, 400, "kind"),
        ({"surprise": 1}, 400, "surprise"),
        ({"employee_id": "emp_01J0000000000000000000000"}, 422, "employee_id"),
    ],
)
def test_a_bad_adjustment_is_refused_naming_the_field_and_writes_nothing(api, employee, change, status, field):
    body = {"employee_id": employee.pk, "kind": "vacation", "amount": 1, "reason": "Gift", **change}
    response = api.post("/v1/leave/adjustments", body)
    assert response.status_code == status, response.content
    assert response.json()["error"]["fields"] == [field]
    assert not LeaveLedgerEntry.objects.exists() and not Event.objects.exists()


def test_adjusting_another_tenants_employee_is_refused(api, make_employee, other_workspace):
    for foreign in (make_employee(workspace=other_workspace), make_employee(environment="test")):
        body = {"employee_id": foreign.pk, "kind": "vacation", "amount": 1, "reason": "Gift"}
        assert api.post("/v1/leave/adjustments", body).status_code == 422
    assert not LeaveLedgerEntry.objects.exists()


# --- The scheduled job ----------------------------------------------------------------------


def monthly(workspace, **vacation):
    workspace.leave_allowances = {"vacation": 24}
    workspace.leave_policies = {"kinds": {"vacation": {"accrual": "monthly", **vacation}}}
    workspace.save()


def test_the_job_run_twice_and_after_skipped_days_writes_each_accrual_once(workspace, make_employee):
    monthly(workspace)
    person = make_employee(start_date=date(2025, 11, 17))
    ledger_run(today=date(2026, 1, 1))
    ledger_run(today=date(2026, 1, 1))
    # Nov 2025 prorated (14 of 30 days: 0.93 → 1), Dec, Jan
    assert entries(person, kind="vacation") == [
        ("accrual", date(2025, 11, 17), Decimal(1)),
        ("accrual", date(2025, 12, 1), Decimal(2)),
        ("accrual", date(2026, 1, 1), Decimal(2)),
    ]
    # Beat missed February and most of March; the late runs catch up, each once.
    ledger_run(today=date(2026, 3, 20))
    ledger_run(today=date(2026, 3, 20))
    ledger_run(today=date(2026, 3, 21))
    periods = list(LeaveLedgerEntry.objects.filter(employee=person).values_list("period", flat=True).order_by("period"))
    assert periods == ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]


def test_what_the_balance_counts_before_the_job_runs_is_what_the_job_writes(api, workspace, employee, set_today):
    monthly(workspace)
    set_today(date(2026, 5, 10))
    before = vacation(api, employee)
    assert before["entitled"] == 10 and before["allowance"] == 24 and before["projected_year_end"] == 24
    assert not LeaveLedgerEntry.objects.exists()
    ledger_run(today=date(2026, 5, 10))
    assert sum(amount for *_, amount in entries(employee, effective_date__year=2026)) == 10
    assert vacation(api, employee) == before


def test_an_anniversary_accrual_falls_on_the_hire_date_day(workspace, make_employee):
    monthly(workspace, accrual="anniversary")
    person = make_employee(start_date=date(2025, 1, 31))
    ledger_run(today=date(2025, 4, 30))
    assert [day for _, day, _ in entries(person)] == [
        date(2025, 1, 31),
        date(2025, 2, 28),
        date(2025, 3, 31),
        date(2025, 4, 30),
    ]


def test_carry_over_is_capped_and_lapses_after_its_date_unless_used(api, workspace, make_employee, set_today):
    workspace.leave_allowances = {"vacation": 20}
    workspace.leave_policies = {
        "kinds": {"vacation": {"carry_over": "capped", "carry_over_max": 5, "carry_over_until": "03-31"}}
    }
    workspace.save()
    person = make_employee(start_date=date(2024, 1, 1))
    set_today(date(2025, 12, 1))
    api.post("/v1/leave", {"employee_id": person.pk, "kind": "vacation", "start_date": "2025-06-02"})  # 19 left
    ledger_run(today=date(2026, 1, 2))
    ledger_run(today=date(2026, 1, 2))
    assert entries(person, entry_type="carry_over") == [
        ("carry_over", date(2025, 1, 1), Decimal(5)),  # 2024 unused: 20, capped
        ("carry_over", date(2026, 1, 1), Decimal(5)),
    ]
    set_today(date(2026, 2, 1))
    api.post("/v1/leave", {"employee_id": person.pk, "kind": "vacation", "start_date": "2026-02-02"})
    row = vacation(api, person, year=2026)
    assert row["expires"] == [{"amount": 4, "date": "2026-03-31"}]
    assert (row["entitled"], row["available"]) == (25, 24)
    ledger_run(today=date(2026, 4, 10))
    ledger_run(today=date(2026, 4, 11))
    assert entries(person, entry_type="expiry", effective_date__year=2026) == [
        ("expiry", date(2026, 4, 1), Decimal(-4))
    ]
    row = vacation(api, person, as_of="2026-04-01")
    assert (row["entitled"], row["used"], row["available"], row["expires"]) == (21, 1, 20, [])
    # As of a day before it lapsed, the figures are as they were.
    assert vacation(api, person, as_of="2026-03-31")["available"] == 24


def test_leaving_mid_year_corrects_the_grant_once(api, workspace, employee, set_today):
    set_today(date(2026, 1, 5))
    ledger_run(today=date(2026, 1, 5))
    this_year = {"kind": "vacation", "effective_date__year": 2026}
    assert entries(employee, **this_year) == [("grant", date(2026, 1, 1), Decimal(25))]
    employee.end_date = date(2026, 3, 31)
    employee.save()
    ledger_run(today=date(2026, 1, 6))
    ledger_run(today=date(2026, 1, 7))
    assert entries(employee, **this_year)[1:] == [("grant", date(2026, 1, 6), Decimal(-19))]
    assert vacation(api, employee)["allowance"] == 6


# --- Overdraw and hours ---------------------------------------------------------------------


def test_a_negative_limit_allows_going_below_zero_down_to_it(api, workspace, employee, log_leave, set_today):
    set_today(date(2026, 1, 1))
    workspace.leave_allowances = {"vacation": 2}
    workspace.leave_policies = {"kinds": {"vacation": {"negative_limit": 1}}}
    workspace.save()
    assert log_leave("2026-03-02", "2026-03-04").status_code == 201  # 3 of 2: -1
    response = log_leave("2026-03-05")
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("Only -1 days (and 1 below zero) of vacation are available")


def test_pending_leave_counts_against_what_is_available(api, workspace, employee, log_leave, set_today):
    set_today(date(2026, 1, 1))
    workspace.leave_allowances = {"vacation": 3}
    workspace.leave_approval_required = True
    workspace.save()
    assert log_leave("2026-03-02", "2026-03-03").status_code == 201
    assert log_leave("2026-03-04", "2026-03-05").json()["error"]["fields"] == ["end_date"]


@pytest.fixture
def hourly(workspace):
    workspace.leave_allowances = {"personal": 2}
    workspace.leave_policies = {"hours_per_day": 7.5, "kinds": {"personal": {"unit": "hours"}}}
    workspace.save()


def test_hourly_leave_takes_its_hours(api, employee, log_leave, hourly, set_today):
    set_today(date(2026, 1, 1))
    response = log_leave("2026-03-02", kind="personal", hours=3)
    assert response.status_code == 201, response.content
    assert (response.json()["hours"], response.json()["days"]) == (3, 0.4)
    row = next(r for r in api.get(f"/v1/leave/balance/{employee.pk}").json()["balances"] if r["kind"] == "personal")
    assert (row["unit"], row["allowance"], row["used"], row["planned"], row["available"]) == ("hours", 15, 0, 3, 12)
    # A whole day of an hours kind costs the day's hours.
    assert log_leave("2026-03-03", kind="personal").status_code == 201
    assert entries(employee, effective_date=date(2026, 3, 3)) == [("taken", date(2026, 3, 3), Decimal("-7.5"))]
    over = log_leave("2026-03-04", kind="personal", hours=5)
    assert over.status_code == 422 and over.json()["error"]["fields"] == ["hours"]
    assert "Only 4.5 hours of personal are available" in over.json()["error"]["message"]


@pytest.mark.parametrize(
    "extra",
    [
        {"kind": "vacation", "hours": 2},  # a days kind
        {"kind": "personal", "hours": 2, "end_date": "2026-03-03"},  # several days
        {"kind": "personal", "hours": 2.5},  # not a whole hour
        {"kind": "personal", "hours": 8},  # more than a working day
        {"kind": "personal", "hours": 0},
    ],
)
def test_hours_that_do_not_fit_are_422_naming_hours(api, employee, hourly, set_today, extra):
    set_today(date(2026, 1, 1))
    body = {"employee_id": employee.pk, "start_date": "2026-03-02", **extra}
    response = api.post("/v1/leave", body)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["fields"] == ["hours"]
    assert not Leave.objects.exists()


def test_the_balance_shows_each_kinds_policy(api, workspace, employee):
    workspace.leave_policies = {
        "hours_per_day": 7.5,
        "kinds": {
            "vacation": {
                "accrual": "monthly",
                "carry_over": "capped",
                "carry_over_max": 5,
                "carry_over_until": "03-31",
            },
            "personal": {"unit": "hours", "negative_limit": 4},
        },
    }
    workspace.save()
    rows = {row["kind"]: row for row in api.get(f"/v1/leave/balance/{employee.pk}").json()["balances"]}
    assert rows["vacation"]["policy"] == {
        "accrual": "monthly",
        "carry_over": "capped",
        "carry_over_max": 5,
        "carry_over_until": "03-31",
        "hours_per_day": 7.5,
        "step": 0.5,
        "negative_limit": 0,
    }
    assert (
        rows["personal"]["unit"],
        rows["personal"]["policy"]["step"],
        rows["personal"]["policy"]["negative_limit"],
    ) == (
        "hours",
        1,
        4,
    )
    assert rows["sick"]["policy"]["accrual"] == "upfront"


def test_the_job_goes_through_every_employee_in_batches_and_a_second_run_writes_nothing(
    workspace, make_employee, monkeypatch
):
    import leave.services

    monkeypatch.setattr(leave.services, "LEDGER_RUN_BATCH", 2)
    people = [make_employee(start_date=date(2026, 1, 1)) for _ in range(5)]
    make_employee(environment="test", start_date=date(2026, 1, 1))
    assert ledger_run(today=date(2026, 1, 1)) == 6 * 2  # vacation and personal grants
    assert ledger_run(today=date(2026, 1, 1)) == 0
    for person in people:
        assert sorted(entries(person)) == [
            ("grant", date(2026, 1, 1), Decimal(3)),
            ("grant", date(2026, 1, 1), Decimal(25)),
        ]


def test_a_balance_as_of_a_past_day_stays_the_same_after_later_writes(api, workspace, employee, log_leave, set_today):
    monthly(workspace)
    set_today(date(2026, 3, 10))
    log_leave("2026-02-02", "2026-02-03")
    before = vacation(api, employee, as_of="2026-03-01")
    assert (before["entitled"], before["used"]) == (6, 2)
    ledger_run(today=date(2026, 6, 1))  # the job runs on, months later
    set_today(date(2026, 6, 1))
    assert log_leave("2026-04-07").status_code == 201  # leave after that day
    api.post("/v1/leave/adjustments", {"employee_id": employee.pk, "kind": "vacation", "amount": 1, "reason": "Gift"})
    after = vacation(api, employee, as_of="2026-03-01")
    assert (after["entitled"], after["used"]) == (before["entitled"], before["used"])


@pytest.mark.parametrize("as_of", ["2026-02-30", "26-01-01", "1899-12-31", "today"])
def test_a_bad_as_of_is_400_naming_it(api, employee, as_of):
    response = api.get(f"/v1/leave/balance/{employee.pk}", {"as_of": as_of})
    assert response.status_code == 400 and response.json()["error"]["fields"] == ["as_of"]


def ledger_queries(api, person, **params):
    with CaptureQueriesContext(connection) as queries:
        row = vacation(api, person, **params)
    return row, sum("leave_leaveledgerentry" in q["sql"] for q in queries)


def test_a_balance_reads_the_years_before_only_until_the_carry_over_into_its_year_is_written(
    api, workspace, make_employee, set_today
):
    """Once the carry-over into a year is written, a balance of that year reads that year and the
    carry-overs alone (one query), whatever the years before hold; before it is written, the
    figures are the same, read from the years before (a second query)."""
    monthly(workspace, carry_over="all")
    person = make_employee(start_date=date(2021, 3, 15))
    set_today(date(2025, 6, 3))
    taken = api.post("/v1/leave", {"employee_id": person.pk, "kind": "vacation", "start_date": "2025-06-03"})
    assert taken.status_code == 201, taken.json()
    ledger_run(today=date(2025, 12, 31))
    set_today(date(2026, 2, 10))
    api.get("/v1/leave", {"limit": 1})  # warms the key: last_used_at is written once
    before, reads_before = ledger_queries(api, person)
    assert not LeaveLedgerEntry.objects.filter(employee=person, effective_date__year=2026).exists()
    ledger_run(today=date(2026, 2, 10))
    after, reads_after = ledger_queries(api, person)
    # 2021 (9.5 months of 2 days, rounded to the step) to 2025 less the one day taken, then 2 months of 2026
    assert (reads_before, reads_after) == (2, 1)
    assert after == before
    assert after["entitled"] == Decimal(19) + 24 * 4 - 1 + 4
