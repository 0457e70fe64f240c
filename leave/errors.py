"""Leave's own domain errors: each a kind of pulsehr.errors, so the API keeps its status and
code, while callers and tests can tell them apart."""

from pulsehr.errors import InvalidInput, RuleViolation


class InvalidLeaveAllowance(InvalidInput):
    """A workspace's leave allowances: not an object, an unknown kind, or not in half days from 0 to 366."""

    field = "leave_allowances"


class InvalidLeaveDates(InvalidInput):
    """A kind that is not one of LeaveKind, or a date outside the years leave may fall in."""


class LeaveOutOfRange(RuleViolation):
    """Dates in the wrong order, a half day over several days, too long a span, before the
    employee starts or past their last day, or no working day at all."""


class LeaveOverlaps(RuleViolation):
    """The employee already has pending or approved leave on some of these days."""


class LeaveNotPending(RuleViolation):
    """Approving, rejecting or cancelling leave whose status does not allow it."""


class InvalidLeavePolicy(InvalidInput):
    """A workspace's leave policies: not an object, an unknown setting or kind, or a bad value."""

    field = "leave_policies"


class LeaveOverdrawn(RuleViolation):
    """A request for more than is available of a limited kind (beyond the workspace's negative limit)."""


class InvalidLeaveHours(RuleViolation):
    """Hours on leave that cannot take them: a day-unit kind, several days, or not a multiple of the step."""


class LeaveNotDecidable(RuleViolation):
    """The person deciding may not approve or reject this leave under the workspace's approvers setting."""
