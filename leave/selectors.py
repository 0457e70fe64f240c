"""Reads that are more than a filter: the work calendar, the ledger and leave balances."""

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from django.db import connection
from django.db.models import Q

from employees.errors import EmployeeNotFound
from employees.models import Employee
from pulsehr.rawsql import as_date, as_decimal
from pulsehr.tenancy.context import Tenant
from pulsehr.tenancy.models import Workspace

from .calendar import WorkCalendar, build_calendar, named_public_holidays, years_between
from .choices import CarryOver, LeaveKind, LeaveStatus, LedgerEntryKind
from .errors import InvalidLeaveDates
from .ledger import Entry, KindBalance, in_window, kind_balance, planning_start, usage_by_day, year_bounds
from .models import CompanyDayOff, Leave, LeaveLedgerEntry
from .policies import LeavePolicies, policies_of

# Leave and balances are kept for years a person can plausibly have worked in; the bound
# also keeps public-holiday computation and date arithmetic well away from date.min/max.
MIN_YEAR = 1900
MAX_YEAR = 2199


def calendar_for(*, workspace: Workspace, start: date, end: date) -> WorkCalendar:
    """The workspace's work calendar covering start..end: one query for company days off."""
    days_off = CompanyDayOff.objects.filter(workspace=workspace, date__range=(start, end)).values_list(
        "date", flat=True
    )
    return build_calendar(
        work_week=workspace.work_week,
        country=workspace.country,
        region=workspace.region,
        years=years_between(start, end),
        company_days_off=days_off,
    )


def parse_year(raw: str | None, *, default: int) -> int:
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or not MIN_YEAR <= int(raw) <= MAX_YEAR:
        raise InvalidLeaveDates(f"year must be a year from {MIN_YEAR} to {MAX_YEAR}, e.g. 2026.", fields=["year"])
    return int(raw)


def parse_date(raw: str | None, *, name: str, default: date | None) -> date | None:
    if raw is None or raw == "":
        return default
    try:
        value = date.fromisoformat(raw) if len(raw) == 10 and raw.isascii() else None
    except ValueError:
        value = None
    if value is None or not MIN_YEAR <= value.year <= MAX_YEAR:
        raise InvalidLeaveDates(f"{name} must be a date (YYYY-MM-DD) from {MIN_YEAR} to {MAX_YEAR}.", fields=[name])
    return value


def _entries_by_kind(rows) -> dict[str, list[Entry]]:
    by_kind: dict[str, list[Entry]] = {kind: [] for kind in LeaveKind.values}
    for kind, entry_type, period, effective_date, amount in rows:
        by_kind[kind].append(Entry(entry_type, period, effective_date, amount))
    return by_kind


@dataclass(frozen=True)
class PendingLeave:
    """What a balance reads of a leave awaiting a decision."""

    kind: str
    start_date: date
    end_date: date
    days: Decimal
    half_day: bool
    hours: Decimal | None


@dataclass(frozen=True)
class BalanceInputs:
    """Everything a balance of one year reads: the employment, the ledger by kind (as far back
    as ledger.planning_start needs), and the pending leave touching the year."""

    employee_id: str
    start_date: date
    end_date: date | None
    entries: dict[str, list[Entry]]
    pending: list[PendingLeave]


def _balance_statement() -> str:
    """The employee, their ledger from 1 January with every carry-over, and their pending leave
    touching the year, as rows of one shape (the part each row is, then nine columns). Every
    part is narrowed to the tenant here, as Tenant.scope would."""
    tenant = "workspace_id = %(workspace)s AND environment = %(environment)s"
    return f"""
        SELECT 'employee', CAST(NULL AS VARCHAR(16)), CAST(NULL AS VARCHAR(16)), CAST(NULL AS VARCHAR(32)),
               start_date, end_date, CAST(NULL AS NUMERIC(9, 3)), CAST(NULL AS BOOLEAN), CAST(NULL AS NUMERIC(9, 3))
          FROM {Employee._meta.db_table}
         WHERE id = %(employee)s AND {tenant}
        UNION ALL
        SELECT 'entry', kind, entry_type, period, effective_date, CAST(NULL AS DATE), amount, CAST(NULL AS BOOLEAN),
               CAST(NULL AS NUMERIC(9, 3))
          FROM {LeaveLedgerEntry._meta.db_table}
         WHERE employee_id = %(employee)s AND {tenant} AND (effective_date >= %(first)s OR entry_type = %(carry_over)s)
        UNION ALL
        SELECT 'pending', kind, CAST(NULL AS VARCHAR(16)), CAST(NULL AS VARCHAR(32)), start_date, end_date, days,
               half_day, hours
          FROM {Leave._meta.db_table}
         WHERE employee_id = %(employee)s AND {tenant} AND status = %(pending)s
           AND start_date <= %(last)s AND end_date >= %(first)s
    """


def balance_inputs(*, tenant: Tenant, employee_id: str, policies: LeavePolicies, year: int) -> BalanceInputs:
    """What a balance of `year` reads, in one statement: a balance is the API's most-read figure,
    and building three querysets cost more than running them (bench: leave_balance_vs_floor).
    404 when the employee is unknown or outside the tenant.

    A kind that carries over depends on the years before only through its carry-over into `year`
    (ledger.planning_start). Where that entry is not written yet (the job has not run since
    1 January, or nothing was left over), the kind's entries since its latest written carry-over,
    or since the employment began, are read in a second query."""
    first, last = year_bounds(year)
    params = {
        "employee": employee_id,
        "workspace": tenant.workspace.pk,
        "environment": tenant.environment,
        "first": connection.ops.adapt_datefield_value(first),
        "last": connection.ops.adapt_datefield_value(last),
        "carry_over": LedgerEntryKind.CARRY_OVER,
        "pending": LeaveStatus.PENDING,
    }
    with connection.cursor() as cursor:
        cursor.execute(_balance_statement(), params)
        rows = cursor.fetchall()
    employment = [row for row in rows if row[0] == "employee"]
    if not employment:
        raise EmployeeNotFound(f"No employee {employee_id}.")
    start_date, end_date = as_date(employment[0][4]), as_date(employment[0][5])
    by_kind = _entries_by_kind(
        (kind, entry_type, period, as_date(day), as_decimal(amount))
        for part, kind, entry_type, period, day, _, amount, _, _ in rows
        if part == "entry"
    )
    pending = [
        PendingLeave(kind, as_date(start), as_date(end), as_decimal(days), bool(half_day), as_decimal(hours))
        for part, kind, _, _, start, end, days, half_day, hours in rows
        if part == "pending"
    ]
    carries = {kind for kind, policy in policies.kinds.items() if policy.carry_over != CarryOver.NONE}
    since = {kind: planning_start(policies.of(kind), by_kind[kind], year) for kind in carries}
    behind = {kind: start for kind, start in since.items() if start != year and start_date < first}
    if behind:
        earliest = min(start_date.year if start is None else start for start in behind.values())
        older = _entries_by_kind(
            tenant.scope(LeaveLedgerEntry.objects)
            .filter(employee_id=employee_id, kind__in=behind, effective_date__gte=date(earliest, 1, 1))
            .values_list("kind", "entry_type", "period", "effective_date", "amount")
            .order_by()
        )
        for kind in behind:
            by_kind[kind] = older[kind]
    return BalanceInputs(employee_id, start_date, end_date, by_kind, pending)


def leave_usage(leave, policies: LeavePolicies, calendar: Callable[[], WorkCalendar]) -> list[tuple[date, Decimal]]:
    """What one leave costs by working day, in its kind's unit (see ledger.usage_by_day)."""
    return usage_by_day(
        start_date=leave.start_date,
        end_date=leave.end_date,
        days=leave.days,
        half_day=leave.half_day,
        hours=leave.hours,
        per_day=policies.of(leave.kind).per_day,
        calendar=calendar,
    )


def pending_amounts(
    *, tenant: Tenant, leaves: list[PendingLeave], first: date, last: date, policies: LeavePolicies
) -> dict[str, Decimal]:
    """Pending leave from first to last by kind, in each kind's unit. Only a leave that crosses
    the window needs the calendar to split it, and the calendar is read at most once."""
    amounts = {kind: Decimal(0) for kind in LeaveKind.values}
    if not leaves:
        return amounts
    span = (min(first, *(lv.start_date for lv in leaves)), max(last, *(lv.end_date for lv in leaves)))
    calendar = cache(lambda: calendar_for(workspace=tenant.workspace, start=span[0], end=span[1]))
    for leave in leaves:
        if first <= leave.start_date and leave.end_date <= last:
            per_day = policies.of(leave.kind).per_day
            amounts[leave.kind] += leave.hours if leave.hours is not None else leave.days * per_day
        else:
            amounts[leave.kind] += in_window(leave_usage(leave, policies, calendar), first, last)
    return amounts


def leave_balances(
    *, tenant: Tenant, employee_id: str, year: int, as_of: date, used_until: date | None = None
) -> tuple[str, list[KindBalance]]:
    """An employee's balance per leave kind for one year, summed from the ledger: the employee
    (404 when unknown or outside the tenant), their ledger and their pending leave, read by
    balance_inputs. Company days off are read only when a pending leave crosses the year."""
    policies = policies_of(tenant.workspace)
    first, last = year_bounds(year)
    read = balance_inputs(tenant=tenant, employee_id=employee_id, policies=policies, year=year)
    pending = pending_amounts(tenant=tenant, leaves=read.pending, first=first, last=last, policies=policies)
    balances = [
        kind_balance(
            policy=policies.of(kind),
            employment_start=read.start_date,
            employment_end=read.end_date,
            entries=read.entries[kind],
            pending=pending[kind],
            year=year,
            as_of=as_of,
            used_until=used_until,
        )
        for kind in LeaveKind.values
    ]
    return read.employee_id, balances


WHOS_OUT_MAX_DAYS = 92


def _whos_out_statement(*, department: bool, location: bool) -> str:
    """The leave touching a window and its company days off, as rows of one shape: a leave row
    is (name, start, id, employee id, department, kind, status, end, half day, hours), its
    first three columns its order; a day off is (its name, its date, then NULLs). The leave
    carries its person's name, department and location (Leave.employee_name …), so no
    employee is read: a thousand people out of a million-person workspace cost a thousand
    leave rows, found by their end date (leave_end_date_idx, leave_department_end_idx). Every
    part is narrowed to the tenant, as Tenant.scope would. Unordered: whos_out sorts the leave
    itself. No column more than the answer needs: each costs PostgreSQL and the app a thousand
    values."""
    people = " AND l.employee_department = %(department)s" if department else ""
    people += " AND l.employee_location = %(location)s" if location else ""
    return f"""
        SELECT l.employee_name, l.start_date, l.id, l.employee_id, l.employee_department, l.kind,
               l.status, l.end_date, l.half_day, l.hours
          FROM {Leave._meta.db_table} l
         WHERE l.workspace_id = %(workspace)s AND l.environment = %(environment)s
           AND l.end_date >= %(first)s AND l.start_date <= %(last)s
           AND l.status IN (%(approved)s, %(also)s){people}
        UNION ALL
        SELECT name, date, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
          FROM {CompanyDayOff._meta.db_table}
         WHERE workspace_id = %(workspace)s AND date >= %(first)s AND date <= %(last)s
    """


def whos_out(
    *,
    tenant: Tenant,
    first: date,
    last: date,
    department: str | None = None,
    location: str | None = None,
    include_pending: bool = False,
) -> list[dict]:
    """Per day from first to last: whether it is a working day, its public holidays and company
    days off, and who is out on it (approved leave, and pending when asked), by name, then by
    the leave's start. One statement reads the leave, which carries its people's names, and the
    company days off (bench: whos_out_vs_floor, a thousand people out over two weeks); the
    holiday calendar is data. People are out on the working days of their leave; each person's
    dict is shared by their days."""
    if last < first:
        raise InvalidLeaveDates("to must not be before from.", fields=["to"])
    if (last - first).days + 1 > WHOS_OUT_MAX_DAYS:
        raise InvalidLeaveDates(f"from–to may span at most {WHOS_OUT_MAX_DAYS} days.", fields=["to"])
    workspace = tenant.workspace
    params = {
        "workspace": workspace.pk,
        "environment": tenant.environment,
        "first": connection.ops.adapt_datefield_value(first),
        "last": connection.ops.adapt_datefield_value(last),
        "approved": LeaveStatus.APPROVED,
        "also": LeaveStatus.PENDING if include_pending else LeaveStatus.APPROVED,
        "department": department,
        "location": location,
    }
    statement = _whos_out_statement(department=department is not None, location=location is not None)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    leave_rows = [row for row in rows if row[2] is not None]
    # One company day off a date at most (a unique constraint), after the public holidays.
    days_off = {as_date(row[1]): [{"name": row[0], "type": "company_day_off"}] for row in rows if row[2] is None}
    company_days_off = list(days_off)
    for year in years_between(first, last):
        for day, name in named_public_holidays(workspace.country, workspace.region, year):
            if first <= day <= last:
                days_off.setdefault(day, []).insert(0, {"name": name, "type": "public_holiday"})
    calendar = build_calendar(
        work_week=workspace.work_week,
        country=workspace.country,
        region=workspace.region,
        years=years_between(first, last),
        company_days_off=company_days_off,
    )
    span = [first + timedelta(n) for n in range((last - first).days + 1)]
    working = [calendar.is_working_day(day) for day in span]
    out: list[list[dict]] = [[] for _ in span]
    working_lists = [out[index] for index, works in enumerate(working) if works]
    working_indexes = [index for index, works in enumerate(working) if works]
    # The lists of the working days from a start to an end, worked out once per pair: a
    # thousand people out over two weeks share a few dozen (start, end) pairs.
    days_of: dict[tuple, list[list[dict]]] = {}
    # By name in code-point order, then start and id (the rows' first columns; ids are unique):
    # the same order on every database, and a thousand rows sort faster here than in
    # PostgreSQL (whose sort cost more than its scan).
    leave_rows.sort()
    for name, start, leave_id, employee_id, department_name, kind, status, end, half_day, hours in leave_rows:
        person = {
            "employee_id": employee_id,
            "name": name,
            "department": department_name,
            "leave_id": leave_id,
            "kind": kind,
            "status": status,
            "half_day": bool(half_day),
            "hours": None if hours is None else float(hours),
        }
        lists = days_of.get((start, end))
        if lists is None:
            lowest, highest = (as_date(start) - first).days, (as_date(end) - first).days
            lists = working_lists[bisect_left(working_indexes, lowest) : bisect_right(working_indexes, highest)]
            days_of[start, end] = lists
        for day in lists:
            day.append(person)
    return [
        {"date": day.isoformat(), "working_day": working[index], "days_off": days_off.get(day, []), "out": out[index]}
        for index, day in enumerate(span)
    ]


def leave_review(*, tenant: Tenant, leave_id: str) -> dict:
    """What HR staff see on a leave request's page: the person's balance of its kind for its
    year with and without this request, and the active leave of their team (same department or
    same manager) overlapping it."""
    leave = tenant.scope(Leave.objects).select_related("employee").filter(pk=leave_id).first()
    if leave is None:
        return {}
    policies = policies_of(tenant.workspace)
    year = leave.start_date.year
    _, balances = leave_balances(tenant=tenant, employee_id=leave.employee_id, year=year, as_of=leave.end_date)
    balance = next(b for b in balances if b.kind == leave.kind)
    calendar = cache(lambda: calendar_for(workspace=tenant.workspace, start=leave.start_date, end=leave.end_date))
    first, last = year_bounds(year)
    cost = in_window(leave_usage(leave, policies, calendar), first, last)
    counted = leave.status in (LeaveStatus.APPROVED, LeaveStatus.PENDING)
    available = balance.available
    team = Q(employee__manager_id=leave.employee.manager_id) if leave.employee.manager_id else Q(pk__in=[])
    if leave.employee.department:
        team |= Q(employee__department=leave.employee.department)
    overlapping = (
        tenant.scope(Leave.objects)
        .filter(team, status__in=[LeaveStatus.APPROVED, LeaveStatus.PENDING])
        .filter(start_date__lte=leave.end_date, end_date__gte=leave.start_date)
        .exclude(employee_id=leave.employee_id)
        .select_related("employee")
        .order_by("start_date", "id")[:50]
    )
    available_with = None if available is None else (available if counted else available - cost)
    decidable = leave.status == LeaveStatus.PENDING
    return {
        "leave_review": {
            "balance": balance,
            "cost": cost,
            "available_with": available_with,
            "available_without": None if available is None else (available + cost if counted else available),
            "overlapping": list(overlapping),
            "decidable": decidable,
            # Approving would take more than is available (other leave approved since it was logged,
            # or a workspace that allows going below zero): said before HR decides.
            "overdraws": decidable and available_with is not None and available_with < 0,
            "negative_limit": policies.of(leave.kind).negative_limit,
        }
    }
