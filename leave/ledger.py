"""The ledger's arithmetic: pure functions over plain data, so they can be property-tested.

What the schedule writes (grants, accruals, carry-over, expiry) for a policy and an employment,
how approved leave splits into `taken` amounts by day, and rounding to a unit's step. The
services write what these return; selectors sum the entries. Nothing here reads the database."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from .calendar import WorkCalendar
from .choices import AccrualMethod, CarryOver, LedgerEntryKind
from .policies import KindPolicy


@dataclass(frozen=True)
class Planned:
    """An entry the schedule writes once: its key is (employee, kind, entry_type, period)."""

    entry_type: str
    period: str
    effective_date: date
    amount: Decimal


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def days_in_year(year: int) -> int:
    first, last = year_bounds(year)
    return (last - first).days + 1


def employed_days(start: date, end: date | None, first: date, last: date) -> int:
    """Calendar days from first to last (both included) on which the person is employed."""
    lo = max(start, first)
    hi = last if end is None else min(end, last)
    return max(0, (hi - lo).days + 1)


def employed_days_in_year(employment_start: date, employment_end: date | None, year: int) -> int:
    return employed_days(employment_start, employment_end, *year_bounds(year))


def _round_ratio(numerator: int, denominator: int, step: Decimal) -> Decimal:
    """numerator / denominator to the nearest step, halves up, in integer arithmetic (exact, and
    several times faster than Fraction on the balance's hot path)."""
    step_num, step_den = step.as_integer_ratio()
    return Decimal((2 * numerator * step_den + denominator * step_num) // (2 * denominator * step_num)) * step


def round_to_step(value: Fraction | Decimal, step: Decimal) -> Decimal:
    """To the nearest step, halves up (0.25 days → 0.5 with a half-day step)."""
    return _round_ratio(*value.as_integer_ratio(), step)


def prorate(allowance: Decimal, employed: int, year_days: int, step: Decimal = Decimal("0.5")) -> Decimal:
    """The allowance for part of a year, rounded to the step (halves up). A full year keeps the
    allowance exactly as the workspace set it."""
    if employed >= year_days:
        return allowance
    numerator, denominator = allowance.as_integer_ratio()
    return _round_ratio(numerator * employed, denominator * year_days, step)


def _month_start(year: int, month: int, day: int = 1) -> date:
    """`day` of the month, or its last day when the month is shorter (a 31st in February)."""
    following = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day, (following - timedelta(days=1)).day))


def accrual_windows(method: str, hire_date: date, year: int) -> list[tuple[str, date, date]]:
    """The twelve months of `year` an accrual pays for, as (period, first day, last day):
    calendar months, or months running from the hire date's day of the month."""
    windows = []
    for month in range(1, 13):
        day = hire_date.day if method == AccrualMethod.ANNIVERSARY else 1
        first = _month_start(year, month, day)
        nxt = _month_start(year + month // 12, month % 12 + 1, day)
        windows.append((f"{year}-{month:02d}", first, nxt - timedelta(days=1)))
    return windows


def scheduled_entries(
    policy: KindPolicy, employment_start: date, employment_end: date | None, year: int
) -> list[Planned]:
    """The grants or accruals the policy gives for `year`, prorated on joining and leaving.

    Monthly accruals round the running total to the step, so that the year's accruals add up
    to the yearly allowance (prorated) and never exceed it."""
    yearly = policy.yearly
    if yearly is None:
        return []
    first, last = year_bounds(year)
    if employed_days(employment_start, employment_end, first, last) == 0:
        return []
    if policy.accrual == AccrualMethod.UPFRONT:
        amount = prorate(
            yearly, employed_days_in_year(employment_start, employment_end, year), days_in_year(year), policy.step
        )
        effective = max(first, employment_start)
        return [Planned(LedgerEntryKind.GRANT, str(year), effective, amount)] if amount else []
    # Months worked: whole ones counted in an int, the part-months of joining and leaving as a
    # Fraction, so that a year of whole months needs no Fraction arithmetic at all.
    planned, whole, part, paid = [], 0, Fraction(0), Decimal(0)
    yearly_num, yearly_den = yearly.as_integer_ratio()
    for period, window_first, window_last in accrual_windows(policy.accrual, employment_start, year):
        worked = employed_days(employment_start, employment_end, window_first, window_last)
        if not worked:
            continue
        length = (window_last - window_first).days + 1
        if worked == length:
            whole += 1
        else:
            part += Fraction(worked, length)
        if whole == 12:
            total = yearly
        else:
            months_num, months_den = (whole * part.denominator + part.numerator), part.denominator
            total = _round_ratio(yearly_num * months_num, yearly_den * months_den * 12, policy.step)
        if total != paid:
            effective = max(window_first, employment_start)
            planned.append(Planned(LedgerEntryKind.ACCRUAL, period, effective, total - paid))
            paid = total
    return planned


def carry_over_amount(policy: KindPolicy, leftover: Decimal) -> Decimal:
    """What a year's leftover carries into the next: nothing, all of it, or up to the cap."""
    if policy.carry_over == CarryOver.NONE or leftover <= 0:
        return Decimal(0)
    if policy.carry_over == CarryOver.CAPPED:
        return min(leftover, policy.carry_over_max or Decimal(0))
    return leftover


def expiry_amount(carried: Decimal, used_until_lapse: Decimal) -> Decimal:
    """The (negative) part of a carried-over amount not used by its lapse date: leave taken in
    the year uses the carried-over amount first."""
    return -max(Decimal(0), carried - max(Decimal(0), used_until_lapse))


def usage_by_day(
    *,
    start_date: date,
    end_date: date,
    days: Decimal,
    half_day: bool,
    hours: Decimal | None,
    per_day: Decimal,
    calendar: Callable[[], WorkCalendar],
) -> list[tuple[date, Decimal]]:
    """What a leave costs, by working day, in the kind's unit (per_day: 1 for days, the hours of
    a working day for hours). The amounts add up to the leave's recorded cost exactly, even
    when the calendar has changed since it was logged (a company day off added later): any
    difference lands on its last working day. Hourly leave is one amount on its one day."""
    if hours is not None:
        return [(start_date, hours)]
    total = days * per_day
    if start_date == end_date:
        return [(start_date, total)]
    work = calendar()
    working = [
        start_date + timedelta(n)
        for n in range((end_date - start_date).days + 1)
        if work.is_working_day(start_date + timedelta(n))
    ]
    if not working:
        return [(start_date, total)]
    each = per_day / 2 if half_day else per_day
    out, left = [], total
    for day in working:
        amount = min(each, left)
        if amount <= 0:
            break
        out.append([day, amount])
        left -= amount
    if left:
        out[-1][1] += left
    return [(day, amount) for day, amount in out]


def in_window(amounts: Iterable[tuple[date, Decimal]], first: date, last: date) -> Decimal:
    return sum((amount for day, amount in amounts if first <= day <= last), Decimal(0))


# --- The ledger of one employee and kind ---------------------------------------------------

ENTITLEMENT = frozenset(
    {
        LedgerEntryKind.GRANT,
        LedgerEntryKind.ACCRUAL,
        LedgerEntryKind.CARRY_OVER,
        LedgerEntryKind.EXPIRY,
        LedgerEntryKind.ADJUSTMENT,
    }
)
USAGE = frozenset({LedgerEntryKind.TAKEN, LedgerEntryKind.REVERSED})
SCHEDULED = frozenset({LedgerEntryKind.GRANT, LedgerEntryKind.ACCRUAL})


@dataclass(frozen=True)
class Entry:
    """What sums read of a stored entry (or of a planned one not written yet)."""

    entry_type: str
    period: str
    effective_date: date
    amount: Decimal


def _period_year(period: str) -> int:
    return int(period[:4])


def plan_entries(
    policy: KindPolicy,
    employment_start: date,
    employment_end: date | None,
    entries: Iterable[Entry],
    *,
    through: date,
    first_year: int | None = None,
) -> list[Planned]:
    """The scheduled entries due on or before `through` that `entries` (the stored ledger of one
    employee and kind) lacks: the job writes exactly these, and a balance counts them as if
    written, so a late or missed job changes no figure. Each has its own key, so writing the
    plan twice writes nothing the second time.

    Per year from `first_year` (default: the employment's first; carry-over needs every year):
    the grants or accruals due; a correction (`<year>:fix:<n>`) when what is stored for the year
    differs from what the policy gives (an allowance or an end date changed after an entry was
    written); the carry-over of last year's leftover on 1 January; and the expiry of what is
    left of it after its lapse date."""
    if policy.yearly is None:
        return []
    entries = list(entries)
    scheduled = {(e.entry_type, e.period): e for e in entries if e.period}
    totals: dict[int, Decimal] = {}
    usage: list[tuple[date, Decimal]] = []
    for e in entries:
        totals[e.effective_date.year] = totals.get(e.effective_date.year, Decimal(0)) + e.amount
        if e.entry_type in USAGE:
            usage.append((e.effective_date, e.amount))
    last_year = through.year if employment_end is None else min(through.year, employment_end.year)
    start_year = max(employment_start.year, first_year or employment_start.year)
    new: list[Planned] = []

    def add(planned: Planned) -> None:
        new.append(planned)
        scheduled[(planned.entry_type, planned.period)] = Entry(
            planned.entry_type, planned.period, planned.effective_date, planned.amount
        )
        year = planned.effective_date.year
        totals[year] = totals.get(year, Decimal(0)) + planned.amount

    for year in range(start_year, last_year + 1):
        first, last = year_bounds(year)
        due = [
            p for p in scheduled_entries(policy, employment_start, employment_end, year) if p.effective_date <= through
        ]
        for planned in due:
            if (planned.entry_type, planned.period) not in scheduled:
                add(planned)
        mine = [
            e
            for (entry_type, period), e in scheduled.items()
            if entry_type in SCHEDULED and _period_year(period) == year and e.effective_date <= through
        ]
        stored, target = sum((e.amount for e in mine), Decimal(0)), sum((p.amount for p in due), Decimal(0))
        if stored != target:
            fixes = sum(1 for e in mine if ":fix:" in e.period)
            entry_type = LedgerEntryKind.GRANT if policy.accrual == AccrualMethod.UPFRONT else LedgerEntryKind.ACCRUAL
            add(Planned(entry_type, f"{year}:fix:{fixes + 1}", max(first, min(through, last)), target - stored))
        if policy.carry_over == CarryOver.NONE or year == employment_start.year or first > through:
            continue
        key = (LedgerEntryKind.CARRY_OVER, str(year))
        if key not in scheduled:
            amount = carry_over_amount(policy, totals.get(year - 1, Decimal(0)))
            if amount:
                add(Planned(LedgerEntryKind.CARRY_OVER, str(year), first, amount))
        carried = scheduled[key].amount if key in scheduled else Decimal(0)
        lapse = policy.lapse_date(year)
        if carried > 0 and lapse is not None and lapse < last and lapse + timedelta(1) <= through:
            if (LedgerEntryKind.EXPIRY, str(year)) not in scheduled:
                amount = expiry_amount(carried, -in_window(usage, first, lapse))
                if amount:
                    add(Planned(LedgerEntryKind.EXPIRY, str(year), lapse + timedelta(1), amount))
    return new


def planning_start(policy: KindPolicy, entries: Iterable[Entry], year: int) -> int | None:
    """The first year a balance of `year` must plan. A kind that carries over depends on the years
    before only through its carry-over into `year`: once that entry is written (or one into a later
    year before it), the years before it change nothing in `year`, so planning starts there. None
    (every year since the employment began) when no carry-over into `year` or before is written."""
    if policy.carry_over == CarryOver.NONE:
        return year
    written = [
        _period_year(e.period)
        for e in entries
        if e.entry_type == LedgerEntryKind.CARRY_OVER and _period_year(e.period) <= year
    ]
    return max(written, default=None)


@dataclass(frozen=True)
class KindBalance:
    """One kind's figures for one year. Amounts in `unit`; None where the kind is unlimited."""

    kind: str
    unit: str
    allowance: Decimal | None  # the year's entitlement at its end, accruals still to come included
    entitled: Decimal | None  # to the as-of date
    used: Decimal  # approved, up to the as-of date
    planned: Decimal  # approved after it, plus pending
    pending: Decimal
    projected_year_end: Decimal | None
    expires: tuple[tuple[Decimal, date], ...] = ()
    policy: KindPolicy | None = None  # what the figures follow, for readers of the balance

    @property
    def remaining(self) -> Decimal | None:
        return None if self.allowance is None else self.allowance - self.used - self.planned

    @property
    def available(self) -> Decimal | None:
        return None if self.entitled is None else self.entitled - self.used - self.planned


def kind_balance(
    *,
    policy: KindPolicy,
    employment_start: date,
    employment_end: date | None,
    entries: Iterable[Entry],
    pending: Decimal,
    year: int,
    as_of: date,
    used_until: date | None = None,
) -> KindBalance:
    """Sums of the ledger (the stored entries, and the scheduled ones due but not yet written)
    for `year`: the entitlement to `as_of` and to the year's end, usage up to `used_until`
    (default `as_of`) and after it."""
    entries = list(entries)
    first, last = year_bounds(year)
    used_until = as_of if used_until is None else used_until
    usage = [e for e in entries if e.entry_type in USAGE and first <= e.effective_date <= last]
    used = -sum((e.amount for e in usage if e.effective_date <= used_until), Decimal(0))
    after = -sum((e.amount for e in usage if e.effective_date > used_until), Decimal(0))
    base = dict(unit=policy.unit, used=used, planned=after + pending, pending=pending, policy=policy)
    if policy.yearly is None:
        return KindBalance(policy.kind, allowance=None, entitled=None, projected_year_end=None, **base)
    first_year = planning_start(policy, entries, year)
    upto = min(max(as_of, first - timedelta(1)), last)
    to_date = [e for e in entries if e.entry_type in ENTITLEMENT and first <= e.effective_date <= upto]
    to_date += [
        Entry(p.entry_type, p.period, p.effective_date, p.amount)
        for p in plan_entries(policy, employment_start, employment_end, entries, through=upto, first_year=first_year)
        if first <= p.effective_date
    ]
    whole = [e for e in entries if e.entry_type in ENTITLEMENT and first <= e.effective_date <= last]
    planned_rest = plan_entries(policy, employment_start, employment_end, entries, through=last, first_year=first_year)
    whole += [
        Entry(p.entry_type, p.period, p.effective_date, p.amount) for p in planned_rest if first <= p.effective_date
    ]
    entitled = sum((e.amount for e in to_date), Decimal(0))
    allowance = sum((e.amount for e in whole), Decimal(0))
    expires = ()
    lapse = policy.lapse_date(year)
    if lapse is not None and lapse < last and as_of <= lapse:
        carried = sum((e.amount for e in whole if e.entry_type == LedgerEntryKind.CARRY_OVER), Decimal(0))
        left = -expiry_amount(carried, -sum((e.amount for e in usage if e.effective_date <= lapse), Decimal(0)))
        if left > 0:
            expires = ((left, lapse),)
    return KindBalance(
        policy.kind,
        allowance=allowance,
        entitled=entitled,
        projected_year_end=allowance - used - after - pending,
        expires=expires,
        **base,
    )
