"""The plain data the Employee Score is computed from, read in bulk: every figure is one
GROUP BY over the tenant's rows (kudos, status log, check-ins) or one narrow read (leave touching
the last 12 months), whether for one person or a hundred thousand, so the number of queries
does not grow with the people scored."""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, DateField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum

from employees.models import Employee, employed_on
from kudos.models import Kudos
from leave.calendar import WorkCalendar, build_calendar, years_between
from leave.choices import ACTIVE_STATUSES
from leave.models import CompanyDayOff, Leave
from leave.selectors import MAX_YEAR, MIN_YEAR, calendar_for
from leave.spans import LeaveSpan
from pulsehr.rawsql import as_date, as_decimal
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


SETTING_FIELDS = (
    "score_window_days",
    "score_weights",
    "score_change_threshold",
    "score_min_group_size",
    "score_privacy",
)


def _settings_of(row: dict) -> ScoreSettings:
    stored = row["score_weights"] or {}
    return ScoreSettings(
        window_days=row["score_window_days"],
        weights={key: float(stored.get(key, 1)) for key in FACTOR_KEYS},
        change_threshold=row["score_change_threshold"],
        min_group_size=row["score_min_group_size"],
        privacy=row["score_privacy"],
    )


def score_settings(*, tenant: Tenant) -> ScoreSettings:
    return _settings_of(Workspace.objects.values(*SETTING_FIELDS).get(pk=tenant.workspace.pk))


def employee_and_settings(*, tenant: Tenant, employee_id: str) -> tuple[Person | None, ScoreSettings]:
    """The employee a score URL names (None when unknown or outside the tenant) and the
    workspace's score settings, read fresh, in one statement: with employee_reads, one person's
    score costs two statements where the ORM cost five (bench: employee_score_vs_floor)."""
    employee, workspace = Employee._meta.db_table, Workspace._meta.db_table
    columns = ", ".join(f"e.{Employee._meta.get_field(name).column}" for name in PERSON_FIELDS)
    statement = f"""
        SELECT {columns}, {", ".join(f"w.{name}" for name in SETTING_FIELDS)}
          FROM {workspace} w
          LEFT JOIN {employee} e ON e.id = %(employee)s AND e.workspace_id = w.id AND e.environment = %(environment)s
         WHERE w.id = %(workspace)s
    """
    params = {"employee": employee_id, "workspace": tenant.workspace.pk, "environment": tenant.environment}
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        row = cursor.fetchone()
    found, settings = row[: len(PERSON_FIELDS)], dict(zip(SETTING_FIELDS, row[len(PERSON_FIELDS) :], strict=True))
    # The JSON column comes back as text (Django's loaders leave decoding to the field).
    if isinstance(settings["score_weights"], str):
        settings["score_weights"] = json.loads(settings["score_weights"])
    person = None
    if found[0] is not None:
        person = Person(*found[:5], as_date(found[5]), as_date(found[6]))
    return person, _settings_of(settings)


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


def _receivers(tenant: Tenant, start: date, end: date) -> dict[str, Recognition]:
    """Kudos received from start to end (local days), by receiver: one GROUP BY."""
    zone = ZoneInfo(tenant.workspace.timezone)
    rows = tenant.scope(Kudos.objects).filter(
        created_at__gte=_local_midnight(start, zone), created_at__lt=_local_midnight(end + timedelta(1), zone)
    )
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


def _posted_days(tenant: Tenant, start: date, end: date) -> dict[str, int]:
    """Status-log days per employee in the window, while employed (one entry a day at most)."""
    rows = tenant.scope(StatusLogEntry.objects).filter(date__range=(start, end), date__gte=F("employee__start_date"))
    rows = rows.filter(Q(employee__end_date__isnull=True) | Q(date__lte=F("employee__end_date")))
    counted = rows.values("employee_id").annotate(days=Count("id")).values_list("employee_id", "days").order_by()
    return dict(counted)


def _workload(tenant: Tenant, as_of: date) -> dict[str, WorkloadSummary]:
    """Check-ins of the last 12 weeks by level per employee, and the overloaded weeks that follow
    an overloaded week: one GROUP BY with a correlated EXISTS."""
    last = week_start(as_of)
    first = last - timedelta(weeks=WORKLOAD_WEEKS - 1)
    checkins = tenant.scope(WorkloadCheckin.objects)
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


def _leaves(tenant: Tenant, start: date, end: date) -> dict[str, list[LeaveSpan]]:
    rows = tenant.scope(Leave.objects).filter(status__in=ACTIVE_STATUSES, start_date__lte=end, end_date__gte=start)
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
) -> list[tuple[Person, Score]]:
    """The scores of `people` on as_of, from figures read for the whole tenant (one GROUP BY each,
    no IN list of 100,000 ids). One person's score reads less: employee_score."""
    people = list(people)
    settings = settings or score_settings(tenant=tenant)
    window_days = settings.window_days
    start, end = window_bounds(as_of, window_days)
    receivers = _receivers(tenant, start, end)
    workspace = workspace_data(tenant=tenant, as_of=as_of, settings=settings, receivers=receivers)
    posted = _posted_days(tenant, start, end)
    workload = _workload(tenant, as_of)
    leaves = _leaves(tenant, as_of - timedelta(days=TIME_OFF_DAYS - 1), as_of)
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


@dataclass(frozen=True)
class EmployeeReads:
    """What one person's score reads besides the workspace's recognition median."""

    recognition: Recognition
    posted_days: int
    workload: WorkloadSummary
    leaves: tuple[LeaveSpan, ...]
    workspace_posts: bool  # anyone posted to the status log in the window
    workspace_leave: bool  # anyone's leave is logged in the last 12 months
    calendar: WorkCalendar  # the workspace's, over the window and the last 12 months


def _employee_statement() -> str:
    """One person's kudos, status-log days, check-ins and leave, the workspace's two "is it used"
    flags and its company days off, as rows of one shape: (part, count, amount, day, day, text,
    text). Every part is narrowed to the tenant here, as Tenant.scope would."""
    tenant = "workspace_id = %(workspace)s AND environment = %(environment)s"
    active = ", ".join(f"'{status}'" for status in ACTIVE_STATUSES)
    null_day, null_text, null_count = "CAST(NULL AS DATE)", "CAST(NULL AS VARCHAR(16))", "CAST(NULL AS INTEGER)"
    return f"""
        SELECT 'kudos', COUNT(DISTINCT from_employee_id), SUM(coins), {null_day}, {null_day}, {null_text}, {null_text}
          FROM {Kudos._meta.db_table}
         WHERE {tenant} AND to_employee_id = %(employee)s
           AND created_at >= %(kudos_from)s AND created_at < %(kudos_to)s
        UNION ALL
        SELECT 'posted', COUNT(*), NULL, {null_day}, {null_day}, {null_text}, {null_text}
          FROM {StatusLogEntry._meta.db_table}
         WHERE {tenant} AND employee_id = %(employee)s AND date >= %(posted_from)s AND date <= %(posted_to)s
        UNION ALL
        SELECT 'week', {null_count}, NULL, week_start, {null_day}, level, {null_text}
          FROM {WorkloadCheckin._meta.db_table}
         WHERE {tenant} AND employee_id = %(employee)s AND week_start >= %(weeks_from)s AND week_start <= %(weeks_to)s
        UNION ALL
        SELECT 'leave', {null_count}, days, start_date, end_date, kind, status
          FROM {Leave._meta.db_table}
         WHERE {tenant} AND employee_id = %(employee)s AND status IN ({active})
           AND start_date <= %(as_of)s AND end_date >= %(year_from)s
        UNION ALL
        SELECT 'workspace_posts', CASE WHEN EXISTS (
                   SELECT 1 FROM {StatusLogEntry._meta.db_table}
                    WHERE {tenant} AND date >= %(window_from)s AND date <= %(as_of)s
               ) THEN 1 ELSE 0 END, NULL, {null_day}, {null_day}, {null_text}, {null_text}
        UNION ALL
        SELECT 'workspace_leave', CASE WHEN EXISTS (
                   SELECT 1 FROM {Leave._meta.db_table}
                    WHERE {tenant} AND status IN ({active})
                      AND start_date <= %(as_of)s AND end_date >= %(calendar_from)s
               ) THEN 1 ELSE 0 END, NULL, {null_day}, {null_day}, {null_text}, {null_text}
        UNION ALL
        SELECT 'day_off', {null_count}, NULL, date, {null_day}, {null_text}, {null_text}
          FROM {CompanyDayOff._meta.db_table}
         WHERE workspace_id = %(workspace)s AND date >= %(calendar_from)s AND date <= %(as_of)s
    """


def employee_reads(*, tenant: Tenant, person: Person, as_of: date, window_days: int) -> EmployeeReads:
    """What scores_for reads for one person, in one statement: one person's score is what the API
    serves most, and building its seven querysets cost more than running them (bench:
    employee_score_vs_floor). The same figures as scores_for's bulk reads, which a test holds."""
    start, end = window_bounds(as_of, window_days)
    zone = ZoneInfo(tenant.workspace.timezone)
    last_week = week_start(as_of)
    calendar_from = min(start, as_of - timedelta(days=TIME_OFF_DAYS - 1))
    ops = connection.ops
    params = {
        "workspace": tenant.workspace.pk,
        "environment": tenant.environment,
        "employee": person.id,
        "kudos_from": ops.adapt_datetimefield_value(_local_midnight(start, zone)),
        "kudos_to": ops.adapt_datetimefield_value(_local_midnight(end + timedelta(1), zone)),
        # Status-log days count while employed.
        "posted_from": ops.adapt_datefield_value(max(start, person.start_date)),
        "posted_to": ops.adapt_datefield_value(end if person.end_date is None else min(end, person.end_date)),
        # The week before the 12 makes the first one part of a streak (model.workload_summary).
        "weeks_from": ops.adapt_datefield_value(last_week - timedelta(weeks=WORKLOAD_WEEKS)),
        "weeks_to": ops.adapt_datefield_value(last_week),
        "year_from": ops.adapt_datefield_value(as_of - timedelta(days=TIME_OFF_DAYS - 1)),
        "window_from": ops.adapt_datefield_value(start),
        "calendar_from": ops.adapt_datefield_value(calendar_from),
        "as_of": ops.adapt_datefield_value(as_of),
    }
    with connection.cursor() as cursor:
        cursor.execute(_employee_statement(), params)
        rows = cursor.fetchall()
    by_part: dict[str, list[tuple]] = defaultdict(list)
    for part, *row in rows:
        by_part[part].append(row)
    givers, coins = by_part["kudos"][0][:2]
    weeks = {as_date(day): level for _, _, day, _, level, _ in by_part["week"]}
    return EmployeeReads(
        # coins share a column with leave's days: numeric on PostgreSQL.
        recognition=Recognition(int(givers), int(coins)) if givers else Recognition(0, 0),
        posted_days=by_part["posted"][0][0],
        workload=workload_summary(weeks, first_week=last_week - timedelta(weeks=WORKLOAD_WEEKS - 1)),
        leaves=tuple(
            LeaveSpan(kind, as_date(first), as_date(last), as_decimal(days), status)
            for _, days, first, last, kind, status in by_part["leave"]
        ),
        workspace_posts=bool(by_part["workspace_posts"][0][0]),
        workspace_leave=bool(by_part["workspace_leave"][0][0]),
        calendar=build_calendar(
            work_week=tenant.workspace.work_week,
            country=tenant.workspace.country,
            region=tenant.workspace.region,
            years=years_between(calendar_from, as_of),
            company_days_off=[as_date(day) for _, _, day, *_ in by_part["day_off"]],
        ),
    )


def person_of(employee: Employee) -> Person:
    return Person(*(getattr(employee, name) for name in PERSON_FIELDS))


def employee_score(
    *, tenant: Tenant, person: Person, as_of: date | None = None, settings: ScoreSettings | None = None
) -> tuple[Person, Score]:
    """One employee's score on as_of (default today where the workspace is): what scores_for
    computes, from employee_reads and the workspace's recognition median."""
    as_of = as_of or tenant.today()
    settings = settings or score_settings(tenant=tenant)
    reads = employee_reads(tenant=tenant, person=person, as_of=as_of, window_days=settings.window_days)
    median_r, uses_kudos = recognition_baseline(tenant=tenant, as_of=as_of, window_days=settings.window_days)
    context = WorkspaceData(
        calendar=reads.calendar,
        allowances=tenant.workspace.leave_allowances or {},
        recognition_median=median_r,
        uses_kudos=uses_kudos,
        uses_status_log=reads.workspace_posts,
        uses_leave=reads.workspace_leave,
        weights=settings.weights,
    )
    data = EmployeeData(
        employment_start=person.start_date,
        employment_end=person.end_date,
        recognition=reads.recognition,
        posted_days=reads.posted_days,
        workload=reads.workload,
        leaves=reads.leaves,
    )
    return person, compute_score(data, workspace=context, as_of=as_of, window_days=settings.window_days)


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
