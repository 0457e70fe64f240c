"""The reads behind scores: one person's (one statement) and the whole tenant's agree."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from pulsehr.tenancy.context import Tenant
from scores.selectors import employee_score, people_employed_on, person_of, scores_for
from statuslog.models import StatusLogEntry
from tests.factories import CompanyDayOffFactory, EmployeeFactory, KudosFactory, LeaveFactory
from workload.models import WorkloadCheckin

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)
WINDOW_START = MONDAY - timedelta(weeks=11)


def test_one_employees_score_is_what_the_bulk_computation_gives(workspace):
    """The API's one-person read (one statement) and the weekly snapshot's bulk reads give the
    same score for everyone: kudos inside and outside the window and from the other environment,
    status-log days before joining and after leaving, check-ins whose streak starts the week before
    the 12-week window, approved, pending and rejected leave, and a company day off."""
    workspace.timezone = "Europe/Rome"
    workspace.leave_allowances = {"vacation": 25}
    workspace.save()
    tenant = Tenant(workspace, "live")
    as_of = MONDAY + timedelta(days=2)
    joined = EmployeeFactory(workspace=workspace, start_date=as_of - timedelta(days=40))
    leaving = EmployeeFactory(workspace=workspace, end_date=as_of - timedelta(days=5))
    busy, quiet = EmployeeFactory(workspace=workspace), EmployeeFactory(workspace=workspace)
    elsewhere = [EmployeeFactory(workspace=workspace, environment="test") for _ in range(2)]
    rome = ZoneInfo("Europe/Rome")
    for giver, receiver, days_ago in [
        (joined, busy, 3),
        (leaving, busy, 10),
        (quiet, busy, 10),
        (joined, busy, 200),
        (busy, joined, 0),
    ]:
        when = datetime.combine(as_of - timedelta(days=days_ago), time(9), rome)
        KudosFactory(from_employee=giver, to_employee=receiver, created_at=when)
    KudosFactory(from_employee=elsewhere[0], to_employee=elsewhere[1])
    for person in (joined, leaving, busy):
        for days_ago in range(0, 60, 3):
            StatusLogEntry.objects.create(
                workspace=workspace,
                environment="live",
                employee=person,
                date=as_of - timedelta(days=days_ago),
                lines=["Worked"],
            )
    for offset, level in {
        -1: "overloaded",
        0: "overloaded",
        1: "overloaded",
        5: "heavy",
        11: "balanced",
        12: "light",
    }.items():
        WorkloadCheckin.objects.create(
            workspace=workspace,
            environment="live",
            employee=busy,
            week_start=WINDOW_START + timedelta(weeks=offset),
            level=level,
        )
    LeaveFactory(employee=busy, start_date=as_of - timedelta(days=30), end_date=as_of - timedelta(days=28), days=3)
    LeaveFactory(employee=busy, start_date=as_of + timedelta(days=6), status="pending")
    LeaveFactory(employee=joined, start_date=as_of - timedelta(days=9), status="rejected")
    CompanyDayOffFactory(workspace=workspace, date=as_of - timedelta(days=16), name="Founders' day")
    people = [joined, leaving, busy, quiet]
    bulk = dict(scores_for(tenant=tenant, people=people_employed_on(tenant=tenant, day=as_of), as_of=as_of))
    assert len(bulk) == 3  # `leaving` has left by as_of
    for employee in people:
        person, score = employee_score(tenant=tenant, person=person_of(employee), as_of=as_of)
        if person in bulk:
            assert score == bulk[person], employee.full_name
    assert all(factor.score is not None for factor in bulk[next(p for p in bulk if p.id == busy.pk)].factors)
