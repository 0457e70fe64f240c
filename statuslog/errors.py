"""The status log's own domain errors: each a kind of pulsehr.errors (so the API keeps its status
and code), named so callers and tests can tell them apart."""

from pulsehr.errors import Conflict, InvalidInput, RuleViolation


class InvalidStatusLogEntry(InvalidInput):
    """Lines that are not 1 to 5 non-empty strings within the length limit, or a topic too long;
    NUL characters in either."""


class StatusLogDateOutOfRange(RuleViolation):
    """A date in the future where the workspace is, or before the employee started."""

    field = "date"


class DuplicateStatusLogDay(Conflict):
    """The employee already posted for that day: entries are immutable, one per person per day."""

    def __init__(self, employee, date, existing_id: str):
        super().__init__(
            f"{employee.full_name} already posted a status-log entry for {date.isoformat()} ({existing_id}); "
            "entries are immutable, one per person per day.",
            fields=["date"],
        )
