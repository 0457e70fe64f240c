"""The one representation of a status-log entry: what the API answers and what events carry."""

from pulsehr.timestamps import format_datetime

from .models import StatusLogEntry

# The columns the representation reads (list pages fetch exactly these with .values()).
STATUS_LOG_ENTRY_ROW_FIELDS = ("id", "employee_id", "date", "lines", "topic", "created_at")


def status_log_entry_as_dict(entry: StatusLogEntry | dict) -> dict:
    """The entry as the API and its events show it, from a model or a `.values()` row.
    Plain dict-building keeps list pages cheap: they are the hot path."""
    row = entry if isinstance(entry, dict) else vars(entry)
    return {
        "id": row["id"],
        "employee_id": row["employee_id"],
        "date": row["date"].isoformat(),
        "lines": list(row["lines"]),
        "topic": row["topic"],
        "created_at": format_datetime(row["created_at"]),
    }
