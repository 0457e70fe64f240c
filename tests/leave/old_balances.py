"""The balance computation from before the ledger (issue 18), kept only for the tests that compare
the ledger with it. Leave balances: pure arithmetic over plain data, so it can be property-tested.

For one employee and one calendar year, each leave kind gets:
- allowance: the workspace's days per year for the kind, prorated by the days the person is
  employed that year and rounded to the nearest half day; None when the kind is unlimited;
- used: approved days on or before today;
- planned: approved days after today, plus pending days (not yet decided, whatever the date);
- remaining: allowance − used − planned (negative when overdrawn); None when unlimited.

Only days inside the year count: leave crossing New Year, or straddling today, is split by
its working days. Cancelled and rejected leave counts nowhere."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from leave.calendar import WorkCalendar
from leave.choices import LeaveKind, LeaveStatus


@dataclass(frozen=True)
class LeaveSpan:
    """What the balance needs to know of one leave record."""

    kind: str
    start_date: date
    end_date: date
    days: Decimal
    status: str


@dataclass(frozen=True)
class Balance:
    kind: str
    allowance: Decimal | None
    used: Decimal
    planned: Decimal

    @property
    def remaining(self) -> Decimal | None:
        return None if self.allowance is None else self.allowance - self.used - self.planned


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def days_in_year(year: int) -> int:
    first, last = year_bounds(year)
    return (last - first).days + 1


def employed_days_in_year(employment_start: date, employment_end: date | None, year: int) -> int:
    """Calendar days of the year on which the person is employed (end_date is the last day)."""
    first, last = year_bounds(year)
    start = max(employment_start, first)
    end = last if employment_end is None else min(employment_end, last)
    return max(0, (end - start).days + 1)


def prorate(allowance: Decimal, employed_days: int, year_days: int) -> Decimal:
    """The allowance for part of a year, rounded to the nearest half day (halves round up).
    A full year keeps the allowance exactly as the workspace set it."""
    if employed_days >= year_days:
        return allowance
    halves = (allowance * employed_days * 2 / year_days).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return halves / 2


def days_within(span: LeaveSpan, start: date, end: date, calendar: Callable[[], WorkCalendar]) -> Decimal:
    """The part of a leave's days that falls from start to end (both included).

    A leave wholly inside the window counts its recorded days, so the figures agree with what
    was logged; one partly inside counts its working days in the window, never more than its
    recorded days. Only that split needs the calendar, so it is asked for lazily."""
    if end < start or span.end_date < start or span.start_date > end:
        return Decimal(0)
    if start <= span.start_date and span.end_date <= end:
        return span.days
    overlap = calendar().working_days(max(span.start_date, start), min(span.end_date, end))
    return min(span.days, Decimal(overlap))


def compute_balances(
    *,
    year: int,
    today: date,
    allowances: Mapping[str, int | float | Decimal],
    employment_start: date,
    employment_end: date | None,
    leaves: Iterable[LeaveSpan],
    calendar: Callable[[], WorkCalendar],
    kinds: Iterable[str] = tuple(LeaveKind.values),
) -> list[Balance]:
    """One Balance per kind. `calendar` returns the work calendar of `year`; it is called at
    most once, and only when some leave has to be split."""
    calendar = cache(calendar)
    first, last = year_bounds(year)
    used_until = min(today, last)
    used: dict[str, Decimal] = {}
    planned: dict[str, Decimal] = {}
    for span in leaves:
        if span.status not in (LeaveStatus.APPROVED, LeaveStatus.PENDING):
            continue
        in_year = days_within(span, first, last, calendar)
        if not in_year:
            continue
        taken = Decimal(0)
        if span.status == LeaveStatus.APPROVED:
            taken = min(in_year, days_within(span, first, used_until, calendar))
        used[span.kind] = used.get(span.kind, Decimal(0)) + taken
        planned[span.kind] = planned.get(span.kind, Decimal(0)) + in_year - taken

    employed = employed_days_in_year(employment_start, employment_end, year)
    year_days = days_in_year(year)
    balances = []
    for kind in kinds:
        allowance = allowances.get(kind)
        balances.append(
            Balance(
                kind=kind,
                allowance=None if allowance is None else prorate(Decimal(str(allowance)), employed, year_days),
                used=used.get(kind, Decimal(0)),
                planned=planned.get(kind, Decimal(0)),
            )
        )
    return balances
