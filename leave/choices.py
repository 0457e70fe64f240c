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
