"""The one write path for leave, used by the API and the admin. Each function checks the
rules, saves, and records its event in one transaction."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from employees.errors import UnknownEmployee
from employees.models import Employee
from pulsehr.locking import locked_at_version
from pulsehr.tenancy.context import Actor, Tenant
from pulsehr.tenancy.models import Workspace
from webhooks.outbox import event_record

from .choices import ACTIVE_STATUSES, LeaveKind, LeaveStatus
from .errors import InvalidLeaveDates, LeaveNotPending, LeaveOutOfRange, LeaveOverlaps
from .models import Leave
from .representations import leave_as_dict
from .selectors import MAX_YEAR, MIN_YEAR, calendar_for

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
) -> Decimal:
    """The rules for new leave, shared by leave_log and the admin's form validation.
    Returns the working days the leave costs."""
    if kind not in LeaveKind.values:
        raise InvalidLeaveDates(f"kind must be one of {', '.join(LeaveKind.values)}.", fields=["kind"])
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
    return days


def leave_log(
    *,
    tenant: Tenant,
    actor: Actor,
    employee_id: str,
    kind: str,
    start_date: date,
    end_date: date | None = None,
    half_day: bool = False,
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
            tenant=tenant, employee=employee, kind=kind, start_date=start_date, end_date=end_date, half_day=half_day
        )
        # Read fresh: the workspace on the tenant may come from the 5-second API-key cache.
        approval = Workspace.objects.values_list("leave_approval_required", flat=True).get(pk=tenant.workspace.pk)
        status = LeaveStatus.PENDING if approval else LeaveStatus.APPROVED
        leave = Leave.objects.create(
            workspace=tenant.workspace,
            environment=tenant.environment,
            employee=employee,
            kind=kind,
            start_date=start_date,
            end_date=end_date,
            half_day=half_day,
            days=days,
            note=note,
            status=status,
        )
        event_record(tenant=tenant, type="leave.logged", data=leave_as_dict(leave), actor=actor)
    return leave


def _change(tenant: Tenant, leave: Leave, actor: Actor, event_type: str, **fields) -> Leave:
    for name, value in fields.items():
        setattr(leave, name, value)
    leave.version += 1
    leave.save()
    event_record(tenant=tenant, type=event_type, data=leave_as_dict(leave), actor=actor)
    return leave


def leave_cancel(*, tenant: Tenant, leave: Leave, actor: Actor, expected_version: int | None = None) -> Leave:
    """Cancel pending or approved leave; the record stays. Cancelling cancelled leave changes
    nothing and records nothing."""
    with transaction.atomic():
        locked = locked_at_version(tenant.scope(Leave.objects), leave.pk, expected_version)
        if locked.status == LeaveStatus.CANCELLED:
            return locked
        if locked.status == LeaveStatus.REJECTED:
            raise LeaveNotPending(f"{locked.pk} was rejected; there is nothing to cancel.", fields=["status"])
        return _change(tenant, locked, actor, "leave.cancelled", status=LeaveStatus.CANCELLED)


def _decide(tenant: Tenant, leave: Leave, actor: Actor, expected_version: int | None, status: str) -> Leave:
    with transaction.atomic():
        locked = locked_at_version(tenant.scope(Leave.objects), leave.pk, expected_version)
        if locked.status != LeaveStatus.PENDING:
            raise LeaveNotPending(
                f"{locked.pk} is {locked.status}; only pending leave can be approved or rejected.", fields=["status"]
            )
        return _change(
            tenant, locked, actor, f"leave.{status}", status=status, decided_at=timezone.now(), decided_by=str(actor)
        )


def leave_approve(*, tenant: Tenant, leave: Leave, actor: Actor, expected_version: int | None = None) -> Leave:
    """Approve pending leave (approval mode)."""
    return _decide(tenant, leave, actor, expected_version, LeaveStatus.APPROVED)


def leave_reject(*, tenant: Tenant, leave: Leave, actor: Actor, expected_version: int | None = None) -> Leave:
    """Reject pending leave (approval mode); its dates are free again."""
    return _decide(tenant, leave, actor, expected_version, LeaveStatus.REJECTED)
