from django.db import models


class LeaveKind(models.TextChoices):
    VACATION = "vacation", "Vacation"
    SICK = "sick", "Sick"
    PERSONAL = "personal", "Personal"
    PARENTAL = "parental", "Parental"
    UNPAID = "unpaid", "Unpaid"


class LeaveStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


# Leave in these states holds its dates: it blocks overlapping leave and counts in balances.
ACTIVE_STATUSES = (LeaveStatus.PENDING, LeaveStatus.APPROVED)


class LedgerEntryKind(models.TextChoices):
    """What changed what someone may take. Entitlement kinds add to (or, expiry, take from) what
    is available; taken and reversed follow approved and cancelled leave."""

    GRANT = "grant", "Grant"
    ACCRUAL = "accrual", "Accrual"
    CARRY_OVER = "carry_over", "Carry-over"
    EXPIRY = "expiry", "Expiry"
    ADJUSTMENT = "adjustment", "Adjustment"
    TAKEN = "taken", "Taken"
    REVERSED = "reversed", "Reversed"


ENTITLEMENT_ENTRY_KINDS = (
    LedgerEntryKind.GRANT,
    LedgerEntryKind.ACCRUAL,
    LedgerEntryKind.CARRY_OVER,
    LedgerEntryKind.EXPIRY,
    LedgerEntryKind.ADJUSTMENT,
)
USAGE_ENTRY_KINDS = (LedgerEntryKind.TAKEN, LedgerEntryKind.REVERSED)


class AccrualMethod(models.TextChoices):
    UPFRONT = "upfront", "Upfront on 1 January"
    MONTHLY = "monthly", "Monthly, on the first"
    ANNIVERSARY = "anniversary", "Monthly, on the hire-date day"


class CarryOver(models.TextChoices):
    NONE = "none", "None"
    ALL = "all", "All"
    CAPPED = "capped", "Up to a number of days"


class LeaveUnit(models.TextChoices):
    DAYS = "days", "Days"
    HOURS = "hours", "Hours"


class Approvers(models.TextChoices):
    HR = "hr", "HR staff"
    MANAGER = "manager", "The manager chain"
    BOTH = "both", "HR staff or the manager chain"
