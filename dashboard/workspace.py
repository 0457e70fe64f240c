"""The admin index's figures for one workspace environment: who is here, who is away, what
waits for a decision, how loaded people feel, who posts their status, who is thanked.

Every query goes through tenant.scope() and aggregates in the database, so the page costs the
same handful of queries for five people or five thousand. Dates are the workspace's own
(Tenant.today()): "this month" in Rome starts at midnight in Rome."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import BooleanField, Case, Count, Q, Sum, Value, When, Window

from employees.models import Employee, active_on, employed_on
from kudos.models import Kudos
from kudos.selectors import kudos_month_window
from leave.choices import ACTIVE_STATUSES, LeaveStatus
from leave.models import Leave
from leave.selectors import calendar_for
from pulsehr.tenancy.context import Tenant
from statuslog.models import StatusLogEntry
from workload.choices import WorkloadLevel
from workload.models import WorkloadCheckin
from workload.services import monday_of

TREND_WEEKS = 12
PARTICIPATION_DAYS = 14  # calendar days looked back, today included; only working days are shown
PENDING_SHOWN = 10
LEADERBOARD_SIZE = 10
AWAY_SHOWN = 50


def month_start(day: date) -> date:
    return day.replace(day=1)


@dataclass(frozen=True)
class Headcount:
    """By the one rule of employees/models.py: `active` are the people at work today (active and
    started); `starting_later` the active ones whose start date is still ahead. Together they are
    the API's `status=active`."""

    active: int
    starting_later: int
    joined_this_month: int
    left_this_month: int


@dataclass(frozen=True)
class Away:
    """One leave touching the current week."""

    leave: Leave
    is_today: bool


@dataclass(frozen=True)
class WeekLoad:
    week_start: date
    counts: dict[str, int]  # level → people who checked in at that level

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def by_level(self) -> list[int]:
        """Counts in the scale's order, light to overloaded."""
        return [self.counts[level] for level in WorkloadLevel.values]


@dataclass(frozen=True)
class DayParticipation:
    day: date
    posted: int
    active: int

    @property
    def percent(self) -> int:
        return round(100 * self.posted / self.active) if self.active else 0


@dataclass(frozen=True)
class Receiver:
    employee_id: str
    full_name: str
    coins: int
    kudos: int


@dataclass(frozen=True)
class Dashboard:
    tenant: Tenant
    today: date
    week_start: date
    headcount: Headcount
    away: list[Away]
    away_more: int
    pending_count: int
    pending: list[Leave]
    workload_weeks: list[WeekLoad]
    participation: list[DayParticipation]
    leaderboard: list[Receiver]

    @property
    def away_today(self) -> list[Away]:
        return [entry for entry in self.away if entry.is_today]

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def has_workload(self) -> bool:
        return any(week.total for week in self.workload_weeks)

    @property
    def has_posts(self) -> bool:
        return any(day.posted for day in self.participation)

    @property
    def this_week_load(self) -> WeekLoad:
        return self.workload_weeks[-1]

    @property
    def without_checkin(self) -> int:
        return max(0, self.headcount.active - self.this_week_load.total)

    @property
    def is_empty(self) -> bool:
        headcount = self.headcount
        return not (
            headcount.active or headcount.starting_later or headcount.left_this_month or headcount.joined_this_month
        )


def dashboard_headcount_and_presence(*, tenant: Tenant, today: date, days: list[date]) -> tuple[Headcount, list[int]]:
    """The headcount and how many people were employed on each of `days`, in one query."""
    first = month_start(today)
    per_day = {f"day_{i}": Count("pk", filter=employed_on(day)) for i, day in enumerate(days)}
    figures = tenant.scope(Employee.objects).aggregate(
        active=Count("pk", filter=employed_on(today)),
        starting_later=Count("pk", filter=active_on(today) & Q(start_date__gt=today)),
        joined=Count("pk", filter=Q(start_date__gte=first, start_date__lte=today)),
        left=Count("pk", filter=Q(end_date__gte=first, end_date__lte=today)),
        **per_day,
    )
    headcount = Headcount(
        active=figures["active"],
        starting_later=figures["starting_later"],
        joined_this_month=figures["joined"],
        left_this_month=figures["left"],
    )
    return headcount, [figures[f"day_{i}"] for i in range(len(days))]


def dashboard_away(*, tenant: Tenant, today: date) -> tuple[list[Away], int]:
    """Pending and approved leave touching the current week (Monday to Sunday), today's first;
    at most AWAY_SHOWN, and how many more there are (counted in the same query, by a window).
    Today's are ordered first in the query, so a cut list never drops someone who is away today
    for someone who was away on Monday."""
    monday = monday_of(today)
    away_today = Q(start_date__lte=today, end_date__gte=today)
    touching = (
        tenant.scope(Leave.objects)
        .filter(status__in=ACTIVE_STATUSES, start_date__lte=monday + timedelta(days=6), end_date__gte=monday)
        .annotate(
            is_today=Case(When(away_today, then=Value(True)), default=Value(False), output_field=BooleanField()),
            total=Window(Count("pk")),
        )
        .select_related("employee")
        .order_by("-is_today", "start_date", "employee__full_name", "id")
    )
    rows = list(touching[:AWAY_SHOWN])
    more = rows[0].total - len(rows) if rows else 0
    return [Away(leave=leave, is_today=leave.is_today) for leave in rows], more


def dashboard_pending(*, tenant: Tenant) -> tuple[int, list[Leave]]:
    """Leave awaiting a decision: how many (by a window, in the same query), and the oldest
    requests first."""
    pending = (
        tenant.scope(Leave.objects)
        .filter(status=LeaveStatus.PENDING)
        .annotate(total=Window(Count("pk")))
        .select_related("employee")
        .order_by("created_at", "id")
    )
    shown = list(pending[:PENDING_SHOWN])
    return (shown[0].total if shown else 0), shown


def dashboard_workload(*, tenant: Tenant, today: date) -> list[WeekLoad]:
    """People per workload level for each of the last TREND_WEEKS weeks, oldest first; the
    last is the current week."""
    current = monday_of(today)
    weeks = [current - timedelta(weeks=n) for n in range(TREND_WEEKS - 1, -1, -1)]
    rows = (
        tenant.scope(WorkloadCheckin.objects)
        .filter(week_start__gte=weeks[0], week_start__lte=current)
        .values("week_start", "level")
        .annotate(people=Count("pk"))
        .order_by()
    )
    counts: dict[date, dict[str, int]] = {week: dict.fromkeys(WorkloadLevel.values, 0) for week in weeks}
    for row in rows:
        counts[row["week_start"]][row["level"]] = row["people"]
    return [WeekLoad(week_start=week, counts=counts[week]) for week in weeks]


def dashboard_working_days(*, tenant: Tenant, today: date) -> list[date]:
    """The workspace's working days among the last PARTICIPATION_DAYS days, today included."""
    start = today - timedelta(days=PARTICIPATION_DAYS - 1)
    calendar = calendar_for(workspace=tenant.workspace, start=start, end=today)
    return [
        day for day in (start + timedelta(days=n) for n in range(PARTICIPATION_DAYS)) if calendar.is_working_day(day)
    ]


def dashboard_posted(*, tenant: Tenant, days: list[date]) -> dict[date, int]:
    """People who posted a status-log entry, per day."""
    if not days:
        return {}
    rows = (
        tenant.scope(StatusLogEntry.objects)
        .filter(date__in=days)
        .values("date")
        .annotate(people=Count("employee", distinct=True))
        .order_by()
    )
    return {row["date"]: row["people"] for row in rows}


def dashboard_leaderboard(*, tenant: Tenant, today: date) -> list[Receiver]:
    """The month's top kudos receivers by coins, the month being the workspace's calendar month."""
    noon = datetime.combine(today, time(12), tzinfo=ZoneInfo(tenant.workspace.timezone))
    window = kudos_month_window(tenant=tenant, at=noon)
    rows = (
        tenant.scope(Kudos.objects)
        .filter(created_at__gte=window.start, created_at__lt=window.end)
        .values("to_employee_id", "to_employee__full_name")
        .annotate(coins=Sum("coins"), kudos=Count("pk"))
        .order_by("-coins", "to_employee__full_name")[:LEADERBOARD_SIZE]
    )
    return [
        Receiver(
            employee_id=row["to_employee_id"],
            full_name=row["to_employee__full_name"],
            coins=row["coins"],
            kudos=row["kudos"],
        )
        for row in rows
    ]


def dashboard_for(*, tenant: Tenant) -> Dashboard:
    today = tenant.today()
    days = dashboard_working_days(tenant=tenant, today=today)
    headcount, employed = dashboard_headcount_and_presence(tenant=tenant, today=today, days=days)
    posted = dashboard_posted(tenant=tenant, days=days)
    away, away_more = dashboard_away(tenant=tenant, today=today)
    pending_count, pending = dashboard_pending(tenant=tenant)
    return Dashboard(
        tenant=tenant,
        today=today,
        week_start=monday_of(today),
        headcount=headcount,
        away=away,
        away_more=away_more,
        pending_count=pending_count,
        pending=pending,
        workload_weeks=dashboard_workload(tenant=tenant, today=today),
        participation=[
            DayParticipation(day=day, posted=posted.get(day, 0), active=active)
            for day, active in zip(days, employed, strict=True)
        ],
        leaderboard=dashboard_leaderboard(tenant=tenant, today=today),
    )
