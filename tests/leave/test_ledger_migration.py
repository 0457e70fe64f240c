"""The ledger reproduces the balances computed before it: the migration's entries, summed, give
the old figures for every employee, kind and year. The old computation is kept here, in
tests/leave/old_balances.py, for this comparison only."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps

from leave.choices import ACTIVE_STATUSES
from leave.models import Leave, LeaveLedgerEntry
from leave.selectors import calendar_for, leave_balances
from pulsehr.tenancy.context import Tenant

from ..factories import CompanyDayOffFactory, EmployeeFactory, LeaveFactory
from .old_balances import LeaveSpan, compute_balances

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 4)


def old_balances(tenant, employee, year):
    rows = (
        tenant.scope(Leave.objects)
        .filter(employee_id=employee.pk, status__in=ACTIVE_STATUSES)
        .values_list("kind", "start_date", "end_date", "days", "status")
    )
    first, last = date(year, 1, 1), date(year, 12, 31)
    return {
        b.kind: (b.allowance, b.used, b.planned, b.remaining)
        for b in compute_balances(
            year=year,
            today=TODAY,
            allowances=tenant.workspace.leave_allowances,
            employment_start=employee.start_date,
            employment_end=employee.end_date,
            leaves=[LeaveSpan(*row) for row in rows],
            calendar=lambda: calendar_for(workspace=tenant.workspace, start=first, end=last),
        )
    }


def new_balances(tenant, employee, year):
    as_of = min(max(TODAY, date(year, 1, 1)), date(year, 12, 31))
    _, balances = leave_balances(tenant=tenant, employee_id=employee.pk, year=year, as_of=as_of, used_until=TODAY)
    return {b.kind: (b.allowance, b.used, b.planned, b.remaining) for b in balances}


@pytest.fixture
def journal(workspace, set_today):
    """Employees who join and leave at awkward times, and leave of every kind and status: across
    New Year, straddling today, half days, a company day off added after a leave was logged."""
    set_today(TODAY)
    workspace.leave_allowances = {"vacation": 25, "personal": 2.5, "sick": 10}
    workspace.save()
    people = [
        EmployeeFactory(workspace=workspace, start_date=date(2019, 5, 17)),
        EmployeeFactory(workspace=workspace, start_date=date(2025, 7, 1)),
        EmployeeFactory(workspace=workspace, start_date=date(2024, 2, 29), end_date=date(2026, 3, 31)),
        EmployeeFactory(workspace=workspace, start_date=date(2026, 10, 1)),
        EmployeeFactory(workspace=workspace, start_date=date(2022, 1, 1), end_date=date(2025, 6, 30)),
        EmployeeFactory(workspace=workspace, environment="test", start_date=date(2023, 4, 3)),
    ]
    spans = [
        ("vacation", date(2025, 12, 22), date(2026, 1, 9), Decimal(11), False, "approved"),
        ("vacation", date(2026, 3, 2), date(2026, 3, 6), Decimal(5), False, "approved"),
        ("personal", date(2026, 2, 16), date(2026, 2, 16), Decimal("0.5"), True, "approved"),
        ("sick", date(2026, 4, 13), date(2026, 4, 14), Decimal(2), False, "pending"),
        ("vacation", date(2026, 7, 6), date(2026, 7, 10), Decimal(5), False, "cancelled"),
        ("unpaid", date(2026, 8, 10), date(2026, 8, 21), Decimal(10), False, "approved"),
        ("vacation", date(2026, 12, 28), date(2027, 1, 8), Decimal(8), False, "pending"),
        ("vacation", date(2025, 3, 3), date(2025, 3, 3), Decimal(1), False, "rejected"),
    ]
    for person in people:
        for kind, start, end, days, half, status in spans:
            if start >= person.start_date and (person.end_date is None or end <= person.end_date):
                LeaveFactory(
                    employee=person, kind=kind, start_date=start, end_date=end, days=days, half_day=half, status=status
                )
    CompanyDayOffFactory(workspace=workspace, date=date(2026, 3, 5), name="Added after the leave was logged")
    return people


def test_the_migrations_entries_reproduce_every_old_balance(workspace, journal):
    LeaveLedgerEntry.objects.all().delete()  # as before the ledger: leave, and no entries
    migration = importlib.import_module("leave.migrations.0003_ledger_backfill")
    migration.backfill(apps, None)
    assert LeaveLedgerEntry.objects.exists()
    compared = 0
    for person in journal:
        tenant = Tenant(workspace, person.environment)
        for year in range(person.start_date.year - 1, 2028):
            assert new_balances(tenant, person, year) == old_balances(tenant, person, year), (person, year)
            compared += 5
    assert compared > 100


def test_running_the_migration_twice_writes_nothing_more(workspace, journal):
    LeaveLedgerEntry.objects.all().delete()
    migration = importlib.import_module("leave.migrations.0003_ledger_backfill")
    migration.backfill(apps, None)
    count = LeaveLedgerEntry.objects.count()
    migration.backfill(apps, None)
    assert LeaveLedgerEntry.objects.count() == count


def test_the_services_entries_give_the_same_balances_as_the_migrations(workspace, journal):
    """The factories write `taken` entries as approval does, and balances count due grants not yet
    written; the migration writes both. The figures agree either way."""
    before = {
        (p.pk, year): new_balances(Tenant(workspace, p.environment), p, year) for p in journal for year in (2025, 2026)
    }
    LeaveLedgerEntry.objects.all().delete()
    importlib.import_module("leave.migrations.0003_ledger_backfill").backfill(apps, None)
    after = {
        (p.pk, year): new_balances(Tenant(workspace, p.environment), p, year) for p in journal for year in (2025, 2026)
    }
    assert before == after


def test_decisions_made_before_the_ledger_get_the_deciders_name(workspace, employee):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("hera", "hera@example.test", "pw", first_name="Hera", last_name="Hr")
    leave = LeaveFactory(employee=employee, status="rejected", decided_by=f"user:{user.pk}")
    importlib.import_module("leave.migrations.0003_ledger_backfill").decider_names(apps, None)
    leave.refresh_from_db()
    assert leave.decided_by_name == "Hera Hr"
