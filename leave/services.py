"""The one write path for leave, used by the API and the admin. Each function checks the
rules, saves, and records its event in one transaction."""

import logging
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from employees.errors import UnknownEmployee
from employees.models import Employee
from pulsehr.errors import InvalidInput
from pulsehr.locking import locked_at_version
from pulsehr.tenancy.context import Actor, Tenant
from pulsehr.tenancy.models import Workspace
from pulsehr.tenancy.selectors import actor_label
from webhooks.outbox import event_record

from .choices import ACTIVE_STATUSES, Approvers, CarryOver, LeaveKind, LeaveStatus, LeaveUnit, LedgerEntryKind
from .errors import (
    InvalidLeaveDates,
    InvalidLeaveHours,
    LeaveNotDecidable,
    LeaveNotPending,
    LeaveOutOfRange,
    LeaveOverdrawn,
    LeaveOverlaps,
)
from .ledger import Entry, kind_balance, plan_entries, year_bounds
from .models import Leave, LeaveLedgerEntry
from .policies import LeavePolicies, policies_of
from .representations import leave_as_dict, ledger_entry_as_dict
from .selectors import (
    MAX_YEAR,
    MIN_YEAR,
    balance_inputs,
    calendar_for,
    leave_usage,
    pending_amounts,
)

logger = logging.getLogger("pulsehr.leave")

# Long enough for parental leave; short enough that one request cannot make the server
# compute holidays for centuries.
MAX_LEAVE_DAYS = 731


def leave_check_rules(
    *,
    tenant: Tenant,
    employee: Employee,
    kind: str,
    start_date: date,
    end_date: date,
    half_day: bool = False,
    hours: Decimal | None = None,
) -> Decimal:
    """The rules for new leave, shared by leave_log and the admin's form validation.
    Returns the working days the leave costs (for hourly leave, its fraction of a day)."""
    if kind not in LeaveKind.values:
        raise InvalidLeaveDates(f"kind must be one of {', '.join(LeaveKind.values)}.", fields=["kind"])
    policies = policies_of(Workspace.objects.get(pk=tenant.workspace.pk))  # fresh, as for approval mode
    policy = policies.of(kind)
    if hours is not None:
        if policy.unit != LeaveUnit.HOURS:
            raise InvalidLeaveHours(f"{kind} is counted in days: use half_day, not hours.", fields=["hours"])
        if end_date != start_date or half_day:
            raise InvalidLeaveHours(
                "Hours are for a single day: start_date and end_date must be equal.", fields=["hours"]
            )
        if hours <= 0 or hours % policy.step or hours > policy.hours_per_day:
            raise InvalidLeaveHours(
                f"hours must be a positive multiple of {policy.step}, up to the {policy.hours_per_day} hours of a "
                "working day.",
                fields=["hours"],
            )
    for name, value in (("start_date", start_date), ("end_date", end_date)):
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise InvalidLeaveDates(f"{name} must fall in the years {MIN_YEAR}–{MAX_YEAR}.", fields=[name])
    if end_date < start_date:
        raise LeaveOutOfRange("end_date must not be before start_date.", fields=["end_date"])
    if half_day and end_date != start_date:
        raise LeaveOutOfRange("A half day is a single day: start_date and end_date must be equal.", fields=["half_day"])
    if (end_date - start_date).days + 1 > MAX_LEAVE_DAYS:
        raise LeaveOutOfRange(f"A leave may span at most {MAX_LEAVE_DAYS} calendar days.", fields=["end_date"])
    if start_date < employee.start_date:
        raise LeaveOutOfRange(
            f"{employee.full_name} starts on {employee.start_date.isoformat()}; leave cannot begin before that.",
            fields=["start_date"],
        )
    if employee.end_date is not None and end_date > employee.end_date:
        raise LeaveOutOfRange(
            f"{employee.full_name}'s last day is {employee.end_date.isoformat()}; leave cannot run past it.",
            fields=["end_date"],
        )
    calendar = calendar_for(workspace=tenant.workspace, start=start_date, end=end_date)
    days = calendar.leave_days(start_date, end_date, half_day)
    if hours is not None and days:
        days = (hours / policy.hours_per_day).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    if not days:
        raise LeaveOutOfRange(
            "There is no working day in this range (weekends, public holidays and company days off are not "
            "working days).",
            fields=["start_date"],
        )
    overlapping = (
        tenant.scope(Leave.objects)
        .filter(employee_id=employee.pk, status__in=ACTIVE_STATUSES, start_date__lte=end_date, end_date__gte=start_date)
        .order_by("start_date")
        .first()
    )
    if overlapping is not None:
        raise LeaveOverlaps(
            f"This overlaps {overlapping.pk} ({overlapping}, {overlapping.status}); cancel it or choose other dates.",
            fields=["start_date", "end_date"],
        )
    request = Leave(kind=kind, start_date=start_date, end_date=end_date, days=days, half_day=half_day, hours=hours)
    _overdraw_check(tenant, employee, policies, request, lambda: calendar, field="hours" if hours else "end_date")
    return days


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _overdraw_check(tenant: Tenant, employee: Employee, policies: LeavePolicies, request: Leave, calendar, field: str):
    """Refuse a request for more than is available in each year it touches: the entitlement on its
    last day there (accruals due by then included) less all approved and pending leave of the
    year, down to the kind's negative limit."""
    policy = policies.of(request.kind)
    if policy.yearly is None:
        return
    by_year: dict[int, list] = {}
    for day, amount in leave_usage(request, policies, calendar):
        by_year.setdefault(day.year, []).append((day, amount))
    for year, days in sorted(by_year.items()):
        first, last = year_bounds(year)
        needed = sum((amount for _, amount in days), Decimal(0))
        on = max(day for day, _ in days)
        read = balance_inputs(tenant=tenant, employee_id=employee.pk, policies=policies, year=year)
        pending = pending_amounts(tenant=tenant, leaves=read.pending, first=first, last=last, policies=policies)
        balance = kind_balance(
            policy=policy,
            employment_start=employee.start_date,
            employment_end=employee.end_date,
            entries=read.entries[request.kind],
            pending=pending[request.kind],
            year=year,
            as_of=on,
        )
        if balance.available - needed < -policy.negative_limit:
            unit = policy.unit
            allowed = f" (and {_number(policy.negative_limit)} below zero)" if policy.negative_limit else ""
            raise LeaveOverdrawn(
                f"Only {_number(balance.available)} {unit}{allowed} of {request.kind} are available on "
                f"{on.isoformat()}; this request needs {_number(needed)} {unit}.",
                fields=[field],
            )


def leave_log(
    *,
    tenant: Tenant,
    actor: Actor,
    employee_id: str,
    kind: str,
    start_date: date,
    end_date: date | None = None,
    half_day: bool = False,
    hours: Decimal | None = None,
    note: str = "",
) -> Leave:
    """Record leave for an employee: approved at once, or pending when the workspace
    requires approval. The employee's row is locked, so two overlapping requests for the
    same person cannot both pass the overlap check."""
    end_date = start_date if end_date is None else end_date
    with transaction.atomic():
        employee = tenant.scope(Employee.objects).select_for_update().filter(pk=employee_id).first()
        if employee is None:
            raise UnknownEmployee(
                f"employee_id {employee_id} is not an employee of this workspace.", fields=["employee_id"]
            )
        days = leave_check_rules(
            tenant=tenant,
            employee=employee,
            kind=kind,
            start_date=start_date,
            end_date=end_date,
            half_day=half_day,
            hours=hours,
        )
        # Read fresh: the workspace on the tenant may come from the 5-second API-key cache.
        approval = Workspace.objects.values_list("leave_approval_required", flat=True).get(pk=tenant.workspace.pk)
        status = LeaveStatus.PENDING if approval else LeaveStatus.APPROVED
        leave = Leave.objects.create(
            workspace=tenant.workspace,
            environment=tenant.environment,
            employee=employee,
            employee_name=employee.full_name,
            employee_department=employee.department,
            employee_location=employee.location,
            kind=kind,
            start_date=start_date,
            end_date=end_date,
            half_day=half_day,
            days=days,
            hours=hours,
            note=note,
            status=status,
        )
        if status == LeaveStatus.APPROVED:
            ledger_usage_record(tenant=tenant, leave=leave)
        event_record(tenant=tenant, type="leave.logged", data=leave_as_dict(leave), actor=actor)
    return leave


def leave_follow_employee(*, tenant: Tenant, employee: Employee) -> None:
    """Their leave keeps the person's new name, department and location (Leave.employee_name …).
    Registered with employees' profile hooks; runs inside the employee's update, so the change
    and the copies commit together. Not an event: the leave itself has not changed."""
    tenant.scope(Leave.objects).filter(employee_id=employee.pk).update(
        employee_name=employee.full_name,
        employee_department=employee.department,
        employee_location=employee.location,
    )


def leave_copy_people(*, workspace: Workspace) -> None:
    """Every leave of the workspace takes its person's name, department and location as they
    are: after an import, whose file could say anything of them."""
    person = Employee.objects.filter(pk=OuterRef("employee_id"))
    Leave.objects.filter(workspace=workspace).update(
        employee_name=Subquery(person.values("full_name")[:1]),
        employee_department=Subquery(person.values("department")[:1]),
        employee_location=Subquery(person.values("location")[:1]),
    )


def _change(tenant: Tenant, leave: Leave, actor: Actor, event_type: str, **fields) -> Leave:
    for name, value in fields.items():
        setattr(leave, name, value)
    leave.version += 1
    leave.save()
    event_record(tenant=tenant, type=event_type, data=leave_as_dict(leave), actor=actor)
    return leave


def actor_name(actor: Actor) -> str:
    """The name to keep with a decision or an adjustment: the staff user's, or the API key's."""
    if actor.kind == "api_key":
        from pulsehr.tenancy.models import ApiKey

        name = ApiKey.objects.filter(pk=actor.id).values_list("name", flat=True).first()
        return name or f"API key {actor.id}"
    return actor_label(str(actor))


def leave_cancel(*, tenant: Tenant, leave: Leave, actor: Actor, expected_version: int | None = None) -> Leave:
    """Cancel pending or approved leave; the record stays. Cancelling approved leave gives its days
    back (`reversed` ledger entries). Cancelling cancelled leave changes nothing and records nothing."""
    with transaction.atomic():
        locked = locked_at_version(tenant.scope(Leave.objects), leave.pk, expected_version)
        if locked.status == LeaveStatus.CANCELLED:
            return locked
        if locked.status == LeaveStatus.REJECTED:
            raise LeaveNotPending(f"{locked.pk} was rejected; there is nothing to cancel.", fields=["status"])
        if locked.status == LeaveStatus.APPROVED:
            ledger_usage_reverse(tenant=tenant, leave=locked)
        return _change(tenant, locked, actor, "leave.cancelled", status=LeaveStatus.CANCELLED)


def _decide(
    tenant: Tenant, leave: Leave, actor: Actor, expected_version: int | None, status: str, reason: str
) -> Leave:
    with transaction.atomic():
        locked = locked_at_version(tenant.scope(Leave.objects), leave.pk, expected_version)
        if locked.status != LeaveStatus.PENDING:
            raise LeaveNotPending(
                f"{locked.pk} is {locked.status}; only pending leave can be approved or rejected.", fields=["status"]
            )
        if status == LeaveStatus.APPROVED:
            ledger_usage_record(tenant=tenant, leave=locked)
        return _change(
            tenant,
            locked,
            actor,
            f"leave.{status}",
            status=status,
            decided_at=timezone.now(),
            decided_by=str(actor),
            decided_by_name=actor_name(actor),
            decision_reason=reason,
        )


def leave_approve(
    *, tenant: Tenant, leave: Leave, actor: Actor, expected_version: int | None = None, reason: str = ""
) -> Leave:
    """Approve pending leave (approval mode): its days become `taken` in the ledger."""
    return _decide(tenant, leave, actor, expected_version, LeaveStatus.APPROVED, reason)


def leave_reject(
    *, tenant: Tenant, leave: Leave, actor: Actor, expected_version: int | None = None, reason: str = ""
) -> Leave:
    """Reject pending leave (approval mode); its dates are free again."""
    return _decide(tenant, leave, actor, expected_version, LeaveStatus.REJECTED, reason)


def leave_decider_check(*, tenant: Tenant, leave: Leave, user, is_hr: bool) -> None:
    """Whether a staff user may approve or reject this leave under the workspace's `approvers`
    setting: HR staff (`hr`), the people above the employee in the manager chain (`manager`: a
    staff user is the employee with their email in this workspace environment), or either (`both`).
    Superusers, who run the installation, always may. API keys decide by their `write:leave` scope."""
    if user.is_superuser:
        return
    approvers = policies_of(Workspace.objects.get(pk=tenant.workspace.pk)).approvers
    if approvers in (Approvers.HR, Approvers.BOTH) and is_hr:
        return
    if approvers in (Approvers.MANAGER, Approvers.BOTH) and user.email:
        mine = set(tenant.scope(Employee.objects).filter(email__iexact=user.email).values_list("pk", flat=True))
        manager_id, seen = leave.employee.manager_id, set()
        while manager_id and manager_id not in seen:  # a cycle ends the walk
            if manager_id in mine:
                return
            seen.add(manager_id)
            manager_id = (
                tenant.scope(Employee.objects).filter(pk=manager_id).values_list("manager_id", flat=True).first()
            )
    who = {
        Approvers.HR: "HR staff",
        Approvers.MANAGER: "the manager chain",
        Approvers.BOTH: "HR staff or the manager chain",
    }
    raise LeaveNotDecidable(
        f"In this workspace, leave is approved or rejected by {who[approvers]}; {user.get_username()} is not "
        f"among them for {leave.employee}.",
        fields=["status"],
    )


# --- The ledger ---------------------------------------------------------------------------


def ledger_usage_record(*, tenant: Tenant, leave: Leave, policies: LeavePolicies | None = None) -> int:
    """Write the `taken` entries of approved leave, one per working day (negative amounts in the
    kind's unit). Runs in the transaction that approves it."""
    policies = policies or policies_of(tenant.workspace)
    calendar = cache(lambda: calendar_for(workspace=tenant.workspace, start=leave.start_date, end=leave.end_date))
    unit = policies.of(leave.kind).unit
    rows = [
        LeaveLedgerEntry(
            workspace=tenant.workspace,
            environment=tenant.environment,
            employee_id=leave.employee_id,
            kind=leave.kind,
            entry_type=LedgerEntryKind.TAKEN,
            amount=-amount,
            unit=unit,
            effective_date=day,
            leave=leave,
        )
        for day, amount in leave_usage(leave, policies, calendar)
    ]
    LeaveLedgerEntry.objects.bulk_create(rows)
    return len(rows)


def ledger_usage_reverse(*, tenant: Tenant, leave: Leave) -> int:
    """Give back what approved leave took: a `reversed` entry for each of its `taken` ones, on the
    same day, so every date's balance is as if it had never been taken."""
    taken = tenant.scope(LeaveLedgerEntry.objects).filter(leave_id=leave.pk, entry_type=LedgerEntryKind.TAKEN)
    rows = [
        LeaveLedgerEntry(
            workspace=tenant.workspace,
            environment=tenant.environment,
            employee_id=entry.employee_id,
            kind=entry.kind,
            entry_type=LedgerEntryKind.REVERSED,
            amount=-entry.amount,
            unit=entry.unit,
            effective_date=entry.effective_date,
            leave_id=leave.pk,
        )
        for entry in taken
    ]
    LeaveLedgerEntry.objects.bulk_create(rows)
    return len(rows)


# Employees a run of the ledger job reads and writes together: one query for their entries, one
# bulk insert for what they lack.
LEDGER_RUN_BATCH = 500


def ledger_catch_up_many(*, tenant: Tenant, employees: list[Employee], through: date, policies: LeavePolicies) -> int:
    """Write the scheduled entries (grants, accruals, carry-over, expiry) due on or before
    `through` that these employees' ledgers lack; returns how many were written. Idempotent: each
    entry has a unique key, and one written by a concurrent run is skipped, not doubled.

    Without carry-over the plan needs only the scheduled entries, so only those are read; with it,
    every year's sums and the days taken before a lapse date matter, so the whole ledger is."""
    employees = [employee for employee in employees if employee.start_date <= through]
    if not employees:
        return 0
    rows = tenant.scope(LeaveLedgerEntry.objects).filter(employee_id__in=[employee.pk for employee in employees])
    if all(policy.carry_over == CarryOver.NONE for policy in policies.kinds.values()):
        rows = rows.exclude(period="")
    entries: dict[tuple[str, str], list[Entry]] = {}
    for employee_id, kind, entry_type, period, effective_date, amount in rows.values_list(
        "employee_id", "kind", "entry_type", "period", "effective_date", "amount"
    ).order_by():
        entries.setdefault((employee_id, kind), []).append(Entry(entry_type, period, effective_date, amount))
    new = []
    for employee in employees:
        for kind, policy in policies.kinds.items():
            mine = entries.get((employee.pk, kind), [])
            for planned in plan_entries(policy, employee.start_date, employee.end_date, mine, through=through):
                new.append(
                    LeaveLedgerEntry(
                        workspace=tenant.workspace,
                        environment=tenant.environment,
                        employee=employee,
                        kind=kind,
                        entry_type=planned.entry_type,
                        amount=planned.amount,
                        unit=policy.unit,
                        effective_date=planned.effective_date,
                        period=planned.period,
                    )
                )
    if new:
        LeaveLedgerEntry.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    return len(new)


def ledger_catch_up(*, tenant: Tenant, employee: Employee, through: date, policies: LeavePolicies) -> int:
    """ledger_catch_up_many for one employee."""
    return ledger_catch_up_many(tenant=tenant, employees=[employee], through=through, policies=policies)


def ledger_run(*, today: date | None = None) -> int:
    """The beat job: bring every employee's ledger in every workspace environment up to today
    (the workspace's today unless given), LEDGER_RUN_BATCH employees at a time. A run that is
    late, repeated or follows missed days writes exactly what is due and not yet written."""
    from pulsehr.tenancy.choices import Environment

    written = 0
    for workspace in Workspace.objects.all().iterator():
        policies = policies_of(workspace)
        for environment in Environment.values:
            tenant = Tenant(workspace, environment)
            through = today or tenant.today()
            employees = tenant.scope(Employee.objects).filter(start_date__lte=through).order_by("pk")
            after = ""
            while batch := list(employees.filter(pk__gt=after)[:LEDGER_RUN_BATCH]):
                with transaction.atomic():
                    written += ledger_catch_up_many(tenant=tenant, employees=batch, through=through, policies=policies)
                after = batch[-1].pk
    logger.info("Leave ledger: %s scheduled entries written.", written)
    return written


def leave_adjust(
    *,
    tenant: Tenant,
    actor: Actor,
    employee_id: str,
    kind: str,
    amount: Decimal,
    reason: str,
    effective_date: date | None = None,
) -> LeaveLedgerEntry:
    """Add to (or take from) what an employee may take of a kind, with the reason and who did it.
    Records `leave.balance_adjusted`."""
    if kind not in LeaveKind.values:
        raise InvalidLeaveDates(f"kind must be one of {', '.join(LeaveKind.values)}.", fields=["kind"])
    if not reason.strip():
        raise InvalidInput("An adjustment needs a reason.", fields=["reason"])
    policy = policies_of(tenant.workspace).of(kind)
    if amount == 0 or amount % policy.step:
        raise InvalidInput(
            f"amount must be a non-zero multiple of {policy.step} {policy.unit} (the kind's unit).", fields=["amount"]
        )
    with transaction.atomic():
        employee = tenant.scope(Employee.objects).select_for_update().filter(pk=employee_id).first()
        if employee is None:
            raise UnknownEmployee(
                f"employee_id {employee_id} is not an employee of this workspace.", fields=["employee_id"]
            )
        entry = LeaveLedgerEntry.objects.create(
            workspace=tenant.workspace,
            environment=tenant.environment,
            employee=employee,
            kind=kind,
            entry_type=LedgerEntryKind.ADJUSTMENT,
            amount=amount,
            unit=policy.unit,
            effective_date=effective_date or tenant.today(),
            reason=reason.strip(),
            actor=str(actor),
            actor_name=actor_name(actor),
        )
        event_record(tenant=tenant, type="leave.balance_adjusted", data=ledger_entry_as_dict(entry), actor=actor)
    return entry
