"""Who is acting, and in which workspace environment. Passed to every service."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from django.db.models import QuerySet


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
        rows = workspace_scope(queryset, self.workspace)
        if _has_environment(queryset.model):
            rows = rows.filter(environment=self.environment)
        return rows


@dataclass(frozen=True)
class Actor:
    """Recorded on events: `api_key:key_…`, `user:42` or `system`."""

    kind: str
    id: str = ""

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}" if self.id else self.kind

    @classmethod
    def for_key(cls, api_key) -> "Actor":
        return cls("api_key", api_key.pk)

    @classmethod
    def for_user(cls, user) -> "Actor":
        return cls("user", str(user.pk))


SYSTEM = Actor("system")
