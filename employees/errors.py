"""Employees' own domain errors: each a kind of pulsehr.errors (so the API keeps its status and
code), named so callers and tests can tell them apart."""

from pulsehr.errors import NotFound, RuleViolation


class EmployeeNotFound(NotFound):
    """An employee named in a URL is unknown, or belongs to another workspace or environment."""


class UnknownEmployee(RuleViolation):
    """An employee named in a request body (a manager, an author, …) is not one of this tenant's."""


class FormerEmployee(RuleViolation):
    """An employee named in a request body has left, and the operation needs someone active."""


class EmailTaken(RuleViolation):
    """Another employee of the workspace environment already has this email."""

    def __init__(self, email: str):
        super().__init__(f"Another employee already uses the email {email}.", fields=["email"])


class InvalidManager(RuleViolation):
    """The manager would be the employee themselves, make a reporting cycle, or a chain too deep."""

    field = "manager_id"


class EndBeforeStart(RuleViolation):
    def __init__(self):
        super().__init__("end_date must not be before start_date.", fields=["end_date"])


class NotStartedYet(RuleViolation):
    """Offboarding someone whose start date is still ahead."""
