"""The one write path for status-log entries, used by the API and the admin. Entries are
immutable, so posting is the only write; it checks the rules, saves, and records
`status_log.posted` in one transaction."""

import datetime

from django.db import IntegrityError, transaction

from employees.selectors import employee_named_in
from pulsehr.tenancy.context import Actor, Tenant
from webhooks.outbox import event_record

from .constants import MAX_LINE_LENGTH, MAX_LINES, MAX_TOPIC_LENGTH, MIN_LINES
from .errors import DuplicateStatusLogDay, InvalidStatusLogEntry, StatusLogDateOutOfRange
from .models import StatusLogEntry
from .representations import status_log_entry_as_dict


def _clean_lines(lines) -> list[str]:
    if not isinstance(lines, list | tuple) or not all(isinstance(line, str) for line in lines):
        raise InvalidStatusLogEntry("lines must be a list of strings.", fields=["lines"])
    cleaned = [line.strip() for line in lines]
    if not MIN_LINES <= len(cleaned) <= MAX_LINES:
        raise InvalidStatusLogEntry(f"Post {MIN_LINES} to {MAX_LINES} lines, not {len(cleaned)}.", fields=["lines"])
    for number, line in enumerate(cleaned, start=1):
        if not line:
            raise InvalidStatusLogEntry(f"Line {number} is empty.", fields=["lines"])
        if len(line) > MAX_LINE_LENGTH:
            raise InvalidStatusLogEntry(
                f"Line {number} has {len(line)} characters; the limit is {MAX_LINE_LENGTH}.", fields=["lines"]
            )
        if "\x00" in line:
            raise InvalidStatusLogEntry(f"Line {number} contains a NUL character.", fields=["lines"])
    return cleaned


def _clean_topic(topic: str | None) -> str | None:
    topic = (topic or "").strip()
    if len(topic) > MAX_TOPIC_LENGTH:
        raise InvalidStatusLogEntry(f"topic may be at most {MAX_TOPIC_LENGTH} characters.", fields=["topic"])
    if "\x00" in topic:
        raise InvalidStatusLogEntry("topic contains a NUL character.", fields=["topic"])
    return topic or None


def _already_posted(*, tenant: Tenant, employee_id: str, date: datetime.date) -> str | None:
    """The id of the employee's entry for that date, if there is one."""
    existing = tenant.scope(StatusLogEntry.objects).filter(employee_id=employee_id, date=date)
    return existing.values_list("pk", flat=True).first()


def status_log_entry_build(
    *,
    tenant: Tenant,
    employee_id: str,
    lines: list[str],
    date: datetime.date | None = None,
    topic: str | None = None,
) -> StatusLogEntry:
    """Check every rule for a would-be entry and return it unsaved, normalised (lines and topic
    trimmed, date defaulted to today where the workspace is). The admin form runs this to show
    the rules as form errors; status_log_entry_post runs it before saving."""
    lines = _clean_lines(lines)
    topic = _clean_topic(topic)
    employee = employee_named_in(tenant=tenant, employee_id=employee_id, field="employee_id", must_be_active=True)
    today = tenant.today()
    date = today if date is None else date
    if date > today:
        raise StatusLogDateOutOfRange(
            f"date {date.isoformat()} is in the future; today is {today.isoformat()} in {tenant.workspace.timezone}."
        )
    if date < employee.start_date:
        raise StatusLogDateOutOfRange(
            f"{employee.full_name} started on {employee.start_date.isoformat()}, after {date.isoformat()}."
        )
    existing_id = _already_posted(tenant=tenant, employee_id=employee.pk, date=date)
    if existing_id is not None:
        raise DuplicateStatusLogDay(employee, date, existing_id)
    return StatusLogEntry(
        workspace=tenant.workspace,
        environment=tenant.environment,
        employee=employee,
        date=date,
        lines=lines,
        topic=topic,
    )


def status_log_entry_post(
    *,
    tenant: Tenant,
    actor: Actor,
    lines: list[str],
    employee_id: str | None = None,
    date: datetime.date | None = None,
    topic: str | None = None,
) -> StatusLogEntry:
    """Post an entry. Its author defaults to the employee the actor acts as (a bound API key's),
    who may name no one else; any other actor names the author."""
    employee_id = actor.acting_as(field="employee_id", requested=employee_id, doing="post to the status log as")
    with transaction.atomic():
        entry = status_log_entry_build(tenant=tenant, employee_id=employee_id, lines=lines, date=date, topic=topic)
        try:
            with transaction.atomic():
                entry.save(force_insert=True)
        except IntegrityError as exc:
            # A concurrent post for the same person and day got past the check first; the
            # unique constraint stopped this one.
            existing_id = _already_posted(tenant=tenant, employee_id=entry.employee_id, date=entry.date)
            if existing_id is None:
                raise
            raise DuplicateStatusLogDay(entry.employee, entry.date, existing_id) from exc
        event_record(tenant=tenant, type="status_log.posted", data=status_log_entry_as_dict(entry), actor=actor)
    return entry
