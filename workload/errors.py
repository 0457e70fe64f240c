"""Workload check-ins' own domain errors: each a kind of pulsehr.errors (so the API keeps its
status and code), named so callers and tests can tell them apart."""

from pulsehr.errors import Conflict, InvalidInput, RuleViolation


class InvalidWorkloadLevel(InvalidInput):
    field = "level"


class InvalidCheckinWeek(RuleViolation):
    """A week_start that is not a Monday, a week not yet begun, or one before the employee started."""

    field = "week_start"


class DuplicateCheckin(Conflict):
    """The employee already checked in for that week: check-ins are immutable, one per person per week."""

    def __init__(self, employee, week_start, existing_id: str):
        super().__init__(
            f"{employee.full_name} already checked in for the week of {week_start.isoformat()} ({existing_id}); "
            "check-ins are immutable, one per person per week.",
            fields=["week_start"],
        )
