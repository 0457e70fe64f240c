"""Calendar feeds: signed, revocable iCalendar URLs of who is out.

The URL's token is the feed's id signed with the installation's secret key (a token cannot be
guessed or forged, and no secret is stored); revoking the feed makes its token a 404, as an
unknown one is. Events have stable UIDs (the leave's id), so calendar apps update an event when
the leave changes instead of adding another, and drop it once cancelled."""

from datetime import UTC, date, datetime, timedelta

from django.core import signing
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from employees.models import Employee
from pulsehr.tenancy.context import Actor, Tenant

from .calendar import public_holidays
from .choices import LeaveStatus
from .models import CalendarFeed, CompanyDayOff, Leave

SALT = "leave.calendar-feed"
# What a feed covers: recent past leave and the year ahead.
PAST_DAYS = 90
FUTURE_DAYS = 400


def feed_token(feed: CalendarFeed) -> str:
    return signing.Signer(salt=SALT).sign(feed.pk)


def feed_path(feed: CalendarFeed) -> str:
    return f"/calendar/{feed_token(feed)}.ics"


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed a token names; None for a bad signature, an unknown or a revoked feed."""
    try:
        feed_id = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    return (
        CalendarFeed.objects.select_related("workspace", "employee").filter(pk=feed_id, revoked_at__isnull=True).first()
    )


def calendar_feed_create(
    *,
    tenant: Tenant,
    actor: Actor,
    name: str,
    department: str = "",
    employee: Employee | None = None,
    show_kind: bool = False,
    include_days_off: bool = True,
) -> CalendarFeed:
    """A feed for the tenant, a department of it, or one of its employees."""
    if employee is not None and (employee.workspace_id, employee.environment) != (
        tenant.workspace.pk,
        tenant.environment,
    ):
        raise ValueError("The employee is not of this workspace environment.")
    return CalendarFeed.objects.create(
        workspace=tenant.workspace,
        environment=tenant.environment,
        name=name,
        department=department,
        employee=employee,
        show_kind=show_kind,
        include_days_off=include_days_off,
        created_by=str(actor),
    )


def calendar_feed_revoke(*, feed: CalendarFeed) -> CalendarFeed:
    with transaction.atomic():
        if feed.revoked_at is None:
            feed.revoked_at = timezone.now()
            feed.save(update_fields=["revoked_at"])
    return feed


def feed_ics(feed: CalendarFeed, *, today: date | None = None) -> bytes:
    """The feed as RFC 5545 text: approved leave in its scope, and days off when asked."""
    tenant = Tenant.of(feed)
    today = today or tenant.today()
    first, last = today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS)
    calendar = Calendar()
    calendar.add("prodid", "-//PulseHR//Leave calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", feed.name)
    leaves = tenant.scope(Leave.objects).filter(status=LeaveStatus.APPROVED, start_date__lte=last, end_date__gte=first)
    if feed.employee_id:
        leaves = leaves.filter(employee_id=feed.employee_id)
    if feed.department:
        leaves = leaves.filter(employee__department=feed.department)
    stamp = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    for leave in leaves.select_related("employee").order_by("start_date", "id"):
        event = Event()
        event.add("uid", f"{leave.pk}@pulsehr")
        summary = f"{leave.employee.full_name} — out of office"
        if feed.show_kind:
            summary += f" ({leave.get_kind_display()}{', half day' if leave.half_day else ''})"
        event.add("summary", summary)
        event.add("dtstart", leave.start_date)
        event.add("dtend", leave.end_date + timedelta(days=1))  # all-day events end the day after
        event.add("dtstamp", leave.updated_at)
        event.add("last-modified", leave.updated_at)
        event.add("sequence", leave.version)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    if feed.include_days_off:
        workspace = feed.workspace
        days_off = {
            day: name
            for day, name in CompanyDayOff.objects.filter(workspace=workspace, date__range=(first, last)).values_list(
                "date", "name"
            )
        }
        if workspace.country:
            import holidays

            for year in range(first.year, last.year + 1):
                if public_holidays(workspace.country, workspace.region, year):
                    named = holidays.country_holidays(workspace.country, subdiv=workspace.region or None, years=year)
                    for day, name in named.items():
                        if first <= day <= last:
                            days_off.setdefault(day, name)
        for day, name in sorted(days_off.items()):
            event = Event()
            event.add("uid", f"day-off-{day.isoformat()}-{workspace.pk}@pulsehr")
            event.add("summary", name)
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("dtstamp", stamp)
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    return calendar.to_ical()
