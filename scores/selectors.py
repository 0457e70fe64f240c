"""The plain data the Employee Score is computed from, read in bulk: every figure is one
GROUP BY over the tenant's rows (kudos, status log, check-ins) or one narrow read (leave touching
the last 12 months), whether for one person or a hundred thousand, so the number of queries
does not grow with the people scored."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import Count, DateField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum

from employees.models import Employee, employed_on
from kudos.models import Kudos
from leave.choices import ACTIVE_STATUSES
from leave.models import Leave
from leave.selectors import MAX_YEAR, MIN_YEAR, calendar_for
from leave.spans import LeaveSpan
from pulsehr.tenancy.context import Tenant
from pulsehr.tenancy.models import Workspace
from statuslog.models import StatusLogEntry
from workload.models import WorkloadCheckin

from .constants import FACTOR_KEYS, TIME_OFF_DAYS, WORKLOAD_WEEKS
from .errors import InvalidScoreDates
from .model import (
    EmployeeData,
    GroupFigures,
    GroupSums,
    Member,
    Recognition,
    Score,
    WorkloadSummary,
    WorkspaceData,
    compute_score,
    median,
    recognition_raw,
    report_of,
    sums_of,
    window_bounds,
    workload_summary,
)
from .models import ScoreSnapshot

# As leave bounds its years: far from date.min and date.max, which window arithmetic would cross.
EARLIEST, LATEST = date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)


@dataclass(frozen=True)
class Person:
    """What the score and the groups need of an employee row."""

    id: str
    full_name: str
    department: str
    location: str
    manager_id: str | None
    start_date: date
    end_date: date | None


@dataclass(frozen=True)
class ScoreSettings:
    """The workspace's score settings, read fresh: an API key's cached workspace may be seconds
    old, and a privacy change must hold from the next request."""

    window_days: int
    weights: dict[str, float]
    change_threshold: int
    min_group_size: int
    privacy: str


def score_settings(*, tenant: Tenant) -> ScoreSettings:
    row = Workspace.objects.values(
        "score_window_days", "score_weights", "score_change_threshold", "score_min_group_size", "score_privacy"
    ).get(pk=tenant.workspace.pk)
    stored = row["score_weights"] or {}
    return ScoreSettings(
        window_days=row["score_window_days"],
        weights={key: float(stored.get(key, 1)) for key in FACTOR_KEYS},
        change_threshold=row["score_change_threshold"],
        min_group_size=row["score_min_group_size"],
        privacy=row["score_privacy"],
    )


PERSON_FIELDS = ("id", "full_name", "department", "location", "manager_id", "start_date", "end_date")


def parse_day(raw: str | None, *, name: str, default: date | None) -> date | None:
    if raw is None or raw == "":
        return default
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or len(raw) != 10 or not EARLIEST <= day <= LATEST:
        raise InvalidScoreDates(
            f"{name} must be a date (YYYY-MM-DD) in the years {MIN_YEAR}–{MAX_YEAR}, e.g. 2026-06-30.", fields=[name]
        )
    return day


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def _receivers(tenant: Tenant, start: date, end: date, ids: list[str] | None = None) -> dict[str, Recognition]:
    """Kudos received from start to end (local days), by receiver: one GROUP BY."""
    zone = ZoneInfo(tenant.workspace.timezone)
    rows = tenant.scope(Kudos.objects).filter(
        created_at__gte=_local_midnight(start, zone), created_at__lt=_local_midnight(end + timedelta(1), zone)
    )
    if ids is not None:
        rows = rows.filter(to_employee_id__in=ids)
    rows = (
        rows.values("to_employee_id")
        .annotate(givers=Count("from_employee_id", distinct=True), coins=Sum("coins"))
        .values_list("to_employee_id", "givers", "coins")
        .order_by()
    )
    return {receiver: Recognition(givers, coins) for receiver, givers, coins in rows}


# One person's score needs the workspace's median recognition, a GROUP BY over everyone's kudos:
# kept this long per workspace environment, day and window, so a page of scores pays it once.
RECOGNITION_CACHE_SECONDS = 600


def recognition_baseline(*, tenant: Tenant, as_of: date, window_days: int, receivers=None) -> tuple[float, bool]:
    """(the median recognition r over the people employed on as_of, counting 0 for those who
    received nothing; whether anyone received kudos in the window). Computed from `receivers`
    when given (a bulk read has them all), else read and cached for RECOGNITION_CACHE_SECONDS."""
    key = f"scores:recognition:{tenant.workspace.pk}:{tenant.environment}:{as_of.isoformat()}:{window_days}"
    if receivers is None:
        cached = cache.get(key)
        if cached is not None:
            return tuple(cached)
        receivers = _receivers(tenant, *window_bounds(as_of, window_days))
    employed_ids = set(tenant.scope(Employee.objects).filter(employed_on(as_of)).values_list("id", flat=True))
    raws = [recognition_raw(received) for receiver, received in receivers.items() if receiver in employed_ids]
    raws += [0.0] * (len(employed_ids) - len(raws))
    baseline = (median(raws), bool(receivers))
    cache.set(key, baseline, RECOGNITION_CACHE_SECONDS)
    return baseline


def _posted_days(tenant: Tenant, start: date, end: date, ids: list[str] | None) -> dict[str, int]:
    """Status-log days per employee in the window, while employed (one entry a day at most)."""
    rows = tenant.scope(StatusLogEntry.objects).filter(date__range=(start, end), date__gte=F("employee__start_date"))
    rows = rows.filter(Q(employee__end_date__isnull=True) | Q(date__lte=F("employee__end_date")))
    if ids is not None:
        rows = rows.filter(employee_id__in=ids)
    counted = rows.values("employee_id").annotate(days=Count("id")).values_list("employee_id", "days").order_by()
    return dict(counted)


def _workload(tenant: Tenant, as_of: date, ids: list[str] | None) -> dict[str, WorkloadSummary]:
    """Check-ins of the last 12 weeks by level per employee, and the overloaded weeks that follow
    an overloaded week. For the whole tenant, one GROUP BY with a correlated EXISTS; for a few
    people, their 13 weeks of rows summed by model.workload_summary (building that GROUP BY
    cost more than one score's other reads together)."""
    last = week_start(as_of)
    first = last - timedelta(weeks=WORKLOAD_WEEKS - 1)
    checkins = tenant.scope(WorkloadCheckin.objects)
    if ids is not None:
        weeks: dict[str, dict[date, str]] = defaultdict(dict)
        rows = checkins.filter(employee_id__in=ids, week_start__range=(first - timedelta(weeks=1), last))
        for employee_id, week, level in rows.values_list("employee_id", "week_start", "level").order_by():
            weeks[employee_id][week] = level
        summaries = {employee_id: workload_summary(levels, first_week=first) for employee_id, levels in weeks.items()}
        return {employee_id: summary for employee_id, summary in summaries.items() if summary.weeks}
    previous_overloaded = checkins.filter(
        employee_id=OuterRef("employee_id"),
        week_start=ExpressionWrapper(OuterRef("week_start") - timedelta(weeks=1), output_field=DateField()),
        level="overloaded",
    )
    rows = checkins.filter(week_start__range=(first, last))
    counts = {level: Count("id", filter=Q(level=level)) for level in ("light", "balanced", "heavy", "overloaded")}
    rows = (
        rows.values("employee_id")
        .annotate(**counts, streak_weeks=Count("id", filter=Q(level="overloaded") & Q(Exists(previous_overloaded))))
        .order_by()
    )
    return {row.pop("employee_id"): WorkloadSummary(**row) for row in rows}


def _leaves(tenant: Tenant, start: date, end: date, ids: list[str] | None) -> dict[str, list[LeaveSpan]]:
    rows = tenant.scope(Leave.objects).filter(status__in=ACTIVE_STATUSES, start_date__lte=end, end_date__gte=start)
    if ids is not None:
        rows = rows.filter(employee_id__in=ids)
    found: dict[str, list[LeaveSpan]] = defaultdict(list)
    for employee_id, *span in rows.values_list(
        "employee_id", "kind", "start_date", "end_date", "days", "status"
    ).order_by():
        found[employee_id].append(LeaveSpan(*span))
    return found


def _weights(workspace) -> dict[str, float]:
    stored = workspace.score_weights or {}
    return {key: float(stored.get(key, 1)) for key in FACTOR_KEYS}


def workspace_data(
    *, tenant: Tenant, as_of: date, settings: ScoreSettings, receivers: dict[str, Recognition] | None
) -> WorkspaceData:
    """The workspace's side of the score on as_of: its calendar over the last 12 months, its
    allowances and weights, and its recognition baseline (see recognition_baseline)."""
    workspace = tenant.workspace
    start, end = window_bounds(as_of, settings.window_days)
    median_r, uses_kudos = recognition_baseline(
        tenant=tenant, as_of=as_of, window_days=settings.window_days, receivers=receivers
    )
    posting = tenant.scope(StatusLogEntry.objects).filter(date__range=(start, end)).exists()
    calendar_start = min(start, as_of - timedelta(days=TIME_OFF_DAYS - 1))
    leave_logged = (
        tenant.scope(Leave.objects)
        .filter(status__in=ACTIVE_STATUSES, start_date__lte=as_of, end_date__gte=calendar_start)
        .exists()
    )
    return WorkspaceData(
        calendar=calendar_for(workspace=workspace, start=calendar_start, end=as_of),
        allowances=workspace.leave_allowances or {},
        recognition_median=median_r,
        uses_kudos=uses_kudos,
        uses_status_log=posting,
        uses_leave=leave_logged,
        weights=settings.weights,
    )


def scores_for(
    *,
    tenant: Tenant,
    people: Iterable[Person],
    as_of: date,
    settings: ScoreSettings | None = None,
    bulk: bool = True,
) -> list[tuple[Person, Score]]:
    """The scores of `people` on as_of. With bulk, the per-employee figures are read for the
    whole tenant (one GROUP BY each, no IN list of 100,000 ids); without it, for these people only."""
    people = list(people)
    settings = settings or score_settings(tenant=tenant)
    window_days = settings.window_days
    start, end = window_bounds(as_of, window_days)
    ids = None if bulk else [p.id for p in people]
    receivers = _receivers(tenant, start, end, ids)
    workspace = workspace_data(
        tenant=tenant, as_of=as_of, settings=settings, receivers=None if ids is not None else receivers
    )
    posted = _posted_days(tenant, start, end, ids)
    workload = _workload(tenant, as_of, ids)
    leaves = _leaves(tenant, as_of - timedelta(days=TIME_OFF_DAYS - 1), as_of, ids)
    nothing, no_checkins = Recognition(0, 0), WorkloadSummary()
    results = []
    for person in people:
        data = EmployeeData(
            employment_start=person.start_date,
            employment_end=person.end_date,
            recognition=receivers.get(person.id, nothing),
            posted_days=posted.get(person.id, 0),
            workload=workload.get(person.id, no_checkins),
            leaves=tuple(leaves.get(person.id, ())),
        )
        results.append((person, compute_score(data, workspace=workspace, as_of=as_of, window_days=window_days)))
    return results


def employee_score(
    *, tenant: Tenant, employee: Employee, as_of: date | None = None, settings: ScoreSettings | None = None
) -> tuple[Person, Score]:
    """One employee's score on as_of (default today where the workspace is)."""
    person = Person(*(getattr(employee, name) for name in PERSON_FIELDS))
    as_of = as_of or tenant.today()
    return scores_for(tenant=tenant, people=[person], as_of=as_of, settings=settings, bulk=False)[0]


def people_employed_on(*, tenant: Tenant, day: date) -> list[Person]:
    rows = tenant.scope(Employee.objects).filter(employed_on(day)).values_list(*PERSON_FIELDS).order_by("id")
    return [Person(*row) for row in rows]


GROUP_FIELD = {"department": "department", "location": "location", "manager": "manager_id"}
# A week's snapshot sums per group, kept this long: new snapshots make new keys at once (the
# generation below), while a person's move to another department shows within this time.
GROUP_SUMS_CACHE_SECONDS = 600


def snapshot_generation_key(tenant: Tenant) -> str:
    """The cache key of a counter that every write of snapshots in the tenant bumps."""
    return f"scores:snapshots:{tenant.workspace.pk}:{tenant.environment}"


def snapshots_written(tenant: Tenant) -> None:
    """Called once snapshots are committed: cached group sums of the tenant are no longer read."""
    key = snapshot_generation_key(tenant)
    cache.add(key, 0, timeout=None)
    cache.incr(key)


@dataclass(frozen=True)
class GroupReport:
    by: str
    as_of: date
    min_group_size: int
    groups: list[tuple[GroupFigures, str]]  # figures and the group's label
    total: GroupFigures
    from_snapshots: bool


def _live_sums(tenant: Tenant, by: str, as_of: date, settings: ScoreSettings) -> dict[str, GroupSums]:
    """Everyone employed on as_of scored now, in bulk (seconds for 100,000 people)."""
    people = people_employed_on(tenant=tenant, day=as_of)
    members: dict[str, list[Member]] = defaultdict(list)
    for person, score in scores_for(tenant=tenant, people=people, as_of=as_of, settings=settings):
        key = getattr(person, GROUP_FIELD[by]) or ""
        members[key].append(Member(group=key, score=score.score, factors={f.key: f.score for f in score.factors}))
    return {key: sums_of(rows) for key, rows in members.items()}


def _snapshot_sums(rows) -> dict[str, GroupSums]:
    """A week's snapshots summed per group in one GROUP BY (the field names the group)."""
    aggregates = {"size": Count("id"), "score_sum": Sum("score")}
    for key in FACTOR_KEYS:
        aggregates |= {f"{key}_sum": Sum(key), f"{key}_n": Count(key)}
    found = {}
    for row in rows.filter(score__isnull=False).annotate(**aggregates).order_by():
        factors = {key: (row[f"{key}_sum"] or 0, row[f"{key}_n"]) for key in FACTOR_KEYS}
        found[row["group"] or ""] = GroupSums(row["size"], row["score_sum"] or 0, factors)
    return found


def score_groups(*, tenant: Tenant, by: str, as_of: date | None = None) -> GroupReport:
    """Scores by department, location or manager (direct reports), small groups suppressed
    (model.report_of). From the weekly snapshots of as_of's week when they have been taken (one
    GROUP BY: the figures are then as of that Monday), else everyone employed on as_of scored now."""
    as_of = as_of or tenant.today()
    settings = score_settings(tenant=tenant)
    monday = week_start(as_of)
    key = f"{snapshot_generation_key(tenant)}:{cache.get(snapshot_generation_key(tenant), 0)}:{by}:{monday}"
    sums = cache.get(key)
    from_snapshots = sums is not None
    if sums is None:
        week = tenant.scope(ScoreSnapshot.objects).filter(week_start=monday)
        if week.exists():
            sums = _snapshot_sums(week.values(group=F(f"employee__{GROUP_FIELD[by]}")))
            cache.set(key, sums, GROUP_SUMS_CACHE_SECONDS)
            from_snapshots = True
    if from_snapshots:
        as_of = monday
    else:
        sums = _live_sums(tenant, by, as_of, settings)
    min_size = settings.min_group_size
    groups, total = report_of(sums, min_size)
    labels: dict[str, str] = {}
    if by == "manager":
        managers = [g.key for g in groups if g.key]
        labels = dict(tenant.scope(Employee.objects).filter(pk__in=managers).values_list("id", "full_name").order_by())
    labelled = [(g, labels.get(g.key, g.key) if g.key else "(none)") for g in groups]
    return GroupReport(by, as_of, min_size, labelled, total, from_snapshots)
