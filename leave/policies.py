"""The workspace policy leave owns: its allowances per kind. Registered with the core's policy
check (pulsehr/tenancy/policies.py) from LeaveConfig.ready()."""

from .choices import LeaveKind
from .errors import InvalidLeaveAllowance


def leave_allowances_validate(*, leave_allowances: dict) -> dict:
    """Days per year by known leave kind, in half days from 0 to 366; whole numbers as integers."""
    if not isinstance(leave_allowances, dict):
        raise InvalidLeaveAllowance('Leave allowances must be a JSON object, e.g. {"vacation": 25}.')
    allowances = {}
    for kind, value in leave_allowances.items():
        if kind not in LeaveKind.values:
            raise InvalidLeaveAllowance(f"'{kind}' is not a leave kind; use {', '.join(LeaveKind.values)}.")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 366:
            raise InvalidLeaveAllowance(f"The allowance for {kind} must be a number of days from 0 to 366.")
        if (value * 2) % 1:
            raise InvalidLeaveAllowance(f"The allowance for {kind} must be in half days.")
        allowances[kind] = int(value) if float(value).is_integer() else value
    return {"leave_allowances": allowances}
