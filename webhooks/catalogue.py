"""The event catalogue: every type PulseHR records, when it fires, and what it carries.

One registry for everything that lists event types: the /ecosystem page, the endpoints'
subscription check, and the `webhooks` section of /v1/openapi.json. An event type exists
exactly when it is listed here."""

from dataclasses import dataclass


@dataclass(frozen=True)
class EventType:
    description: str  # when it fires, for integrators
    # The dotted path of a function that builds a sample `data` in memory (nothing saved) with
    # the representation the API and the real event use; /ecosystem and the OpenAPI examples show it.
    sample: str
    # The component of /v1/openapi.json that `data` is: the resource as GET returns it.
    schema: str


EVENT_TYPES: dict[str, EventType] = {
    "employee.created": EventType(
        "An employee was added to the workspace.",
        sample="employees.samples.employee_created",
        schema="Employee",
    ),
    "employee.updated": EventType(
        "An employee's record changed (any field, including manager or end date).",
        sample="employees.samples.employee_updated",
        schema="Employee",
    ),
    "employee.offboarded": EventType(
        "An employee was offboarded: their end date is set and their status is former.",
        sample="employees.samples.employee_offboarded",
        schema="Employee",
    ),
    "employee.score_changed": EventType(
        "An employee's weekly Employee Score snapshot moved by at least the workspace's change threshold since "
        "the week before; carries both scores and the factors that moved. Recorded by the Monday snapshot job.",
        sample="scores.samples.employee_score_changed",
        schema="ScoreChange",
    ),
    "status_log.posted": EventType(
        "Someone posted their async-standup entry for a day.",
        sample="statuslog.samples.status_log_posted",
        schema="StatusLogEntry",
    ),
    "kudos.awarded": EventType(
        "One person thanked another with coins.",
        sample="kudos.samples.kudos_awarded",
        schema="Kudos",
    ),
    "workload.recorded": EventType(
        "Someone recorded their workload for a week.",
        sample="workload.samples.workload_recorded",
        schema="WorkloadCheckin",
    ),
    "leave.logged": EventType(
        "Leave was logged (approved at once, or pending when approval mode is on).",
        sample="leave.samples.leave_logged",
        schema="Leave",
    ),
    "leave.cancelled": EventType(
        "Leave was cancelled; the record stays with status cancelled.",
        sample="leave.samples.leave_cancelled",
        schema="Leave",
    ),
    "leave.approved": EventType(
        "HR staff approved pending leave (approval mode).",
        sample="leave.samples.leave_approved",
        schema="Leave",
    ),
    "leave.rejected": EventType(
        "HR staff rejected pending leave (approval mode).",
        sample="leave.samples.leave_rejected",
        schema="Leave",
    ),
    "leave.balance_adjusted": EventType(
        "A leave balance was adjusted by hand (HR staff or an integration), with a reason.",
        sample="leave.samples.leave_balance_adjusted",
        schema="LedgerEntry",
    ),
    "thread.created": EventType(
        "A comment thread was opened in a collaboration room (with its first comment).",
        sample="collab.samples.thread_created",
        schema="Thread",
    ),
    "thread.updated": EventType(
        "A thread was resolved or reopened, or its metadata changed.",
        sample="collab.samples.thread_updated",
        schema="Thread",
    ),
    "thread.deleted": EventType(
        "A thread was deleted with its comments; the event carries it as it was.",
        sample="collab.samples.thread_deleted",
        schema="Thread",
    ),
    "comment.created": EventType(
        "Someone commented in a thread.",
        sample="collab.samples.comment_created",
        schema="Comment",
    ),
    "comment.edited": EventType(
        "A comment's body was edited.",
        sample="collab.samples.comment_edited",
        schema="Comment",
    ),
    "comment.deleted": EventType(
        "A comment was deleted; the event carries it as it was.",
        sample="collab.samples.comment_deleted",
        schema="Comment",
    ),
    "reaction.added": EventType(
        "Someone reacted to a comment with an emoji.",
        sample="collab.samples.reaction_added",
        schema="Reaction",
    ),
    "reaction.removed": EventType(
        "A reaction was removed from a comment.",
        sample="collab.samples.reaction_removed",
        schema="Reaction",
    ),
    "ping": EventType(
        "A test event sent from /developers or the API to check an endpoint.",
        sample="webhooks.samples.ping",
        schema="Ping",
    ),
}


# The types as a list, for the EventType enum of /v1/openapi.json.
EVENT_TYPE_NAMES = list(EVENT_TYPES)


def is_known(event_type: str) -> bool:
    return event_type in EVENT_TYPES
