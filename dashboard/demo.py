"""The demo's activity, so that every page and every list of the API shows something: six months
of status-log posts and workload check-ins, this month's kudos, leave in every state with
company days off, a collaboration room, and a webhook endpoint with deliveries in each state.

Written through each app's services (so every change records its event, as in real use), in
one environment at a time, deterministically (a seeded random.Random). Only an environment
without status-log posts gets activity, so running seed_demo again adds nothing."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from collab import services as collab
from employees.models import Employee
from kudos.errors import KudosAllowanceExceeded
from kudos.services import kudos_award
from leave import services as leave
from leave.calendar import build_calendar
from leave.models import CompanyDayOff
from pulsehr.tenancy.context import SYSTEM, Tenant
from pulsehr.tenancy.models import Workspace
from statuslog.models import StatusLogEntry
from statuslog.services import status_log_entry_post
from webhooks.models import Delivery, DeliveryAttempt, Event, WebhookEndpoint
from webhooks.services import endpoint_create
from workload.services import workload_checkin_record

HISTORY_DAYS = 182
POSTERS = 10  # people who post to the status log and check in their workload
POSTING_SHARE = 0.7
LEVELS = ("light", "balanced", "balanced", "balanced", "heavy", "heavy", "overloaded")
LINES = (
    "Reviewed the onboarding checklist",
    "Paired on the payroll export",
    "Closed three support tickets",
    "Drafted the Q3 hiring plan",
    "Fixed the flaky calendar sync",
    "Interviewed two candidates",
    "Prepared the all-hands slides",
)
KUDOS_NOTES = ("Thanks for the quick review!", "Great demo today", "Saved my week", "Calm under pressure")
DAYS_OFF = ((8, 14, "Summer shutdown"), (12, 24, "Christmas Eve"))
DEMO_ROOM = "demo"  # the collaboration demo page's room
DEMO_HOOK_URL = "https://hooks.example.com/pulsehr-demo"
DEMO_HOOK_DESCRIPTION = "Demo endpoint (seed_demo): its deliveries show each state"


def company_days_off(workspace: Workspace, today: date) -> None:
    """The summer shutdown and Christmas Eve of last year, this year and next (both environments)."""
    for year in (today.year - 1, today.year, today.year + 1):
        for month, day, name in DAYS_OFF:
            CompanyDayOff.objects.get_or_create(
                workspace=workspace, date=date(year, month, day), defaults={"name": name}
            )


def seed_activity(tenant: Tenant) -> bool:
    """The environment's demo activity; False (and nothing written) when it already has some."""
    if tenant.scope(StatusLogEntry.objects).exists():
        return False
    people = list(tenant.scope(Employee.objects).filter(end_date__isnull=True).order_by("start_date", "pk"))
    if len(people) < 6:  # the leave below needs six people
        return False
    rng = random.Random(f"{tenant.workspace.slug}:{tenant.environment}")
    today = tenant.today()
    workspace = tenant.workspace
    calendar = build_calendar(
        work_week=workspace.work_week,
        country=workspace.country,
        region=workspace.region,
        years=range(today.year - 1, today.year + 2),
        company_days_off=CompanyDayOff.objects.filter(workspace=workspace).values_list("date", flat=True),
    )
    _status_log_and_workload(tenant, people[:POSTERS], today, calendar, rng)
    _kudos(tenant, people, rng)
    _leave(tenant, people, today, calendar)
    _collaboration(tenant, people)
    _webhook_deliveries(tenant)
    return True


def _status_log_and_workload(tenant, posters, today, calendar, rng) -> None:
    for person in posters:
        first = max(person.start_date, today - timedelta(days=HISTORY_DAYS))
        for offset in range((today - first).days + 1):
            day = first + timedelta(days=offset)
            if calendar.is_working_day(day) and rng.random() < POSTING_SHARE:
                lines = rng.sample(LINES, rng.randint(1, 3))
                status_log_entry_post(tenant=tenant, actor=SYSTEM, employee_id=person.pk, date=day, lines=lines)
        monday = today - timedelta(days=today.weekday())
        for week in range(HISTORY_DAYS // 7):
            week_start = monday - timedelta(weeks=week)
            if week_start + timedelta(days=6) >= person.start_date:
                level = rng.choice(LEVELS)
                workload_checkin_record(
                    tenant=tenant, actor=SYSTEM, employee_id=person.pk, week_start=week_start, level=level
                )


def _kudos(tenant, people, rng) -> None:
    """A dozen kudos this month, within each giver's monthly allowance."""
    for _ in range(12):
        giver, receiver = rng.sample(people, 2)
        try:
            kudos_award(
                tenant=tenant,
                actor=SYSTEM,
                from_employee_id=giver.pk,
                to_employee_id=receiver.pk,
                coins=rng.randint(1, 5),
                note=rng.choice(KUDOS_NOTES),
            )
        except KudosAllowanceExceeded:
            continue


def _working_days(calendar, start: date, count: int) -> tuple[date, date]:
    """The first `count` working days from start on, as (first, last)."""
    days, day = [], start
    while len(days) < count:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days[0], days[-1]


def _leave(tenant, people, today, calendar) -> None:
    """Leave in every state: taken, upcoming, pending approval, approved and rejected on request,
    and cancelled."""
    plan = [
        (people[0], "vacation", -40, 5, "approved"),
        (people[1], "sick", -12, 2, "approved"),
        (people[2], "vacation", 10, 4, "approved"),
        (people[3], "personal", 3, 1, "pending"),
        (people[0], "vacation", 25, 3, "pending"),
        (people[1], "vacation", 30, 2, "rejected"),
        (people[2], "personal", -20, 1, "cancelled"),
        (people[4], "vacation", -3, 5, "approved"),  # away this week
        (people[5], "vacation", 45, 2, "approved on request"),
    ]
    workspace = tenant.workspace
    approval_required = workspace.leave_approval_required
    try:
        for person, kind, offset, length, state in plan:
            first, last = _working_days(calendar, today + timedelta(days=offset), length)
            needs_decision = state in ("pending", "rejected", "approved on request")
            if workspace.leave_approval_required != needs_decision:
                workspace.leave_approval_required = needs_decision
                Workspace.objects.filter(pk=workspace.pk).update(leave_approval_required=needs_decision)
            logged = leave.leave_log(
                tenant=tenant, actor=SYSTEM, employee_id=person.pk, kind=kind, start_date=first, end_date=last
            )
            if state == "approved on request":
                leave.leave_approve(tenant=tenant, leave=logged, actor=SYSTEM, reason="Covered by the team")
            elif state == "rejected":
                leave.leave_reject(tenant=tenant, leave=logged, actor=SYSTEM, reason="Release week: please move it")
            elif state == "cancelled":
                leave.leave_cancel(tenant=tenant, leave=logged, actor=SYSTEM)
    finally:
        workspace.leave_approval_required = approval_required
        Workspace.objects.filter(pk=workspace.pk).update(leave_approval_required=approval_required)


def _collaboration(tenant, people) -> None:
    """The collaboration demo's room: a discussion with replies and reactions, and a resolved thread."""
    ada, bo, cy = people[0], people[1], people[2]
    open_thread = collab.thread_create(
        tenant=tenant,
        actor=SYSTEM,
        room_key=DEMO_ROOM,
        author_id=ada.pk,
        body="Should the onboarding checklist include a buddy for the first two weeks?",
    )
    reply = collab.comment_create(
        tenant=tenant, actor=SYSTEM, thread=open_thread, author_id=bo.pk, body="Yes, it halved questions in Sales."
    )
    collab.comment_create(
        tenant=tenant, actor=SYSTEM, thread=open_thread, author_id=cy.pk, body="I can draft the buddy guide."
    )
    for person, emoji in ((ada, "👍"), (cy, "🎉")):
        collab.reaction_add(tenant=tenant, actor=SYSTEM, comment=reply, user_id=person.pk, emoji=emoji)
    resolved = collab.thread_create(
        tenant=tenant, actor=SYSTEM, room_key=DEMO_ROOM, author_id=bo.pk, body="The handbook link is broken."
    )
    collab.comment_create(tenant=tenant, actor=SYSTEM, thread=resolved, author_id=ada.pk, body="Fixed, thanks!")
    collab.thread_update(tenant=tenant, actor=SYSTEM, thread=resolved, resolved=True, resolved_by=ada.pk)


def _webhook_deliveries(tenant) -> None:
    """An endpoint subscribed to leave decisions and cancellations, and a delivery of the latest
    of each in one state, as the worker records them: delivered, retrying after a connection
    error, and failed after its retries. Created after the activity, it is sent nothing else
    until someone decides or cancels leave (then it fails, as the demo's failing endpoint)."""
    if tenant.scope(WebhookEndpoint.objects).filter(description=DEMO_HOOK_DESCRIPTION).exists():
        return
    types = ["leave.approved", "leave.rejected", "leave.cancelled"]
    endpoint = endpoint_create(
        tenant=tenant, url=DEMO_HOOK_URL, enabled_events=types, description=DEMO_HOOK_DESCRIPTION
    )
    events = [tenant.scope(Event.objects).filter(type=event_type).order_by("-pk").first() for event_type in types]
    now = timezone.now()
    outcomes = [
        (
            {"status_code": 200, "succeeded": True},
            {"status": "succeeded", "last_status_code": 200, "completed_at": now},
        ),
        (
            {"error": "Could not resolve hooks.example.com (name or service not known)."},
            {"next_attempt_at": now + timedelta(hours=2)},
        ),
        (
            {"status_code": 500},
            {
                "status": "failed",
                "last_status_code": 500,
                "completed_at": now,
                "failure_reason": "Every attempt failed for 72 hours; the last answered HTTP 500.",
            },
        ),
    ]
    with transaction.atomic():
        for event, (attempt, state) in zip(events, outcomes, strict=True):
            # Rows as the worker leaves them (webhooks/delivery.py), not handed to it to send.
            delivery = Delivery.objects.create(
                workspace=tenant.workspace,
                environment=tenant.environment,
                event=event,
                endpoint=endpoint,
                attempt_count=1,
                **state,
            )
            DeliveryAttempt.objects.create(delivery=delivery, number=1, started_at=now, duration_ms=120, **attempt)
