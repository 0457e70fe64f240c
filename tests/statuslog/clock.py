"""A fixed "now" for the workspace clock, so tests about today's date, the current week and
the future cannot flake around midnight (in any of the workspaces' time zones)."""

from datetime import UTC, datetime

# A Wednesday, mid-morning in UTC: 2024-05-15 in Europe/Rome (the factories' zone), already
# 2024-05-16 in Pacific/Kiritimati (UTC+14) and still 2024-05-14 in Pacific/Pago_Pago (UTC-11).
DEFAULT_NOW = datetime(2024, 5, 15, 10, 30, tzinfo=UTC)


def freeze_workspace_clock(monkeypatch, instant: datetime = DEFAULT_NOW) -> None:
    """Make Tenant.today() (every workspace's "today") read the clock at `instant`. Only the
    tenancy clock is replaced: created_at, rate limits and idempotency keep real time."""

    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz=None):
            return instant.astimezone(tz) if tz is not None else instant.replace(tzinfo=None)

    monkeypatch.setattr("pulsehr.tenancy.context.datetime", FrozenDatetime)
