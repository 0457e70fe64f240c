"""The admin's employee page: one person in context (their managers, reports, leave balance,
recent status log, kudos and workload). Every read is scoped to the person's own workspace
environment, and the page costs a fixed number of queries however long their history is."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, Sum

from employees.models import Employee
from kudos.models import Kudos
from leave.ledger import KindBalance
from leave.selectors import leave_balances
from pulsehr.tenancy.context import Tenant
from statuslog.models import StatusLogEntry
from workload.choices import WorkloadLevel
from workload.models import WorkloadCheckin
from workload.services import monday_of

RECENT = 5
WORKLOAD_WEEKS = 12
# Managers loaded per query when walking up the chain: one query covers most organisations.
CHAIN_PER_QUERY = 8


@dataclass(frozen=True)
class KudosTotals:
    kudos: int
    coins: int


@dataclass(frozen=True)
class WeekLevel:
    week_start: date
    level: str | None  # None: no check-in that week

    @property
    def rank(self) -> int | None:
        """1 (light) to 4 (overloaded), for the sparkline."""
        return None if self.level is None else WorkloadLevel.values.index(self.level) + 1

    @property
    def label(self) -> str:
        return WorkloadLevel(self.level).label if self.level else "No check-in"


@dataclass(frozen=True)
class EmployeeProfile:
    employee: Employee
    today: date
    managers: list[Employee]  # the direct manager first, up to the top
    reports: list[Employee]
    year: int
    balances: list[KindBalance]
    entries: list[StatusLogEntry]
    kudos_received: list[Kudos]
    kudos_given: list[Kudos]
    received: KudosTotals
    given: KudosTotals
    workload: list[WeekLevel]  # oldest first

    @property
    def has_workload(self) -> bool:
        return any(week.level for week in self.workload)


def employee_managers(*, tenant: Tenant, employee: Employee) -> list[Employee]:
    """The manager chain up to the top, the direct manager first. Each query loads up to
    CHAIN_PER_QUERY managers through joins; a manager outside the tenant, or a loop, ends it."""
    chain: list[Employee] = []
    seen = {employee.pk}
    next_id = employee.manager_id
    deeper = "__".join(["manager"] * (CHAIN_PER_QUERY - 1))
    while next_id is not None and next_id not in seen:
        node = tenant.scope(Employee.objects).select_related(deeper).filter(pk=next_id).first()
        next_id = None
        for _ in range(CHAIN_PER_QUERY):
            if node is None or node.pk in seen or (node.workspace_id, node.environment) != tenant_key(tenant):
                break
            chain.append(node)
            seen.add(node.pk)
            next_id = node.manager_id
            # Follow only what the join loaded; the outer loop queries for the rest.
            node = node.manager if Employee.manager.is_cached(node) else None
    return chain


def tenant_key(tenant: Tenant) -> tuple[str, str]:
    return tenant.workspace.pk, tenant.environment


def employee_kudos_totals(*, tenant: Tenant, employee: Employee) -> tuple[KudosTotals, KudosTotals]:
    """Kudos and coins received and given, ever, in one query."""
    to_them, from_them = Q(to_employee_id=employee.pk), Q(from_employee_id=employee.pk)
    figures = (
        tenant.scope(Kudos.objects)
        .filter(to_them | from_them)
        .aggregate(
            received=Count("pk", filter=to_them),
            received_coins=Sum("coins", filter=to_them),
            given=Count("pk", filter=from_them),
            given_coins=Sum("coins", filter=from_them),
        )
    )
    return (
        KudosTotals(kudos=figures["received"], coins=figures["received_coins"] or 0),
        KudosTotals(kudos=figures["given"], coins=figures["given_coins"] or 0),
    )


def employee_workload_weeks(*, tenant: Tenant, employee: Employee, today: date) -> list[WeekLevel]:
    current = monday_of(today)
    weeks = [current - timedelta(weeks=n) for n in range(WORKLOAD_WEEKS - 1, -1, -1)]
    levels = dict(
        tenant.scope(WorkloadCheckin.objects)
        .filter(employee_id=employee.pk, week_start__gte=weeks[0], week_start__lte=current)
        .values_list("week_start", "level")
    )
    return [WeekLevel(week_start=week, level=levels.get(week)) for week in weeks]


def employee_profile(*, employee: Employee) -> EmployeeProfile:
    tenant = Tenant.of(employee)
    today = tenant.today()
    kudos = tenant.scope(Kudos.objects).order_by("-created_at", "-id")
    received, given = employee_kudos_totals(tenant=tenant, employee=employee)
    _, balances = leave_balances(tenant=tenant, employee_id=employee.pk, year=today.year, as_of=today)
    return EmployeeProfile(
        employee=employee,
        today=today,
        managers=employee_managers(tenant=tenant, employee=employee),
        reports=list(tenant.scope(Employee.objects).filter(manager_id=employee.pk).order_by("full_name", "id")),
        year=today.year,
        balances=balances,
        entries=list(
            tenant.scope(StatusLogEntry.objects).filter(employee_id=employee.pk).order_by("-date", "-id")[:RECENT]
        ),
        kudos_received=list(kudos.filter(to_employee_id=employee.pk).select_related("from_employee")[:RECENT]),
        kudos_given=list(kudos.filter(from_employee_id=employee.pk).select_related("to_employee")[:RECENT]),
        received=received,
        given=given,
        workload=employee_workload_weeks(tenant=tenant, employee=employee, today=today),
    )
