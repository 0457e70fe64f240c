"""The one write path for workload check-ins, used by the API and the admin. Check-ins are
immutable, so recording is the only write; it checks the rules, saves, and records
`workload.recorded` in one transaction."""

import datetime

from django.db import IntegrityError, transaction

from employees.selectors import employee_named_in
from pulsehr.tenancy.context import Actor, Tenant
from webhooks.outbox import event_record

from .choices import WorkloadLevel
from .errors import DuplicateCheckin, InvalidCheckinWeek, InvalidWorkloadLevel
from .models import WorkloadCheckin
from .representations import workload_checkin_as_dict


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _already_recorded(*, tenant: Tenant, employee_id: str, week_start: datetime.date) -> str | None:
    """The id of the employee's check-in for that week, if there is one."""
    existing = tenant.scope(WorkloadCheckin.objects).filter(employee_id=employee_id, week_start=week_start)
    return existing.values_list("pk", flat=True).first()


def workload_checkin_build(
    *, tenant: Tenant, employee_id: str, level: str, week_start: datetime.date | None = None
) -> WorkloadCheckin:
    """Check every rule for a would-be check-in and return it unsaved, with week_start
    defaulted to the current week where the workspace is. The admin form runs this to show the
    rules as form errors; workload_checkin_record runs it before saving."""
    if level not in WorkloadLevel.values:
        raise InvalidWorkloadLevel(f"level must be one of {', '.join(WorkloadLevel.values)}.")
    employee = employee_named_in(tenant=tenant, employee_id=employee_id, field="employee_id", must_be_active=True)
    current_week = monday_of(tenant.today())
    week_start = current_week if week_start is None else week_start
    if week_start.weekday() != 0:
        raise InvalidCheckinWeek(
            f"week_start must be a Monday; {week_start.isoformat()} is a {week_start:%A}. "
            f"That week starts on {monday_of(week_start).isoformat()}."
        )
    if week_start > current_week:
        raise InvalidCheckinWeek(
            f"The week of {week_start.isoformat()} has not started yet; the current week in "
            f"{tenant.workspace.timezone} starts on {current_week.isoformat()}."
        )
    if week_start + datetime.timedelta(days=6) < employee.start_date:
        raise InvalidCheckinWeek(
            f"{employee.full_name} started on {employee.start_date.isoformat()}, after the week of "
            f"{week_start.isoformat()}."
        )
    existing_id = _already_recorded(tenant=tenant, employee_id=employee.pk, week_start=week_start)
    if existing_id is not None:
        raise DuplicateCheckin(employee, week_start, existing_id)
    return WorkloadCheckin(
        workspace=tenant.workspace,
        environment=tenant.environment,
        employee=employee,
        week_start=week_start,
        level=level,
    )


def workload_checkin_record(
    *,
    tenant: Tenant,
    actor: Actor,
    level: str,
    employee_id: str | None = None,
    week_start: datetime.date | None = None,
) -> WorkloadCheckin:
    """Record a check-in. Whose it is defaults to the employee the actor acts as (a bound API
    key's), who may name no one else; any other actor names them."""
    employee_id = actor.acting_as(field="employee_id", requested=employee_id, doing="check in as")
    with transaction.atomic():
        checkin = workload_checkin_build(tenant=tenant, employee_id=employee_id, level=level, week_start=week_start)
        try:
            with transaction.atomic():
                checkin.save(force_insert=True)
        except IntegrityError as exc:
            # A concurrent check-in for the same person and week got past the check first; the
            # unique constraint stopped this one.
            existing_id = _already_recorded(
                tenant=tenant, employee_id=checkin.employee_id, week_start=checkin.week_start
            )
            if existing_id is None:
                raise
            raise DuplicateCheckin(checkin.employee, checkin.week_start, existing_id) from exc
        event_record(tenant=tenant, type="workload.recorded", data=workload_checkin_as_dict(checkin), actor=actor)
    return checkin
