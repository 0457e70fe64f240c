"""Kudos' own domain errors: each a kind of pulsehr.errors, so the API keeps its status and
code, while callers and tests can tell them apart."""

from pulsehr.errors import InvalidInput, RuleViolation


class InvalidKudosAllowance(InvalidInput):
    """A workspace's monthly kudos allowance that is not a whole number of coins, or negative."""

    field = "kudos_monthly_allowance"


class KudosToSelf(RuleViolation):
    def __init__(self):
        super().__init__("Nobody can give kudos to themselves.", fields=["to_employee_id"])


class KudosAllowanceExceeded(RuleViolation):
    """The giver has fewer coins left of this month's allowance than the kudos gives."""

    field = "coins"
