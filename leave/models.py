from django.db import models
from django.db.models import F, Q

from pulsehr.api.ids import PrefixedIdField
from pulsehr.tenancy.choices import Environment

from .choices import LeaveKind, LeaveStatus, LeaveUnit, LedgerEntryKind


class Leave(models.Model):
    """One entry in an employee's leave journal: a date range (or half a day) of one kind.

    `days` is the number of working days the range costs, computed when the leave is logged
    from the workspace's work week, public holidays and company days off, and fixed from then
    on. Leave is never deleted: cancelling sets status `cancelled` and keeps the row."""

    id = PrefixedIdField(prefix="lv")
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="leave")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    employee = models.ForeignKey("employees.Employee", on_delete=models.PROTECT, related_name="leave")
    # The person as who's out lists them, copied from the employee when the leave is logged and
    # kept in step when they change (leave.services.leave_follow_employee, in the same
    # transaction): who's out reads its rows without joining every employee of the workspace.
    employee_name = models.CharField(max_length=200, default="", editable=False)
    employee_department = models.CharField(max_length=120, default="", editable=False)
    employee_location = models.CharField(max_length=120, default="", editable=False)
    kind = models.CharField(max_length=16, choices=LeaveKind.choices)
    start_date = models.DateField()
    end_date = models.DateField()
    half_day = models.BooleanField(default=False, help_text="Half of a single working day.")
    days = models.DecimalField(
        max_digits=7,
        decimal_places=3,
        help_text="Working days taken, in 0.5 steps; for hourly leave, its hours as a fraction of a working day.",
    )
    hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Hours taken on one day, for a kind counted in hours; empty for whole or half days.",
    )
    note = models.CharField(max_length=2000, blank=True, default="")
    status = models.CharField(max_length=16, choices=LeaveStatus.choices)
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When HR staff approved or rejected it.")
    decided_by = models.CharField(max_length=64, blank=True, default="", help_text="Who approved or rejected it.")
    decided_by_name = models.CharField(
        max_length=200, blank=True, default="", help_text="The decider's name when they decided (a user or a key)."
    )
    decision_reason = models.CharField(
        max_length=2000, blank=True, default="", help_text="Why it was approved or rejected, if given."
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "leave request"
        verbose_name_plural = "leave requests"
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="leave_end_not_before_start"),
            models.CheckConstraint(
                condition=Q(half_day=False) | Q(end_date=F("start_date")), name="leave_half_day_is_one_day"
            ),
            models.CheckConstraint(condition=Q(days__gt=0), name="leave_days_positive"),
        ]
        indexes = [
            models.Index(fields=["workspace", "environment", "id"], name="leave_tenant_id_idx"),
            models.Index(fields=["workspace", "environment", "employee", "start_date"], name="leave_employee_idx"),
            models.Index(fields=["workspace", "environment", "status", "id"], name="leave_status_idx"),
            models.Index(fields=["workspace", "environment", "start_date"], name="leave_start_date_idx"),
            # Who's out: the leave still running on or after a day, of everyone or of a department.
            models.Index(fields=["workspace", "environment", "end_date"], name="leave_end_date_idx"),
            models.Index(
                fields=["workspace", "environment", "employee_department", "end_date"], name="leave_department_end_idx"
            ),
        ]

    def __str__(self) -> str:
        span = self.start_date.isoformat()
        if self.end_date != self.start_date:
            span += f" – {self.end_date.isoformat()}"
        return f"{self.get_kind_display()} {span}"


class LeaveLedgerEntry(models.Model):
    """One change to what an employee may take of a leave kind, in the kind's unit: the ledger
    every balance is a sum of. Entries are never changed or deleted; a correction is an entry.

    Scheduled entries (grant, accrual, carry-over, expiry) carry a `period` ("2026", "2026-03",
    or "2026:fix:1" for a correction), unique per employee, kind and entry type, so a job that
    runs twice or late writes each once. `taken` and `reversed` entries follow approved and
    cancelled leave, one per working day (so a balance on any date is a sum), tied to the leave."""

    id = PrefixedIdField(prefix="led")
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="leave_ledger")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    employee = models.ForeignKey("employees.Employee", on_delete=models.PROTECT, related_name="leave_ledger")
    kind = models.CharField(max_length=16, choices=LeaveKind.choices)
    entry_type = models.CharField(max_length=16, choices=LedgerEntryKind.choices)
    amount = models.DecimalField(max_digits=9, decimal_places=3, help_text="In the unit; negative takes away.")
    unit = models.CharField(max_length=8, choices=LeaveUnit.choices, default=LeaveUnit.DAYS)
    effective_date = models.DateField(help_text="The day it counts from.")
    period = models.CharField(max_length=32, blank=True, default="", help_text="The period a scheduled entry is for.")
    leave = models.ForeignKey(Leave, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries")
    reason = models.CharField(max_length=2000, blank=True, default="")
    actor = models.CharField(max_length=64, blank=True, default="", help_text="Who made an adjustment.")
    actor_name = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "leave ledger entry"
        verbose_name_plural = "leave ledger entries"
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "environment", "employee", "kind", "entry_type", "period"],
                condition=~Q(period=""),
                name="leave_ledger_scheduled_once",
            ),
            models.UniqueConstraint(
                fields=["leave", "entry_type", "effective_date"],
                condition=Q(leave__isnull=False),
                name="leave_ledger_leave_day_once",
            ),
        ]
        indexes = [
            models.Index(fields=["workspace", "environment", "id"], name="leave_ledger_tenant_id_idx"),
            models.Index(
                fields=["workspace", "environment", "employee", "kind", "effective_date"], name="leave_ledger_emp_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_entry_type_display()} {self.amount} {self.unit} ({self.effective_date.isoformat()})"


class CompanyDayOff(models.Model):
    """A day the whole company is off (e.g. a summer shutdown day). It is not a working day
    for leave, in both environments of the workspace, like a public holiday."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="company_days_off")
    date = models.DateField(help_text="Leave logged from now on does not count this day; logged leave keeps its days.")
    name = models.CharField(max_length=200, help_text="What the day is, e.g. Summer shutdown.")

    class Meta:
        ordering = ["date"]
        verbose_name = "company day off"
        verbose_name_plural = "company days off"
        constraints = [
            models.UniqueConstraint(fields=["workspace", "date"], name="company_day_off_unique_date"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.date.isoformat()})"


class CalendarFeed(models.Model):
    """An iCalendar feed of leave for a workspace environment, one department or one employee,
    read by calendar apps at a signed URL (/calendar/<token>.ics). Revoking it makes the URL a 404
    for good; the row stays, so who made which feed remains known."""

    id = PrefixedIdField(prefix="cal")
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="calendar_feeds")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    name = models.CharField(max_length=200, help_text="What the feed is for, e.g. Engineering's calendar.")
    department = models.CharField(
        max_length=120, blank=True, default="", help_text="Only this department's leave; empty for everyone."
    )
    employee = models.ForeignKey(
        "employees.Employee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_feeds",
        help_text="Only this person's leave; empty for everyone (or the department).",
    )
    show_kind = models.BooleanField(default=False, help_text="Show the kind of leave (vacation, sick, …) in events.")
    include_days_off = models.BooleanField(default=True, help_text="Include public holidays and company days off.")
    created_by = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="When revoked; its URL answers 404 since.")

    class Meta:
        ordering = ["id"]
        verbose_name = "calendar feed"

    def __str__(self) -> str:
        return self.name
