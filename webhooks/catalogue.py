"""The event catalogue: every type PulseHR records, and when it fires.

The /ecosystem page and the webhook endpoint validation read this registry, so an event
type exists exactly when it is listed here."""

EVENT_TYPES: dict[str, str] = {
    "employee.created": "An employee was added to the workspace.",
    "employee.updated": "An employee's record changed (any field, including manager or end date).",
    "employee.offboarded": "An employee was offboarded: their end date is set and their status is former.",
    "status_log.posted": "Someone posted their async-standup entry for a day.",
    "kudos.awarded": "One person thanked another with coins.",
    "workload.recorded": "Someone recorded their workload for a week.",
    "leave.logged": "Leave was logged (approved at once, or pending when approval mode is on).",
    "leave.cancelled": "Leave was cancelled; the record stays with status cancelled.",
    "leave.approved": "HR staff approved pending leave (approval mode).",
    "leave.rejected": "HR staff rejected pending leave (approval mode).",
    "ping": "A test event sent from /developers or the API to check an endpoint.",
}


def is_known(event_type: str) -> bool:
    return event_type in EVENT_TYPES
