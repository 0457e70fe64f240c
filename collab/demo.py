"""The staff-only demo page of the collaboration widget: the rules it follows, kept out of the
view. Staff act here as an integrator's backend would: the page mints a room token server-side
(through the same service as POST /v1/rooms/{roomId}/tokens) for one of the workspace's active
people, and the browser gets that token, never an API key."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from employees.models import Employee
from pulsehr.errors import RuleViolation
from pulsehr.tenancy.context import Tenant

from .constants import ROOM_ID_RULE
from .errors import InvalidRoomId
from .services import room_token_issue

# Long enough for a demo session, short enough that the widget's token renewal is exercised.
DEMO_TOKEN_TTL_SECONDS = 15 * 60
# The picker lists this many people; anyone else of the workspace can still be chosen by id.
DEMO_PEOPLE_LISTED = 200
DEFAULT_DEMO_ROOM = "demo"


class DemoRefused(Exception):
    """The room id or the person chosen cannot be used; the message is safe to show."""


@dataclass(frozen=True)
class DemoGrant:
    room_key: str
    employee: Employee
    token: str
    expires_at: datetime


def demo_people(*, tenant: Tenant) -> QuerySet[Employee]:
    """The people staff may act as: the workspace environment's active employees, by name."""
    active = tenant.scope(Employee.objects).active_on(tenant.today())
    return active.order_by("full_name", "id")[:DEMO_PEOPLE_LISTED]


def demo_grant(*, tenant: Tenant, room_key: str, employee_id: str) -> DemoGrant:
    """A room token for `employee_id` in `room_key`, both checked against the staff user's
    current workspace environment: a person from anywhere else is refused as unknown."""
    try:
        token, expires_at = room_token_issue(
            tenant=tenant, room_key=room_key, user_id=employee_id, ttl_seconds=DEMO_TOKEN_TTL_SECONDS
        )
    except InvalidRoomId as exc:
        raise DemoRefused(f"A room id is {ROOM_ID_RULE}") from exc
    except RuleViolation as exc:
        raise DemoRefused("Choose an active person of this workspace to act as.") from exc
    employee = tenant.scope(Employee.objects).get(pk=employee_id)
    return DemoGrant(room_key=room_key, employee=employee, token=token, expires_at=expires_at)
