"""A sample status-log entry for the /ecosystem event catalogue: an unsaved model shown
through status_log_entry_as_dict, as status_log.posted carries it."""

from employees.samples import SAMPLE_EMPLOYEE_ID
from webhooks.samples import SAMPLE_TIME

from .models import StatusLogEntry
from .representations import status_log_entry_as_dict


def status_log_posted() -> dict:
    entry = StatusLogEntry(
        id="sl_01JP9ZTDE03KZMG98D1AH52Z3F",
        employee_id=SAMPLE_EMPLOYEE_ID,
        date=SAMPLE_TIME.date(),
        lines=["Shipped the payroll export.", "Reviewing the leave calendar next.", "No blockers."],
        topic="payroll",
        created_at=SAMPLE_TIME,
    )
    return status_log_entry_as_dict(entry)


def api_examples() -> dict:
    """Examples for /v1/openapi.json (pulsehr/api/examples.py)."""
    sample = status_log_posted()
    return {
        "StatusLogEntry": sample,
        "StatusLogEntryCreateRequest": {key: sample[key] for key in ("employee_id", "date", "lines", "topic")},
    }
