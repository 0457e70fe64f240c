"""Who is acting, and in which workspace environment. Passed to every service."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import QuerySet


@dataclass(frozen=True)
class Tenant:
    workspace: "Workspace"  # noqa: F821
    environment: str

    def today(self) -> date:
        """Today's date where the workspace is, which decides statuses and defaults."""
        return datetime.now(ZoneInfo(self.workspace.timezone)).date()

    def scope(self, queryset: QuerySet) -> QuerySet:
        """The one scoping helper: every tenant-owned query goes through it."""
        return queryset.filter(workspace_id=self.workspace.pk, environment=self.environment)


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
