"""Property-based tests of the pure working-day count and balance arithmetic. Derandomized,
with moderate example counts, so CI sees the same cases every run on two cores."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from leave.balances import LeaveSpan, compute_balances, days_in_year, employed_days_in_year, prorate
from leave.calendar import WorkCalendar
from leave.choices import LeaveKind, LeaveStatus

PROPERTY_SETTINGS = settings(max_examples=100, derandomize=True, database=None, deadline=None)
BALANCE_SETTINGS = settings(PROPERTY_SETTINGS, max_examples=50)

days_ = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
work_weeks = st.frozensets(st.integers(1, 7), min_size=1)
days_off = st.frozensets(days_, max_size=30)
calendars = st.builds(WorkCalendar, work_week=work_weeks, days_off=days_off)


def ordered(a: date, b: date) -> tuple[date, date]:
    return (a, b) if a <= b else (b, a)


def brute_force(calendar: WorkCalendar, start: date, end: date) -> int:
    return sum(calendar.is_working_day(start + timedelta(n)) for n in range((end - start).days + 1))


# --- Working days -------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(calendars, days_, days_)
def test_working_days_match_a_day_by_day_count(calendar, a, b):
    start, end = ordered(a, b)
    assert calendar.working_days(start, end) == brute_force(calendar, start, end)


@PROPERTY_SETTINGS
@given(calendars, st.lists(days_, min_size=3, max_size=3))
def test_working_days_add_up_over_consecutive_ranges(calendar, three):
    a, b, c = sorted(three)
    assert calendar.working_days(a, c) == calendar.working_days(a, b) + calendar.working_days(b + timedelta(1), c)


@PROPERTY_SETTINGS
@given(calendars, days_, days_)
def test_working_days_never_exceed_calendar_days_nor_go_negative(calendar, a, b):
    start, end = ordered(a, b)
    assert 0 <= calendar.working_days(start, end) <= (end - start).days + 1
    if start < end:
        assert calendar.working_days(end, start) == 0


@PROPERTY_SETTINGS
@given(calendars, days_, days_, st.data())
def test_a_holiday_on_a_working_day_lowers_the_count_by_exactly_one(calendar, a, b, data):
    start, end = ordered(a, b)
    working = [start + timedelta(n) for n in range((end - start).days + 1)]
    working = [day for day in working if calendar.is_working_day(day)]
    if not working:
        return
    holiday = data.draw(st.sampled_from(working))
    with_holiday = WorkCalendar(calendar.work_week, calendar.days_off | {holiday})
    assert with_holiday.working_days(start, end) == calendar.working_days(start, end) - 1


@PROPERTY_SETTINGS
@given(calendars, days_, days_)
def test_a_holiday_outside_the_work_week_or_the_range_changes_nothing(calendar, a, b):
    start, end = ordered(a, b)
    outside = [d for d in (start - timedelta(1), end + timedelta(1))]
    off_week = [start + timedelta(n) for n in range(7) if (start + timedelta(n)).isoweekday() not in calendar.work_week]
    extended = WorkCalendar(calendar.work_week, calendar.days_off | set(outside) | set(off_week))
    assert extended.working_days(start, end) == calendar.working_days(start, end)


@PROPERTY_SETTINGS
@given(calendars, days_)
def test_a_half_day_costs_half_of_a_working_day_and_nothing_otherwise(calendar, day):
    expected = Decimal("0.5") if calendar.is_working_day(day) else Decimal(0)
    assert calendar.leave_days(day, day, half_day=True) == expected


# --- Balances -----------------------------------------------------------------------------

statuses = st.sampled_from(LeaveStatus.values)
kinds = st.sampled_from(LeaveKind.values)
allowance_values = st.one_of(st.integers(0, 40), st.integers(0, 80).map(lambda n: n / 2))
allowance_maps = st.dictionaries(kinds, allowance_values, max_size=5)
# Starts anywhere, or just before New Year, so that leave crossing the year is common.
starts = st.one_of(
    days_,
    st.builds(lambda year, offset: date(year, 1, 1) + timedelta(offset), st.integers(2025, 2027), st.integers(-20, 5)),
)


@st.composite
def spans(draw, calendar: WorkCalendar):
    """A leave as the service would log it: days computed from the same calendar."""
    start = draw(starts)
    end = start + timedelta(draw(st.integers(0, 40)))
    half = start == end and draw(st.booleans())
    days = calendar.leave_days(start, end, half)
    if not days:
        return None
    return LeaveSpan(kind=draw(kinds), start_date=start, end_date=end, days=days, status=draw(statuses))


@st.composite
def scenarios(draw):
    calendar = draw(calendars)
    leaves = [span for span in draw(st.lists(spans(calendar), max_size=8)) if span is not None]
    employment_start, employment_end = ordered(draw(days_), draw(days_))
    # The year of some leave, and often a leave's own first or last day as today: where
    # splitting by year and by today is most likely to slip.
    edges = sorted({day for span in leaves for day in (span.start_date, span.end_date)})
    today = draw(st.one_of(st.sampled_from(edges), days_)) if edges else draw(days_)
    year = draw(st.sampled_from(sorted({day.year for day in edges} | {today.year})))
    return {
        "year": year,
        "today": today,
        "allowances": draw(allowance_maps),
        "employment_start": employment_start,
        "employment_end": draw(st.one_of(st.none(), st.just(employment_end))),
        "leaves": leaves,
        "calendar": lambda: calendar,
    }


def in_year(span: LeaveSpan, calendar: WorkCalendar, year: int, until: date = date.max) -> Decimal:
    """The days of a leave inside `year` (and up to `until`), counted day by day."""
    start, end = max(span.start_date, date(year, 1, 1)), min(span.end_date, date(year, 12, 31), until)
    if start > end:
        return Decimal(0)
    if (start, end) == (span.start_date, span.end_date):
        return span.days  # wholly inside: what was logged, a half day included
    return Decimal(brute_force(calendar, start, end))


@BALANCE_SETTINGS
@given(scenarios())
def test_remaining_is_allowance_minus_used_minus_planned(scenario):
    for balance in compute_balances(**scenario):
        if balance.allowance is None:
            assert balance.remaining is None
        else:
            assert balance.remaining == balance.allowance - balance.used - balance.planned
        assert balance.used >= 0 and balance.planned >= 0


@BALANCE_SETTINGS
@given(scenarios())
def test_used_plus_planned_is_the_active_days_in_the_year(scenario):
    calendar = scenario["calendar"]()
    balances = {b.kind: b for b in compute_balances(**scenario)}
    for kind in LeaveKind.values:
        active = [s for s in scenario["leaves"] if s.kind == kind and s.status in ("approved", "pending")]
        expected = sum((in_year(s, calendar, scenario["year"]) for s in active), Decimal(0))
        assert balances[kind].used + balances[kind].planned == expected


@BALANCE_SETTINGS
@given(scenarios())
def test_used_counts_only_approved_days_up_to_today(scenario):
    calendar = scenario["calendar"]()
    today = scenario["today"]
    balances = {b.kind: b for b in compute_balances(**scenario)}
    for kind in LeaveKind.values:
        approved = [s for s in scenario["leaves"] if s.kind == kind and s.status == "approved"]
        expected = sum((in_year(s, calendar, scenario["year"], until=today) for s in approved), Decimal(0))
        assert balances[kind].used == expected


@BALANCE_SETTINGS
@given(scenarios(), st.data())
def test_cancelling_leave_never_lowers_remaining(scenario, data):
    if not scenario["leaves"]:
        return
    index = data.draw(st.integers(0, len(scenario["leaves"]) - 1))
    leaves = list(scenario["leaves"])
    span = leaves[index]
    leaves[index] = LeaveSpan(span.kind, span.start_date, span.end_date, span.days, LeaveStatus.CANCELLED)
    before = {b.kind: b.remaining for b in compute_balances(**scenario)}
    after = {b.kind: b.remaining for b in compute_balances(**{**scenario, "leaves": leaves})}
    for kind, remaining in before.items():
        if remaining is not None:
            assert after[kind] >= remaining


@PROPERTY_SETTINGS
@given(st.integers(0, 80).map(lambda n: Decimal(n) / 2), st.integers(0, 366), st.integers(0, 366))
def test_proration_is_monotonic_in_days_employed_and_in_half_days(allowance, a, b):
    fewer, more = sorted((a, b))
    year_days = 366
    assert prorate(allowance, fewer, year_days) <= prorate(allowance, more, year_days) <= allowance
    assert (prorate(allowance, fewer, year_days) * 2) % 1 == 0
    assert abs(prorate(allowance, fewer, year_days) - allowance * fewer / year_days) <= Decimal("0.25")
    assert prorate(allowance, year_days, year_days) == allowance and prorate(allowance, 0, year_days) == 0


@PROPERTY_SETTINGS
@given(days_, st.one_of(st.none(), days_), st.integers(2024, 2027))
def test_employed_days_are_the_calendar_days_of_the_year_in_employment(start, end, year):
    if end is not None and end < start:
        start, end = end, start
    first = date(year, 1, 1)
    expected = sum(
        1
        for n in range(days_in_year(year))
        if start <= first + timedelta(n) and (end is None or first + timedelta(n) <= end)
    )
    assert employed_days_in_year(start, end, year) == expected


def test_a_proration_exactly_between_two_half_days_rounds_up():
    # 2.5 days × 183/366 = 1.25: halfway between 1 and 1.5.
    assert prorate(Decimal("2.5"), 183, 366) == Decimal("1.5")
    assert prorate(Decimal(25), 184, 365) == Decimal("12.5")  # 12.60…
