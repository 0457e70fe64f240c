"""Reads behind the allowance rule: the workspace-local month and what a giver has spent in it."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Sum

from pulsehr.tenancy.context import Tenant

from .models import Kudos


@dataclass(frozen=True)
class MonthWindow:
    """A calendar month where the workspace is, as the UTC instants [start, end) that bound it."""

    start: datetime
    end: datetime
    renews_on: date  # the local date the next month (and a fresh allowance) begins


def kudos_month_window(*, tenant: Tenant, at: datetime) -> MonthWindow:
    """The workspace-local calendar month containing `at`. 23:30 UTC on 31 January is already
    1 February in Rome, so it belongs to February there and to January in a UTC workspace."""
    zone = ZoneInfo(tenant.workspace.timezone)
    local = at.astimezone(zone)
    first = date(local.year, local.month, 1)
    following = date(local.year + local.month // 12, local.month % 12 + 1, 1)

    def local_midnight(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)

    return MonthWindow(start=local_midnight(first), end=local_midnight(following), renews_on=following)


def kudos_coins_given(*, tenant: Tenant, giver_id: str, window: MonthWindow) -> int:
    """Coins the giver has handed out within the window."""
    given = tenant.scope(Kudos.objects).filter(
        from_employee_id=giver_id, created_at__gte=window.start, created_at__lt=window.end
    )
    return given.aggregate(total=Sum("coins"))["total"] or 0
