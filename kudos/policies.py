"""The workspace policy kudos owns: the monthly allowance of coins. Registered with the core's
policy check (pulsehr/tenancy/policies.py) from KudosConfig.ready()."""

from .errors import InvalidKudosAllowance


def kudos_allowance_validate(*, kudos_monthly_allowance: int) -> dict:
    """A whole, non-negative number of coins each person may give per calendar month."""
    if isinstance(kudos_monthly_allowance, bool) or not isinstance(kudos_monthly_allowance, int):
        raise InvalidKudosAllowance("The kudos allowance must be a whole number.")
    if kudos_monthly_allowance < 0:
        raise InvalidKudosAllowance("The kudos allowance cannot be negative.")
    return {"kudos_monthly_allowance": kudos_monthly_allowance}
