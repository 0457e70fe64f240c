"""Reads that are more than a filter: the work calendar and leave balances."""

from collections.abc import Iterable
from datetime import date

from employees.selectors import employee_get
from pulsehr.tenancy.context import Tenant
from pulsehr.tenancy.models import Workspace

from .balances import Balance, LeaveSpan, compute_balances, year_bounds
from .calendar import WorkCalendar, build_calendar, years_between
from .choices import ACTIVE_STATUSES
from .errors import InvalidLeaveDates
from .models import CompanyDayOff, Leave

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


def leave_balances(*, tenant: Tenant, employee_id: str, year: int) -> tuple[str, list[Balance]]:
    """An employee's balance per leave kind for one year: the employee (404 when unknown or
    outside the tenant) and their active leave touching the year, one query each. Company
    days off are read only when a leave has to be split by day."""
    employee = employee_get(tenant=tenant, employee_id=employee_id)
    first, last = year_bounds(year)
    rows: Iterable[tuple] = (
        tenant.scope(Leave.objects)
        .filter(employee_id=employee.pk, status__in=ACTIVE_STATUSES, start_date__lte=last, end_date__gte=first)
        .values_list("kind", "start_date", "end_date", "days", "status")
        .order_by()
    )
    workspace = tenant.workspace
    balances = compute_balances(
        year=year,
        today=tenant.today(),
        allowances=workspace.leave_allowances or {},
        employment_start=employee.start_date,
        employment_end=employee.end_date,
        leaves=[LeaveSpan(*row) for row in rows],
        calendar=lambda: calendar_for(workspace=workspace, start=first, end=last),
    )
    return employee.pk, balances
