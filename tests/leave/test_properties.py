"""Property-based tests of the pure working-day count and balance arithmetic. Derandomized,
with moderate example counts, so CI sees the same cases every run on two cores."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from leave.calendar import WorkCalendar
from leave.choices import AccrualMethod, CarryOver, LeaveKind, LeaveStatus, LedgerEntryKind
from leave.ledger import (
    Entry,
    KindBalance,
    days_in_year,
    employed_days_in_year,
    in_window,
    kind_balance,
    plan_entries,
    prorate,
    scheduled_entries,
    usage_by_day,
)
from leave.policies import KindPolicy

from .old_balances import LeaveSpan, compute_balances

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


# --- The ledger ---------------------------------------------------------------------------
# Scenarios as the services would write them: the scheduled entries a job wrote up to some day
# (often not today: late or missed runs), `taken` entries by day for approved leave, and
# `reversed` ones for leave approved and then cancelled.

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


def usage_entries(span: LeaveSpan, calendar: WorkCalendar, per_day=Decimal(1)) -> list[Entry]:
    """What approval writes: a `taken` entry per working day; cancelling approved leave mirrors them."""
    amounts = usage_by_day(
        start_date=span.start_date,
        end_date=span.end_date,
        days=span.days,
        half_day=span.days < 1,
        hours=None,
        per_day=per_day,
        calendar=lambda: calendar,
    )
    return [Entry(LedgerEntryKind.TAKEN, "", day, -amount) for day, amount in amounts]


def reversal(entries: list[Entry]) -> list[Entry]:
    return [Entry(LedgerEntryKind.REVERSED, "", e.effective_date, -e.amount) for e in entries]


def stored(planned) -> list[Entry]:
    return [Entry(p.entry_type, p.period, p.effective_date, p.amount) for p in planned]


@st.composite
def scenarios(draw):
    calendar = draw(calendars)
    leaves = [span for span in draw(st.lists(spans(calendar), max_size=8)) if span is not None]
    employment_start, employment_end = ordered(draw(days_), draw(days_))
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
        "calendar": calendar,
        # The day the job last ran: any day, before or after today (the read counts what is due).
        "job_ran": draw(days_),
    }


def ledger_of(scenario, kind: str, policy: KindPolicy) -> list[Entry]:
    calendar = scenario["calendar"]
    entries: list[Entry] = []
    for span in scenario["leaves"]:
        if span.kind == kind and span.status in ("approved", "cancelled"):
            taken = usage_entries(span, calendar)
            entries += taken + (reversal(taken) if span.status == "cancelled" else [])
    start, end = scenario["employment_start"], scenario["employment_end"]
    return entries + stored(plan_entries(policy, start, end, entries, through=scenario["job_ran"]))


def upfront(kind: str, allowances: dict) -> KindPolicy:
    allowance = allowances.get(kind)
    return KindPolicy(kind=kind, allowance_days=None if allowance is None else Decimal(str(allowance)))


def pending_in_year(scenario, kind: str) -> Decimal:
    first, last = date(scenario["year"], 1, 1), date(scenario["year"], 12, 31)
    return sum(
        (
            in_window(usage_by_day_of(span, scenario["calendar"]), first, last)
            for span in scenario["leaves"]
            if span.kind == kind and span.status == "pending"
        ),
        Decimal(0),
    )


def usage_by_day_of(span, calendar):
    return [(e.effective_date, -e.amount) for e in usage_entries(span, calendar)]


@BALANCE_SETTINGS
@given(scenarios())
def test_the_ledgers_balance_equals_an_independent_recomputation(scenario):
    """With the default policy (upfront), the ledger's sums give what the computation from before
    the ledger gives from the leave itself, whenever the job last ran."""
    calendar = scenario["calendar"]
    old = compute_balances(
        year=scenario["year"],
        today=scenario["today"],
        allowances=scenario["allowances"],
        employment_start=scenario["employment_start"],
        employment_end=scenario["employment_end"],
        leaves=scenario["leaves"],
        calendar=lambda: calendar,
    )
    for expected in old:
        policy = upfront(expected.kind, scenario["allowances"])
        first, last = date(scenario["year"], 1, 1), date(scenario["year"], 12, 31)
        balance = kind_balance(
            policy=policy,
            employment_start=scenario["employment_start"],
            employment_end=scenario["employment_end"],
            entries=ledger_of(scenario, expected.kind, policy),
            pending=pending_in_year(scenario, expected.kind),
            year=scenario["year"],
            as_of=min(max(scenario["today"], first), last),
            used_until=scenario["today"],
        )
        got = (balance.allowance, balance.used, balance.planned, balance.remaining)
        assert got == (expected.allowance, expected.used, expected.planned, expected.remaining), expected.kind


policies = st.builds(
    KindPolicy,
    kind=st.just("vacation"),
    allowance_days=st.integers(0, 60).map(lambda n: Decimal(n) / 2),
    accrual=st.sampled_from(AccrualMethod.values),
    carry_over=st.sampled_from(CarryOver.values),
    carry_over_max=st.integers(0, 20).map(Decimal),
    carry_over_until=st.sampled_from([None, (3, 31), (2, 29), (6, 30)]),
)


@st.composite
def policy_scenarios(draw):
    scenario = draw(scenarios())
    policy = draw(policies)
    scenario["leaves"] = [replace(span, kind="vacation") for span in scenario["leaves"]]
    return scenario, policy


def balance_of(scenario, policy, entries, as_of) -> KindBalance:
    return kind_balance(
        policy=policy,
        employment_start=scenario["employment_start"],
        employment_end=scenario["employment_end"],
        entries=entries,
        pending=Decimal(0),
        year=as_of.year,
        as_of=as_of,
    )


@BALANCE_SETTINGS
@given(policy_scenarios(), st.data())
def test_cancelling_leave_never_lowers_available(pair, data):
    scenario, policy = pair
    approved = [span for span in scenario["leaves"] if span.status == "approved"]
    if not approved:
        return
    span = data.draw(st.sampled_from(approved))
    entries = ledger_of(scenario, "vacation", policy)
    after = entries + reversal(usage_entries(span, scenario["calendar"]))
    as_of = scenario["today"]
    before_available = balance_of(scenario, policy, entries, as_of).available
    after_available = balance_of(scenario, policy, after, as_of).available
    if before_available is not None:
        assert after_available >= before_available


@BALANCE_SETTINGS
@given(policies, days_, st.one_of(st.none(), days_), st.integers(2024, 2027))
def test_accrual_never_exceeds_the_yearly_entitlement_and_a_full_year_gets_all_of_it(policy, start, end, year):
    if end is not None and end < start:
        start, end = end, start
    entries = scheduled_entries(policy, start, end, year)
    total = sum((e.amount for e in entries), Decimal(0))
    assert 0 <= total <= policy.yearly
    assert all(e.amount > 0 and (e.amount / policy.step) % 1 == 0 or e.amount == policy.yearly for e in entries)
    employed_all_year = start <= date(year, 1, 1) and (end is None or end >= date(year, 12, 31))
    if employed_all_year:
        assert total == policy.yearly
    if policy.accrual == AccrualMethod.UPFRONT:
        assert total == prorate(policy.yearly, employed_days_in_year(start, end, year), days_in_year(year))


@BALANCE_SETTINGS
@given(policy_scenarios())
def test_carry_over_never_exceeds_its_cap_nor_the_leftover(pair):
    scenario, policy = pair
    entries = ledger_of(scenario, "vacation", policy)
    totals: dict[int, Decimal] = {}
    for e in entries:
        if e.entry_type != LedgerEntryKind.CARRY_OVER:
            totals[e.effective_date.year] = totals.get(e.effective_date.year, Decimal(0)) + e.amount
    for e in entries:
        if e.entry_type == LedgerEntryKind.CARRY_OVER:
            assert policy.carry_over != CarryOver.NONE
            assert 0 < e.amount
            if policy.carry_over == CarryOver.CAPPED:
                assert e.amount <= policy.carry_over_max
        if e.entry_type == LedgerEntryKind.EXPIRY:
            carried = [c.amount for c in entries if c.entry_type == "carry_over" and c.period == e.period]
            assert carried and -carried[0] <= e.amount < 0


@BALANCE_SETTINGS
@given(policy_scenarios(), st.data())
def test_as_of_in_the_past_is_stable_after_later_writes(pair, data):
    """What was entitled and used on a past day does not move when later entries are written: the
    job running on, and leave approved or cancelled for later days."""
    scenario, policy = pair
    as_of = scenario["today"]
    entries = [e for e in ledger_of(scenario, "vacation", policy) if e.effective_date <= as_of]
    later_day = as_of + timedelta(data.draw(st.integers(1, 800)))
    later = [e for e in ledger_of(scenario, "vacation", policy) if e.effective_date > as_of]
    later += stored(
        plan_entries(policy, scenario["employment_start"], scenario["employment_end"], entries, through=later_day)
    )
    later = [e for e in later if e.effective_date > as_of]
    before = balance_of(scenario, policy, entries, as_of)
    after = balance_of(scenario, policy, entries + later, as_of)
    assert (after.entitled, after.used) == (before.entitled, before.used)


@BALANCE_SETTINGS
@given(policy_scenarios(), st.integers(0, 800))
def test_the_job_writes_each_entry_once_however_often_and_late_it_runs(pair, gap):
    scenario, policy = pair
    start, end = scenario["employment_start"], scenario["employment_end"]
    first_run = scenario["job_ran"]
    written = stored(plan_entries(policy, start, end, [], through=first_run))
    assert plan_entries(policy, start, end, written, through=first_run) == []  # twice: nothing more
    # Late, after `gap` missed days, in one go or day by day: the same entries.
    late = written + stored(plan_entries(policy, start, end, written, through=first_run + timedelta(gap)))
    daily = list(written)
    for n in range(1, gap + 1, max(1, gap // 40)):
        daily += stored(plan_entries(policy, start, end, daily, through=first_run + timedelta(n)))
    daily += stored(plan_entries(policy, start, end, daily, through=first_run + timedelta(gap)))
    keys = [(e.entry_type, e.period) for e in late]
    assert len(keys) == len(set(keys))
    assert sorted(keys) == sorted((e.entry_type, e.period) for e in daily)


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
