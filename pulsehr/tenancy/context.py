"""Who is acting, and in which workspace environment. Passed to every service."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from .errors import ActorRequired, ActsAsAnother


def workspace_scope(queryset: QuerySet, workspace) -> QuerySet:
    """The rows of one workspace in both environments, for the pages that show both side by
    side (/developers); everything else narrows to one environment with Tenant.scope."""
    return queryset.filter(workspace_id=workspace.pk)


@cache
def _has_environment(model) -> bool:
    return any(field.name == "environment" for field in model._meta.get_fields())


@dataclass(frozen=True)
class Tenant:
    workspace: "Workspace"  # noqa: F821
    environment: str

    def today(self) -> date:
        """Today's date where the workspace is, which decides statuses and defaults."""
        return datetime.now(ZoneInfo(self.workspace.timezone)).date()

    @classmethod
    def of(cls, row) -> "Tenant":
        """The tenant a workspace-and-environment row belongs to."""
        return cls(row.workspace, row.environment)

    def scope(self, queryset: QuerySet) -> QuerySet:
        """The one scoping helper: every tenant-owned query goes through it. Rows of a model
        without an environment (memberships, company days off) belong to both environments."""
        if _has_environment(queryset.model):
            # One filter() call: each call clones the query, a cost every request pays.
            return queryset.filter(workspace_id=self.workspace.pk, environment=self.environment)
        return workspace_scope(queryset, self.workspace)


@dataclass(frozen=True)
class Actor:
    """Recorded on events: `api_key:key_…`, `user:42`, `room_token:emp_…` or `system`, and beside
    it the employee the actor acts as, when it acts as one."""

    kind: str
    id: str = ""
    # The employee every write of this actor is by: an API key's bound employee, a room token's
    # user. Empty for staff, the system and unbound keys, whose writes say whom they are by.
    employee_id: str = ""

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}" if self.id else self.kind

    @classmethod
    def for_key(cls, api_key) -> "Actor":
        return cls("api_key", api_key.pk, api_key.employee_id or "")

    @classmethod
    def for_user(cls, user) -> "Actor":
        return cls("user", str(user.pk))

    def acting_as(self, *, field: str, requested: str | None, doing: str = "write as") -> str:
        """Whom a write that names its actor in `field` (`from_employee_id`, `author_id`, …) is by.
        An actor that acts as an employee writes as them only: `requested` defaults to them, and
        naming anyone else is a 403 whose message says "it cannot <doing> <requested>". Any other
        actor must name someone: a 400, worded as the missing field's."""
        if not self.employee_id:
            if requested is None:
                raise ActorRequired(field)
            return requested
        if requested is not None and requested != self.employee_id:
            who = _ACTOR_NAMES.get(self.kind, self.kind)
            raise ActsAsAnother(
                f"This {who} acts as {self.employee_id}; it cannot {doing} {requested}.", fields=[field]
            )
        return self.employee_id


_ACTOR_NAMES = {"api_key": "API key", "room_token": "room token", "user": "user"}

SYSTEM = Actor("system")
