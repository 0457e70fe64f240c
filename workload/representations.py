"""The one representation of a workload check-in: what the API answers and what events carry."""

from pulsehr.timestamps import format_datetime

from .models import WorkloadCheckin

# The columns the representation reads (list pages fetch exactly these with .values()).
WORKLOAD_CHECKIN_ROW_FIELDS = ("id", "employee_id", "week_start", "level", "created_at")


def workload_checkin_as_dict(checkin: WorkloadCheckin | dict) -> dict:
    """The check-in as the API and its events show it, from a model or a `.values()` row.
    Plain dict-building keeps list pages cheap: they are the hot path."""
    row = checkin if isinstance(checkin, dict) else vars(checkin)
    return {
        "id": row["id"],
        "employee_id": row["employee_id"],
        "week_start": row["week_start"].isoformat(),
        "level": row["level"],
        "created_at": format_datetime(row["created_at"]),
    }
