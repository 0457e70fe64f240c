"""Seed one employee's leave journal through `leave.services`: `python bench/seed_leave.py`.

Run by `bench/run.py` (with DATABASE_URL pointing at the bench database) after the employees
are seeded. Two hundred records are few enough to go through the services, so every `days`
is what the API would have computed and every record has its `leave.*` event:

- the workspace is in Italy (its time zone is Europe/Rome): Italian public holidays count, and
  two company days off a year (14 August, 24 December) are added before any leave is logged;
- one long-serving active employee takes RECORDS leaves spread evenly over the last YEARS - 1
  years and the whole of the current one, never overlapping, each starting and ending on a
  working day: vacation blocks, sick days, personal (half) days, some unpaid and parental;
- leave in the past is approved, and a few of those are then cancelled; leave after today is
  logged in approval mode and so is pending, then some of it is approved and some rejected.

Prints one JSON line: the employee, the year, counts by status and kind, and the days each
kind's balance must add up to (used + planned) for the current year, which run.py checks
the API against. Deterministic for a given seed and day; rerunning replaces the leave."""

import argparse
import json
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulsehr.settings")

RECORDS = 200
YEARS = 4  # the current year and the three before it
COUNTRY = "IT"
COMPANY_DAYS_OFF = ((8, 14, "Summer shutdown"), (12, 24, "Christmas Eve"))
# kind: (weight, shortest, longest) in working days
KINDS = {
    "vacation": (35, 1, 6),
    "sick": (30, 1, 3),
    "personal": (20, 1, 1),
    "unpaid": (8, 1, 2),
    "parental": (7, 2, 5),
}
HALF_DAY_SHARE = {"personal": 0.6, "sick": 0.15}
NOTES = {
    "vacation": ("Summer holiday", "Family visit", "Long weekend", "", ""),
    "sick": ("Flu", "", "Doctor's note sent to HR", ""),
    "personal": ("Moving house", "Dentist", "Bank appointment", ""),
    "unpaid": ("Course", ""),
    "parental": ("School holidays", ""),
}
CANCELLED = 8  # of the past leave
ACCRUING = ("vacation", "personal")
ACCRUAL_YEARS = 5
# Who's out: people of one department, each with one leave in the 14 days from today.
WHOS_OUT_PEOPLE = 1000
WHOS_OUT_DAYS = 14
FUTURE_APPROVED_SHARE = 0.5
FUTURE_REJECTED_SHARE = 0.2


def plan(rng: random.Random, working_days: list[date], count: int) -> list[tuple[str, int, int, bool]]:
    """`count` non-overlapping leaves as (kind, first, last, half_day), indexes into
    working_days, spread evenly over them with at least one working day between two leaves."""
    kinds = rng.choices(list(KINDS), [weight for weight, _, _ in KINDS.values()], k=count)
    lengths = [rng.randint(KINDS[kind][1], KINDS[kind][2]) for kind in kinds]
    while sum(lengths) + count > len(working_days):
        lengths[lengths.index(max(lengths))] -= 1
    slack = len(working_days) - sum(lengths) - count
    cuts = sorted(rng.randrange(slack + 1) for _ in range(count))
    gaps = [1 + b - a for a, b in zip([0, *cuts[:-1]], cuts, strict=True)]  # adds up to count + cuts[-1]
    leaves, index = [], -1
    for kind, length, gap in zip(kinds, lengths, gaps, strict=True):
        first = index + 1 + gap
        index = first + length - 1
        half_day = length == 1 and rng.random() < HALF_DAY_SHARE.get(kind, 0)
        leaves.append((kind, first, index, half_day))
    return leaves


def seed_leave(*, workspace_slug: str, environment: str, seed: int, department: str = "") -> dict:
    from django.db import transaction

    from employees.models import Employee
    from leave import selectors, services
    from leave.choices import LeaveStatus
    from leave.models import CompanyDayOff, Leave, LeaveLedgerEntry
    from leave.policies import policies_of
    from pulsehr.tenancy.context import SYSTEM, Tenant
    from pulsehr.tenancy.models import Workspace
    from webhooks.models import Event

    started = time.perf_counter()
    rng = random.Random(seed)
    workspace = Workspace.objects.get(slug=workspace_slug)
    with transaction.atomic():  # a rerun replaces what an earlier one seeded
        Event.objects.filter(workspace=workspace, type__startswith="leave.").delete()
        LeaveLedgerEntry.objects.filter(workspace=workspace).delete()
        Leave.objects.filter(workspace=workspace).delete()
        CompanyDayOff.objects.filter(workspace=workspace).delete()
        workspace.country, workspace.region, workspace.leave_approval_required = COUNTRY, "", False
        # 200 records over four years take more than the yearly allowances: overdraw is refused by
        # default since the ledger (issue 18), so the journal's workspace allows going negative.
        # Vacation and personal leave accrue monthly and carry over, so a balance reads every
        # month's accrual since the employee joined (at least five years of them).
        accruing = {"accrual": "monthly", "carry_over": "all"}
        workspace.leave_policies = {
            "kinds": {kind: {"negative_limit": 366, **(accruing if kind in ACCRUING else {})} for kind in KINDS}
        }
        workspace.save(update_fields=["country", "region", "leave_approval_required", "leave_policies"])
    tenant = Tenant(workspace=workspace, environment=environment)
    today = tenant.today()
    first_day, last_day = date(today.year - YEARS + 1, 1, 1), date(today.year, 12, 31)
    CompanyDayOff.objects.bulk_create(
        CompanyDayOff(workspace=workspace, date=date(year, month, day), name=name)
        for year in range(first_day.year, last_day.year + 1)
        for month, day, name in COMPANY_DAYS_OFF
    )
    employee = (
        tenant.scope(Employee.objects)
        .filter(end_date__isnull=True, start_date__lte=date(today.year - ACCRUAL_YEARS, 1, 1))
        .order_by("pk")
        .first()
    )
    calendar = selectors.calendar_for(workspace=workspace, start=first_day, end=last_day)
    working_days = [
        first_day + timedelta(days=offset)
        for offset in range((last_day - first_day).days + 1)
        if calendar.is_working_day(first_day + timedelta(days=offset))
    ]

    def require_approval(required: bool) -> None:
        # leave_log reads the policy from the database, so it is switched there (and on the tenant).
        workspace.leave_approval_required = required
        Workspace.objects.filter(pk=workspace.pk).update(leave_approval_required=required)

    logged = []
    try:
        for kind, first, last, half_day in plan(rng, working_days, RECORDS):
            start_date, end_date = working_days[first], working_days[last]
            # Leave after today (the plan is in date order) waits for approval, as where the workspace requires it.
            if start_date > today and not workspace.leave_approval_required:
                require_approval(True)
            leave = services.leave_log(
                tenant=tenant,
                actor=SYSTEM,
                employee_id=employee.pk,
                kind=kind,
                start_date=start_date,
                end_date=end_date,
                half_day=half_day,
                note=rng.choice(NOTES[kind]),
            )
            planned = Decimal("0.5") if half_day else Decimal(last - first + 1)
            if leave.days != planned:
                raise AssertionError(f"{leave}: the service computed {leave.days} days, the plan {planned}")
            logged.append(leave)
    finally:
        require_approval(False)

    past = [leave for leave in logged if leave.status == LeaveStatus.APPROVED]
    for leave in rng.sample(past, min(CANCELLED, len(past))):
        services.leave_cancel(tenant=tenant, leave=leave, actor=SYSTEM)
    future = [leave.status for leave in logged if leave.start_date > today]
    if future and LeaveStatus.PENDING not in future:
        raise AssertionError("leave after today should have been logged as pending (approval mode)")
    for leave in (leave for leave in logged if leave.status == LeaveStatus.PENDING):
        draw = rng.random()
        if draw < FUTURE_APPROVED_SHARE:
            services.leave_approve(tenant=tenant, leave=leave, actor=SYSTEM)
        elif draw < FUTURE_APPROVED_SHARE + FUTURE_REJECTED_SHARE:
            services.leave_reject(tenant=tenant, leave=leave, actor=SYSTEM)

    services.ledger_catch_up(tenant=tenant, employee=employee, through=today, policies=policies_of(workspace))
    accruals = tenant.scope(LeaveLedgerEntry.objects).filter(employee_id=employee.pk, entry_type="accrual")
    if accruals.filter(effective_date__lt=date(today.year - ACCRUAL_YEARS + 1, 1, 1)).count() < 12 * len(ACCRUING):
        raise AssertionError(f"expected {ACCRUAL_YEARS} years of monthly accruals for {employee.pk}")
    rows = tenant.scope(Leave.objects).filter(employee_id=employee.pk)
    _, balances = selectors.leave_balances(tenant=tenant, employee_id=employee.pk, year=today.year, as_of=today)
    return {
        "employee_id": employee.pk,
        "year": today.year,
        "records": rows.count(),
        "records_in_year": rows.filter(start_date__lte=last_day, end_date__gte=date(today.year, 1, 1)).count(),
        "by_status": {status: rows.filter(status=status).count() for status in LeaveStatus.values},
        "by_kind": {kind: rows.filter(kind=kind).count() for kind in KINDS},
        "year_days_by_kind": {balance.kind: float(balance.used + balance.planned) for balance in balances},
        "accrual_entries": accruals.count(),
        "ledger_entries": tenant.scope(LeaveLedgerEntry.objects).filter(employee_id=employee.pk).count(),
        "whos_out": seed_whos_out(tenant=tenant, department=department, skip=employee.pk, rng=rng),
        "seconds": round(time.perf_counter() - started, 2),
    }


def seed_whos_out(*, tenant, department: str, skip: str, rng: random.Random, people: int = WHOS_OUT_PEOPLE) -> dict:
    """One leave of 1–5 working days in the 14 days from today for each of `people` active
    employees of `department`, through leave.services; returns the window and the number of
    (person, day) rows GET /v1/leave/whos-out must list for it."""
    from employees.models import Employee
    from leave import selectors, services
    from pulsehr.tenancy.context import SYSTEM

    today = tenant.today()
    last = today + timedelta(days=WHOS_OUT_DAYS - 1)
    calendar = selectors.calendar_for(workspace=tenant.workspace, start=today, end=last)
    working = [today + timedelta(n) for n in range(WHOS_OUT_DAYS) if calendar.is_working_day(today + timedelta(n))]
    # Drawn from across the department, not its first hires: people out are anywhere in the index.
    everyone = list(
        tenant.scope(Employee.objects)
        .filter(department=department, end_date__isnull=True, start_date__lte=today)
        .exclude(pk=skip)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    staff = rng.sample(everyone, min(people, len(everyone)))
    for employee_id in staff:
        first = rng.randrange(len(working))
        last_index = min(len(working) - 1, first + rng.randint(0, 4))
        services.leave_log(
            tenant=tenant,
            actor=SYSTEM,
            employee_id=employee_id,
            kind=rng.choice(("vacation", "sick", "personal")),
            start_date=working[first],
            end_date=working[last_index],
        )
    days = selectors.whos_out(tenant=tenant, first=today, last=last, department=department)
    return {
        "department": department,
        "people": len(staff),
        "from": today.isoformat(),
        "to": last.isoformat(),
        "rows": sum(len(day["out"]) for day in days),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workspace", default="bench")
    parser.add_argument("--environment", default="live")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--department", default="Engineering", help="the department of the who's-out scenario")
    args = parser.parse_args()
    import django

    django.setup()
    seeded = seed_leave(
        workspace_slug=args.workspace, environment=args.environment, seed=args.seed, department=args.department
    )
    # The planner's statistics as autovacuum would leave them in production: measured straight after
    # seeding, they still describe empty tables and choose plans no running database would.
    from django.db import connection

    from leave.models import Leave, LeaveLedgerEntry

    with connection.cursor() as cursor:
        for model in (Leave, LeaveLedgerEntry):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    print(json.dumps(seeded))


if __name__ == "__main__":
    main()
