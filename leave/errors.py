"""Leave's own domain errors: each a kind of pulsehr.errors, so the API keeps its status and
code, while callers and tests can tell them apart."""

from pulsehr.errors import InvalidInput


class InvalidLeaveAllowance(InvalidInput):
    """A workspace's leave allowances: not an object, an unknown kind, or not in half days from 0 to 366."""

    def __init__(self, message: str):
        super().__init__(message, fields=["leave_allowances"])
