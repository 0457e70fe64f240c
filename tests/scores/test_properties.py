"""Property-based tests of the pure Employee Score (scores/model.py). Derandomized, with moderate
example counts, so CI sees the same cases every run on two cores."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from leave.calendar import WorkCalendar
from leave.spans import LeaveSpan
from scores.constants import BANDS, FACTOR_KEYS
from scores.model import (
    EmployeeData,
    Member,
    Recognition,
    WorkloadSummary,
    WorkspaceData,
    band_of,
    compute_score,
    group_report,
    overall,
    participation_factor,
    recognition_factor,
    workload_factor,
    workload_summary,
)

PROPERTY_SETTINGS = settings(max_examples=100, derandomize=True, database=None, deadline=None)

AS_OF = date(2026, 6, 30)
WINDOW_START = AS_OF - timedelta(days=89)
window_days = st.integers(0, 89).map(lambda n: WINDOW_START + timedelta(days=n))
calendars = st.builds(
    WorkCalendar,
    work_week=st.frozensets(st.integers(1, 7), min_size=1),
    days_off=st.frozensets(window_days, max_size=10),
)
recognitions = st.builds(Recognition, givers=st.integers(0, 30), coins=st.integers(0, 3000))
MONDAY = date(2026, 6, 29)
weeks = st.integers(0, 11).map(lambda n: MONDAY - timedelta(weeks=n))
levels = st.sampled_from(["light", "balanced", "heavy", "overloaded"])


def _data(posted=frozenset(), leaves=()):
    return EmployeeData(
        employment_start=date(2020, 1, 1),
        employment_end=None,
        recognition=Recognition(0, 0),
        posted_days=len(posted),
        workload=WorkloadSummary(),
        leaves=tuple(leaves),
    )


def _participation(data, calendar):
    return participation_factor(
        data, start=WINDOW_START, end=AS_OF, calendar=calendar, uses_status_log=True, weight=1.0
    ).score


@PROPERTY_SETTINGS
@given(recognitions, st.integers(0, 10), st.integers(0, 500), st.floats(0, 20))
def test_more_kudos_from_more_distinct_givers_never_lowers_recognition(received, more_givers, more_coins, median):
    more = Recognition(received.givers + more_givers, received.coins + more_coins)
    before = recognition_factor(received, median=median, uses_kudos=True, weight=1).score
    after = recognition_factor(more, median=median, uses_kudos=True, weight=1).score
    assert 0 <= before <= after <= 100


@PROPERTY_SETTINGS
@given(st.integers(1, 3000), st.floats(0, 20))
def test_coins_from_one_giver_never_outweigh_a_second_giver(coins, median):
    one_generous = recognition_factor(Recognition(1, coins), median=median, uses_kudos=True, weight=1).score
    two_modest = recognition_factor(Recognition(2, 2), median=median, uses_kudos=True, weight=1).score
    assert one_generous <= two_modest


@PROPERTY_SETTINGS
@given(calendars, st.frozensets(window_days, max_size=60), window_days, st.data())
def test_a_day_on_leave_never_counts_as_a_missed_status_log_day(calendar, posted, start, data):
    end = data.draw(st.integers(0, 5).map(lambda n: min(AS_OF, start + timedelta(days=n))))
    before = _participation(_data(posted), calendar)
    leave = LeaveSpan("vacation", start, end, Decimal(1), "approved")
    after = _participation(_data(posted, [leave]), calendar)
    assert before is None or after is None or after >= before
    # a day on leave is never expected: with only leave-day posts missing, the score is 100
    if after is not None and all(not calendar.is_working_day(d) or start <= d <= end or d in posted for d in _days()):
        assert after == 100


@PROPERTY_SETTINGS
@given(calendars, st.frozensets(window_days, max_size=60), window_days)
def test_a_holiday_never_counts_as_a_missed_status_log_day(calendar, posted, holiday):
    before = _participation(_data(posted), calendar)
    with_holiday = WorkCalendar(calendar.work_week, calendar.days_off | {holiday})
    after = _participation(_data(posted), with_holiday)
    assert before is None or after is None or after >= before


def _days():
    return [WINDOW_START + timedelta(days=n) for n in range(90)]


@PROPERTY_SETTINGS
@given(st.dictionaries(weeks, levels, max_size=11), st.data())
def test_adding_a_balanced_week_never_lowers_workload_balance(checkins, data):
    free = [MONDAY - timedelta(weeks=n) for n in range(12) if MONDAY - timedelta(weeks=n) not in checkins]
    week = data.draw(st.sampled_from(free))
    before = workload_factor(workload_summary(checkins), weight=1).score
    after = workload_factor(workload_summary({**checkins, week: "balanced"}), weight=1).score
    assert after is not None and (before is None or after >= before)


@PROPERTY_SETTINGS
@given(st.integers(2, 11))
def test_consecutive_overloaded_weeks_weigh_more_than_scattered_ones(count):
    consecutive = {MONDAY - timedelta(weeks=n): "overloaded" for n in range(count)}
    scattered = {MONDAY - timedelta(weeks=2 * n): "overloaded" for n in range(count // 2 + count % 2)}
    scattered |= {MONDAY - timedelta(weeks=2 * n + 1): "balanced" for n in range(count // 2)}
    assert len(scattered) == count
    assert (
        workload_factor(workload_summary(consecutive), weight=1).score
        < workload_factor(workload_summary(scattered), weight=1).score
    )


def test_no_check_ins_is_null_with_the_reason_never_zero():
    factor = workload_factor(WorkloadSummary(), weight=1)
    assert factor.score is None and factor.explanation == "No check-ins in 12 weeks."


factor_scores = st.one_of(st.none(), st.integers(0, 100))


@PROPERTY_SETTINGS
@given(st.lists(st.tuples(factor_scores, st.integers(0, 10)), min_size=4, max_size=4))
def test_overall_is_the_weighted_mean_of_the_factors_with_data_or_null_below_two(pairs):
    from scores.model import Factor

    factors = [Factor(key, score, weight, "", {}) for key, (score, weight) in zip(FACTOR_KEYS, pairs, strict=True)]
    counted = [(s, w) for s, w in pairs if s is not None and w > 0]
    result = overall(factors)
    if len(counted) < 2:
        assert result is None
    else:
        low, high = min(s for s, _ in counted), max(s for s, _ in counted)
        assert low <= result <= high
        assert band_of(result) is not None


def test_band_thresholds_are_the_documented_ones():
    assert [band_of(s) for s in (0, 29, 30, 49, 50, 64, 65, 79, 80, 100)] == [
        "critical",
        "critical",
        "low",
        "low",
        "fair",
        "fair",
        "good",
        "good",
        "excellent",
        "excellent",
    ]
    assert [name for name, _ in BANDS] == ["excellent", "good", "fair", "low", "critical"]


def test_a_person_with_no_data_has_no_score_and_every_factor_says_why():
    workspace = WorkspaceData(
        calendar=WorkCalendar(frozenset({1, 2, 3, 4, 5})),
        allowances={},
        recognition_median=0,
        uses_kudos=False,
        uses_status_log=False,
        uses_leave=False,
    )
    data = EmployeeData(date(2020, 1, 6), None, Recognition(0, 0), 0, WorkloadSummary())
    score = compute_score(data, workspace=workspace, as_of=AS_OF, window_days=90)
    assert score.score is None and score.band is None
    assert all(f.score is None and f.explanation for f in score.factors)
    assert score.factor("time_off").explanation == "Nobody in the workspace logged leave in the last 12 months."


# --- Groups: nothing below min_group_size is revealed, directly or by difference ----------

members = st.lists(
    st.builds(
        Member,
        group=st.sampled_from("ABCDEFG"),
        score=st.integers(0, 100),
        factors=st.fixed_dictionaries({k: st.one_of(st.none(), st.integers(0, 100)) for k in FACTOR_KEYS}),
    ),
    max_size=40,
)


@PROPERTY_SETTINGS
@given(members, st.integers(3, 10))
def test_no_group_below_min_size_is_revealed_directly_or_by_difference(people, min_size):
    groups, total = group_report(people, min_size)
    visible = [g for g in groups if not g.suppressed]
    hidden = [g for g in groups if g.suppressed]
    # directly: every visible figure is a mean over at least min_size people
    assert all(g.size >= min_size for g in visible)
    assert all(g.score is None and g.band is None and not g.factors for g in hidden)
    # by difference: total − visible describes all the hidden people together, which are
    # either nobody, or at least two groups holding at least min_size people
    if hidden and not total.suppressed:
        assert len(hidden) >= 2
        assert sum(g.size for g in hidden) >= min_size
    if total.suppressed:
        assert not visible


@PROPERTY_SETTINGS
@given(members, st.integers(3, 10))
def test_factor_means_describe_at_least_min_size_people(people, min_size):
    groups, total = group_report(people, min_size)
    for group in [*groups, total]:
        for key, mean in group.factors.items():
            if mean is not None:
                having = [p for p in people if (group.key == "" or p.group == group.key) and p.factors[key] is not None]
                assert len(having) >= min_size
