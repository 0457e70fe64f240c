"""The workspace policies leave owns: its allowances per kind, and how each kind accrues, carries
over, is counted (days or hours) and may be overdrawn. Registered with the core's policy check
(pulsehr/tenancy/policies.py) from LeaveConfig.ready(); read through `policies_of`."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .choices import AccrualMethod, Approvers, CarryOver, LeaveKind, LeaveUnit
from .errors import InvalidLeaveAllowance, InvalidLeavePolicy

DEFAULT_HOURS_PER_DAY = Decimal(8)
# The smallest step of each unit: what requests, accruals and prorations are rounded to.
STEP = {LeaveUnit.DAYS: Decimal("0.5"), LeaveUnit.HOURS: Decimal(1)}


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


@dataclass(frozen=True)
class KindPolicy:
    """How one leave kind behaves in a workspace. Amounts are in the kind's unit."""

    kind: str
    allowance_days: Decimal | None  # per year; None: unlimited
    accrual: str = AccrualMethod.UPFRONT
    carry_over: str = CarryOver.NONE
    carry_over_max: Decimal | None = None  # with CarryOver.CAPPED
    carry_over_until: tuple[int, int] | None = None  # (month, day) the carried-over amount is usable through
    unit: str = LeaveUnit.DAYS
    hours_per_day: Decimal = DEFAULT_HOURS_PER_DAY
    negative_limit: Decimal = Decimal(0)

    @property
    def step(self) -> Decimal:
        return STEP[self.unit]

    @property
    def per_day(self) -> Decimal:
        """What one working day costs in the kind's unit."""
        return self.hours_per_day if self.unit == LeaveUnit.HOURS else Decimal(1)

    @property
    def yearly(self) -> Decimal | None:
        """The yearly allowance in the kind's unit."""
        return None if self.allowance_days is None else self.allowance_days * self.per_day

    def lapse_date(self, year: int) -> date | None:
        """The last day amounts carried into `year` may be used; None when they never lapse."""
        if self.carry_over == CarryOver.NONE or self.carry_over_until is None:
            return None
        month, day = self.carry_over_until
        if (month, day) == (2, 29) and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
            day = 28
        return date(year, month, day)


@dataclass(frozen=True)
class LeavePolicies:
    hours_per_day: Decimal = DEFAULT_HOURS_PER_DAY
    approvers: str = Approvers.HR
    kinds: dict[str, KindPolicy] = field(default_factory=dict)

    def of(self, kind: str) -> KindPolicy:
        return self.kinds[kind]


def policies_of(workspace) -> LeavePolicies:
    """The workspace's leave policies, every kind present, defaults filled in."""
    raw = workspace.leave_policies or {}
    hours_per_day = Decimal(str(raw.get("hours_per_day", DEFAULT_HOURS_PER_DAY)))
    allowances = workspace.leave_allowances or {}
    kinds = {}
    for kind in LeaveKind.values:
        own = (raw.get("kinds") or {}).get(kind, {})
        allowance = allowances.get(kind)
        until = own.get("carry_over_until")
        kinds[kind] = KindPolicy(
            kind=kind,
            allowance_days=None if allowance is None else Decimal(str(allowance)),
            accrual=own.get("accrual", AccrualMethod.UPFRONT),
            carry_over=own.get("carry_over", CarryOver.NONE),
            carry_over_max=None if own.get("carry_over_max") is None else Decimal(str(own["carry_over_max"])),
            carry_over_until=None if not until else (int(until[:2]), int(until[3:])),
            unit=own.get("unit", LeaveUnit.DAYS),
            hours_per_day=hours_per_day,
            negative_limit=Decimal(str(own.get("negative_limit", 0))),
        )
    return LeavePolicies(hours_per_day=hours_per_day, approvers=raw.get("approvers", Approvers.HR), kinds=kinds)


KIND_KEYS = {"accrual", "carry_over", "carry_over_max", "carry_over_until", "unit", "negative_limit"}
EXAMPLE = '{"hours_per_day": 8, "approvers": "hr", "kinds": {"vacation": {"accrual": "monthly"}}}'


def _number(value, what: str, *, low: float, high: float, step: float) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise InvalidLeavePolicy(f"{what} must be a number from {low:g} to {high:g}.")
    if (value / step) % 1:
        raise InvalidLeavePolicy(f"{what} must be a multiple of {step:g}.")
    return int(value) if float(value).is_integer() else value


def _choice(value, what: str, choices) -> str:
    if value not in choices.values:
        raise InvalidLeavePolicy(f"{what} must be one of {', '.join(choices.values)}.")
    return value


def _month_day(value, what: str) -> str:
    try:
        if not isinstance(value, str) or len(value) != 5 or value[2] != "-":
            raise ValueError
        date(2024, int(value[:2]), int(value[3:]))  # a leap year: 02-29 is a day
    except ValueError:
        raise InvalidLeavePolicy(f'{what} must be a day of the year as "MM-DD", e.g. "03-31".') from None
    return value


def leave_policies_validate(*, leave_policies: dict) -> dict:
    """Workspace-wide `hours_per_day` (0.5–24) and `approvers`, and per kind its accrual,
    carry-over (with `carry_over_max` when capped, and `carry_over_until` "MM-DD" when it lapses),
    unit, and `negative_limit` (how far below zero a request may take it; 0 refuses overdraw).
    Settings left out take their defaults; none at all (an empty admin field) is all defaults."""
    if leave_policies is None:
        leave_policies = {}
    if not isinstance(leave_policies, dict):
        raise InvalidLeavePolicy(f"Leave policies must be a JSON object, e.g. {EXAMPLE}.")
    unknown = set(leave_policies) - {"hours_per_day", "approvers", "kinds"}
    if unknown:
        raise InvalidLeavePolicy(f"Unknown leave policy setting: {', '.join(sorted(unknown))}.")
    normalised: dict = {}
    if "hours_per_day" in leave_policies:
        normalised["hours_per_day"] = _number(
            leave_policies["hours_per_day"], "hours_per_day", low=0.5, high=24, step=0.5
        )
    if "approvers" in leave_policies:
        normalised["approvers"] = _choice(leave_policies["approvers"], "approvers", Approvers)
    kinds = leave_policies.get("kinds", {})
    if not isinstance(kinds, dict):
        raise InvalidLeavePolicy(f"kinds must be a JSON object by leave kind, e.g. {EXAMPLE}.")
    normalised_kinds = {}
    for kind, settings in kinds.items():
        if kind not in LeaveKind.values:
            raise InvalidLeavePolicy(f"'{kind}' is not a leave kind; use {', '.join(LeaveKind.values)}.")
        if not isinstance(settings, dict) or set(settings) - KIND_KEYS:
            raise InvalidLeavePolicy(f"The policy of {kind} may set only {', '.join(sorted(KIND_KEYS))}.")
        own = {}
        if "accrual" in settings:
            own["accrual"] = _choice(settings["accrual"], f"{kind}.accrual", AccrualMethod)
        if "unit" in settings:
            own["unit"] = _choice(settings["unit"], f"{kind}.unit", LeaveUnit)
        step = float(STEP[own.get("unit", LeaveUnit.DAYS)])
        if "carry_over" in settings:
            own["carry_over"] = _choice(settings["carry_over"], f"{kind}.carry_over", CarryOver)
        if own.get("carry_over") == CarryOver.CAPPED:
            if settings.get("carry_over_max") is None:
                raise InvalidLeavePolicy(f"{kind}.carry_over_max is needed when carry_over is capped.")
        if settings.get("carry_over_max") is not None:
            own["carry_over_max"] = _number(
                settings["carry_over_max"], f"{kind}.carry_over_max", low=0, high=366 * 24, step=step
            )
        if settings.get("carry_over_until") is not None:
            own["carry_over_until"] = _month_day(settings["carry_over_until"], f"{kind}.carry_over_until")
        if "negative_limit" in settings:
            own["negative_limit"] = _number(
                settings["negative_limit"], f"{kind}.negative_limit", low=0, high=366 * 24, step=step
            )
        normalised_kinds[kind] = own
    if kinds or "kinds" in leave_policies:
        normalised["kinds"] = normalised_kinds
    return {"leave_policies": normalised}
