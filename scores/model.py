"""The Employee Score: pure functions over plain data, so every rule can be property-tested.

Four factors, each 0–100 with a one-sentence explanation and the inputs it used, or None with
the reason when there is nothing to judge by (never 0 for "no data"):

- recognition: kudos received in the window. Distinct givers count fully, coins only up to a
  cap per giver (so two people swapping coins cannot inflate each other), relative to the
  workspace's median: 100·r / (r + median/2), so the median person gets 67.
- participation: days with a status-log entry ÷ the person's working days in the window (their
  work week, public holidays, company days off and their own leave excluded), capped at 100.
- workload: the last 12 weekly check-ins. Each week scores light 90, balanced 100, heavy 60,
  overloaded 20; the mean loses 10 points for each overloaded week that follows another.
- time_off: resting leave (vacation, personal) taken in the last 12 months against the
  pro-rata allowance (70 %), and the longest stretch without any leave (30 %): full marks up to
  60 days, none from 240. None when nobody in the workspace logged leave in those 12 months
  (the workspace keeps leave elsewhere), as recognition and participation are without kudos
  or posts.

The overall score is the weighted mean of the factors that have data, None when fewer than two
do; its band follows constants.BANDS. Scores are whole numbers (halves round up)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from leave.calendar import WorkCalendar
from leave.choices import LeaveStatus
from leave.ledger import prorate
from leave.spans import LeaveSpan, days_within

from .constants import BANDS, FACTOR_KEYS, RESTING_KINDS, TIME_OFF_DAYS, WORKLOAD_WEEKS

# Recognition: coins count up to this many per distinct giver, and the coins' part of a giver
# weighs at most COINS_WEIGHT of the giver's own.
COINS_PER_GIVER_CAP = 20
COINS_WEIGHT = 0.5
WEEK_POINTS = {"light": 90, "balanced": 100, "heavy": 60, "overloaded": 20}
STREAK_PENALTY = 10
STRETCH_FULL_DAYS, STRETCH_ZERO_DAYS = 60, 240
USAGE_SHARE = 0.7


def rounded(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def clamp(value: float) -> float:
    return max(0.0, min(100.0, value))


# --- Inputs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recognition:
    """Kudos one person received in the window."""

    givers: int  # distinct people who gave
    coins: int


@dataclass(frozen=True)
class WorkloadSummary:
    """The last 12 weeks of check-ins, counted by level. `streak_weeks` counts the overloaded
    weeks whose previous week was overloaded too (what SQL can count without the weeks)."""

    light: int = 0
    balanced: int = 0
    heavy: int = 0
    overloaded: int = 0
    streak_weeks: int = 0

    @property
    def weeks(self) -> int:
        return self.light + self.balanced + self.heavy + self.overloaded


@dataclass(frozen=True)
class EmployeeData:
    """Everything the score of one person on one day is computed from."""

    employment_start: date
    employment_end: date | None
    recognition: Recognition
    # Days the person posted a status-log entry within the window, while employed (one a day).
    posted_days: int
    workload: WorkloadSummary
    # Their approved and pending leave touching the last 12 months (pending leave is not taken).
    leaves: tuple[LeaveSpan, ...] = ()


@dataclass(frozen=True)
class WorkspaceData:
    """What the score needs of the workspace: its calendar, allowances and medians."""

    calendar: WorkCalendar  # covering at least the last 12 months up to as_of
    allowances: Mapping[str, int | float | Decimal]  # days per year by leave kind
    recognition_median: float  # the median r (see recognition_raw) over active employees
    uses_kudos: bool  # anyone received kudos in the window
    uses_status_log: bool  # anyone posted in the window
    uses_leave: bool = True  # anyone's leave is logged in the last 12 months
    weights: Mapping[str, float] = field(default_factory=lambda: dict.fromkeys(FACTOR_KEYS, 1.0))


# --- Outputs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Factor:
    key: str
    score: int | None
    weight: float
    explanation: str  # what the score says, or why there is none
    inputs: dict


@dataclass(frozen=True)
class Score:
    as_of: date
    window_days: int
    score: int | None
    band: str | None
    factors: tuple[Factor, ...]

    def factor(self, key: str) -> Factor:
        return next(f for f in self.factors if f.key == key)


def band_of(score: float | None) -> str | None:
    if score is None:
        return None
    return next(name for name, lowest in BANDS if score >= lowest)


def window_bounds(as_of: date, days: int) -> tuple[date, date]:
    """The `days` days ending with as_of, both included."""
    return as_of - timedelta(days=days - 1), as_of


# --- The factors -------------------------------------------------------------------------


def recognition_raw(received: Recognition) -> float:
    """Givers count one each; coins add at most COINS_WEIGHT per giver, so one generous
    colleague, however many coins they send, counts at most 1.5 people."""
    capped = min(received.coins, COINS_PER_GIVER_CAP * received.givers)
    return received.givers + COINS_WEIGHT * capped / COINS_PER_GIVER_CAP


def recognition_factor(received: Recognition, *, median: float, uses_kudos: bool, weight: float) -> Factor:
    inputs = {"distinct_givers": received.givers, "coins": received.coins, "workspace_median": round(median, 2)}
    if not uses_kudos:
        return Factor("recognition", None, weight, "Nobody in the workspace received kudos in the window.", inputs)
    raw = recognition_raw(received)
    reference = max(median, 1.0)  # where most receive none, one giver is the yardstick
    score = rounded(100 * raw / (raw + reference / 2))
    explanation = (
        f"Kudos from {received.givers} distinct colleague{'s' if received.givers != 1 else ''} "
        f"({received.coins} coins) against a workspace median of {median:g}."
    )
    return Factor("recognition", score, weight, explanation, inputs)


def expected_days(*, start: date, end: date, calendar: WorkCalendar, leaves: Iterable[LeaveSpan]) -> tuple[int, int]:
    """(working days from start to end, those of them on the person's leave). Pending leave
    counts as leave: the person has said they will be away."""
    working = calendar.working_days(start, end)
    on_leave: set[date] = set()
    for span in leaves:
        if span.status not in (LeaveStatus.APPROVED, LeaveStatus.PENDING):
            continue
        day, last = max(span.start_date, start), min(span.end_date, end)
        while day <= last:
            if calendar.is_working_day(day):
                on_leave.add(day)
            day += timedelta(days=1)
    return working, len(on_leave)


def participation_factor(
    data: EmployeeData, *, start: date, end: date, calendar: WorkCalendar, uses_status_log: bool, weight: float
) -> Factor:
    start = max(start, data.employment_start)
    if data.employment_end is not None:
        end = min(end, data.employment_end)
    working, on_leave = expected_days(start=start, end=end, calendar=calendar, leaves=data.leaves)
    expected = working - on_leave
    posted = data.posted_days
    inputs = {"days_posted": posted, "working_days": working, "days_on_leave": on_leave, "expected_days": expected}
    if not uses_status_log:
        return Factor("participation", None, weight, "Nobody in the workspace posted to the status log.", inputs)
    if expected <= 0:
        return Factor("participation", None, weight, "No working days to post on in the window.", inputs)
    # Posts on days off count too (they are participation), so a day becoming leave or a
    # holiday can only raise the figure; it is capped at 100.
    score = rounded(clamp(100 * posted / expected))
    explanation = f"Posted on {posted} of {expected} working days (holidays and own leave excluded)."
    return Factor("participation", score, weight, explanation, inputs)


def workload_summary(levels_by_week: Mapping[date, str], *, first_week: date | None = None) -> WorkloadSummary:
    """The summary of weekly check-ins keyed by their Monday. Weeks before `first_week` (the
    window's first Monday) are not counted, but an overloaded one still makes the window's first
    overloaded week part of a streak."""
    counts = dict.fromkeys(WEEK_POINTS, 0)
    streak = 0
    for week, level in levels_by_week.items():
        if first_week is not None and week < first_week:
            continue
        counts[level] += 1
        if level == "overloaded" and levels_by_week.get(week - timedelta(weeks=1)) == "overloaded":
            streak += 1
    return WorkloadSummary(**counts, streak_weeks=streak)


def workload_factor(summary: WorkloadSummary, *, weight: float) -> Factor:
    inputs = {
        "weeks": summary.weeks,
        "light": summary.light,
        "balanced": summary.balanced,
        "heavy": summary.heavy,
        "overloaded": summary.overloaded,
        "consecutive_overloaded": summary.streak_weeks,
    }
    if not summary.weeks:
        return Factor("workload", None, weight, f"No check-ins in {WORKLOAD_WEEKS} weeks.", inputs)
    points = sum(WEEK_POINTS[level] * getattr(summary, level) for level in WEEK_POINTS)
    score = rounded(clamp(points / summary.weeks - STREAK_PENALTY * summary.streak_weeks))
    heavy = summary.heavy + summary.overloaded
    explanation = f"{heavy} heavy or overloaded week{'s' if heavy != 1 else ''} of {summary.weeks} checked in"
    if summary.streak_weeks:
        explanation += f", {summary.streak_weeks} of them straight after another overloaded week"
    return Factor("workload", score, weight, explanation + ".", inputs)


def longest_stretch_without_leave(start: date, end: date, leaves: Iterable[LeaveSpan]) -> int:
    """The longest run of calendar days from start to end with no approved leave taken."""
    spans = sorted(
        (max(s.start_date, start), min(s.end_date, end))
        for s in leaves
        if s.status == LeaveStatus.APPROVED and s.end_date >= start and s.start_date <= end
    )
    longest, cursor = 0, start
    for first, last in spans:
        longest = max(longest, (first - cursor).days)
        cursor = max(cursor, last + timedelta(days=1))
    return max(longest, (end - cursor).days + 1)


def time_off_factor(data: EmployeeData, *, as_of: date, workspace: WorkspaceData, weight: float) -> Factor:
    start = max(as_of - timedelta(days=TIME_OFF_DAYS - 1), data.employment_start)
    end = as_of if data.employment_end is None else min(as_of, data.employment_end)
    employed = max(0, (end - start).days + 1)
    if employed < 30:
        inputs = {"employed_days": employed}
        return Factor("time_off", None, weight, "Employed under 30 days in the last 12 months.", inputs)
    if not workspace.uses_leave:
        inputs = {"employed_days": employed}
        return Factor("time_off", None, weight, "Nobody in the workspace logged leave in the last 12 months.", inputs)
    resting = [s for s in data.leaves if s.kind in RESTING_KINDS and s.status == LeaveStatus.APPROVED]
    taken = sum((days_within(s, start, end, lambda: workspace.calendar) for s in resting), Decimal(0))
    yearly = sum(Decimal(str(workspace.allowances.get(kind, 0) or 0)) for kind in RESTING_KINDS)
    allowance = prorate(yearly, employed, TIME_OFF_DAYS)
    stretch = longest_stretch_without_leave(start, end, data.leaves)
    span = STRETCH_ZERO_DAYS - STRETCH_FULL_DAYS
    stretch_score = clamp(100 * (STRETCH_ZERO_DAYS - stretch) / span)
    inputs = {
        "days_taken": float(taken),
        "prorated_allowance": float(allowance),
        "longest_stretch_days": stretch,
        "employed_days": employed,
    }
    if allowance > 0:
        usage = clamp(100 * float(taken / allowance))
        score = rounded(USAGE_SHARE * usage + (1 - USAGE_SHARE) * stretch_score)
        explanation = (
            f"Took {float(taken):g} of {float(allowance):g} days of leave in 12 months; longest stretch without leave "
            f"{stretch} days."
        )
    else:
        score = rounded(stretch_score)
        explanation = f"No leave allowance; longest stretch without leave in 12 months {stretch} days."
    return Factor("time_off", score, weight, explanation, inputs)


# --- The score ---------------------------------------------------------------------------


def overall(factors: Iterable[Factor]) -> int | None:
    """The weighted mean of the factors with data and a weight; None when fewer than two."""
    counted = [f for f in factors if f.score is not None and f.weight > 0]
    if len(counted) < 2:
        return None
    return rounded(sum(f.score * f.weight for f in counted) / sum(f.weight for f in counted))


def compute_score(data: EmployeeData, *, workspace: WorkspaceData, as_of: date, window_days: int) -> Score:
    start, end = window_bounds(as_of, window_days)
    weights = workspace.weights
    factors = (
        recognition_factor(
            data.recognition,
            median=workspace.recognition_median,
            uses_kudos=workspace.uses_kudos,
            weight=weights.get("recognition", 1.0),
        ),
        participation_factor(
            data,
            start=start,
            end=end,
            calendar=workspace.calendar,
            uses_status_log=workspace.uses_status_log,
            weight=weights.get("participation", 1.0),
        ),
        workload_factor(data.workload, weight=weights.get("workload", 1.0)),
        time_off_factor(data, as_of=as_of, workspace=workspace, weight=weights.get("time_off", 1.0)),
    )
    score = overall(factors)
    return Score(as_of=as_of, window_days=window_days, score=score, band=band_of(score), factors=factors)


def median(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


# --- Groups ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One scored person as a group sees them."""

    group: str
    score: int | None
    factors: Mapping[str, int | None]


@dataclass(frozen=True)
class GroupFigures:
    key: str
    size: int  # people in the group
    suppressed: bool
    score: int | None = None
    band: str | None = None
    factors: Mapping[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class GroupSums:
    """What a group's figures are made of, as SQL's GROUP BY gives it: the number of scored
    people and the sum of their scores, and per factor the sum and count of those who have it."""

    size: int
    score_sum: int
    factor_sums: Mapping[str, tuple[int, int]]  # factor -> (sum, people with it)

    def __add__(self, other: "GroupSums") -> "GroupSums":
        sums = {}
        for key in FACTOR_KEYS:
            (mine, my_count), (theirs, their_count) = (
                self.factor_sums.get(key, (0, 0)),
                other.factor_sums.get(key, (0, 0)),
            )
            sums[key] = (mine + theirs, my_count + their_count)
        return GroupSums(self.size + other.size, self.score_sum + other.score_sum, sums)


NO_SUMS = GroupSums(0, 0, {})


def sums_of(members: Iterable[Member]) -> GroupSums:
    """The sums of scored members (those without an overall score are no members)."""
    total = NO_SUMS
    for member in members:
        if member.score is None:
            continue
        factors = {k: (v, 1) for k, v in member.factors.items() if v is not None}
        total = total + GroupSums(1, member.score, factors)
    return total


def figures_of(key: str, sums: GroupSums, min_size: int) -> GroupFigures:
    """A group's means: of the people's overall scores, and of each factor over those with it;
    a factor fewer than min_size of them have is None, so no mean describes fewer people."""
    score = rounded(sums.score_sum / sums.size) if sums.size else None
    factors = {}
    for factor in FACTOR_KEYS:
        total, count = sums.factor_sums.get(factor, (0, 0))
        factors[factor] = rounded(total / count) if count >= min_size else None
    return GroupFigures(key, sums.size, False, score, band_of(score), factors)


def suppressed_groups(sizes: Mapping[str, int], min_size: int) -> set[str]:
    """Groups below min_size, and, complementarily, the next-smallest others until the hidden ones
    are at least two and hold at least min_size people together: what the total minus the
    visible groups reveals is then a set as large as any visible group, never one small group."""
    hidden = {key for key, size in sizes.items() if size < min_size}
    if not hidden:
        return hidden
    visible = sorted((size, key) for key, size in sizes.items() if key not in hidden)
    while visible and (len(hidden) < 2 or sum(sizes[k] for k in hidden) < min_size):
        hidden.add(visible.pop(0)[1])
    return hidden


def report_of(sums_by_group: Mapping[str, GroupSums], min_size: int) -> tuple[list[GroupFigures], GroupFigures]:
    """Per group (sorted by key) its figures or suppressed, and the total over everyone (itself
    suppressed when the whole is below min_size). Groups with no scored person are left out."""
    present = {key: sums for key, sums in sums_by_group.items() if sums.size}
    hidden = suppressed_groups({key: sums.size for key, sums in present.items()}, min_size)
    groups = [
        GroupFigures(key, sums.size, True) if key in hidden else figures_of(key, sums, min_size)
        for key, sums in sorted(present.items())
    ]
    everyone = sum(present.values(), NO_SUMS)
    total = figures_of("", everyone, min_size) if everyone.size >= min_size else GroupFigures("", everyone.size, True)
    return groups, total


def group_report(members: Iterable[Member], min_size: int) -> tuple[list[GroupFigures], GroupFigures]:
    """report_of over people: only those with an overall score are members, so a group's size is
    the number of scores its mean is made of."""
    by_group: dict[str, list[Member]] = {}
    for member in members:
        by_group.setdefault(member.group, []).append(member)
    return report_of({key: sums_of(rows) for key, rows in by_group.items()}, min_size)
