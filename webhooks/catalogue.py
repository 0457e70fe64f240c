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
    "thread.created": "A comment thread was opened in a collaboration room (with its first comment).",
    "thread.updated": "A thread was resolved or reopened, or its metadata changed.",
    "thread.deleted": "A thread was deleted with its comments; the event carries it as it was.",
    "comment.created": "Someone commented in a thread.",
    "comment.edited": "A comment's body was edited.",
    "comment.deleted": "A comment was deleted; the event carries it as it was.",
    "reaction.added": "Someone reacted to a comment with an emoji.",
    "reaction.removed": "A reaction was removed from a comment.",
    "ping": "A test event sent from /developers or the API to check an endpoint.",
}


# The sample of each type's `data` that /ecosystem shows: the dotted path of a function that
# builds it in memory (nothing saved) with the serializer the API and the event use. Every
# type above needs one; tests/developers fails on a type without.
EVENT_SAMPLES: dict[str, str] = {
    "employee.created": "employees.samples.employee_created",
    "employee.updated": "employees.samples.employee_updated",
    "employee.offboarded": "employees.samples.employee_offboarded",
    "status_log.posted": "statuslog.samples.status_log_posted",
    "kudos.awarded": "kudos.samples.kudos_awarded",
    "workload.recorded": "workload.samples.workload_recorded",
    "leave.logged": "leave.samples.leave_logged",
    "leave.cancelled": "leave.samples.leave_cancelled",
    "leave.approved": "leave.samples.leave_approved",
    "leave.rejected": "leave.samples.leave_rejected",
    "thread.created": "collab.samples.thread_created",
    "thread.updated": "collab.samples.thread_updated",
    "thread.deleted": "collab.samples.thread_deleted",
    "comment.created": "collab.samples.comment_created",
    "comment.edited": "collab.samples.comment_edited",
    "comment.deleted": "collab.samples.comment_deleted",
    "reaction.added": "collab.samples.reaction_added",
    "reaction.removed": "collab.samples.reaction_removed",
    "ping": "webhooks.samples.ping",
}


def is_known(event_type: str) -> bool:
    return event_type in EVENT_TYPES
