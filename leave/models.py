from django.db import models
from django.db.models import F, Q

from pulsehr.api.ids import PrefixedIdField
from pulsehr.tenancy.choices import Environment

from .choices import LeaveKind, LeaveStatus


class Leave(models.Model):
    """One entry in an employee's leave journal: a date range (or half a day) of one kind.

    `days` is the number of working days the range costs, computed when the leave is logged
    from the workspace's work week, public holidays and company days off, and fixed from then
    on. Leave is never deleted: cancelling sets status `cancelled` and keeps the row."""

    id = PrefixedIdField(prefix="lv")
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="leave")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    employee = models.ForeignKey("employees.Employee", on_delete=models.PROTECT, related_name="leave")
    kind = models.CharField(max_length=16, choices=LeaveKind.choices)
    start_date = models.DateField()
    end_date = models.DateField()
    half_day = models.BooleanField(default=False, help_text="Half of a single working day.")
    days = models.DecimalField(max_digits=5, decimal_places=1, help_text="Working days taken, in 0.5 steps.")
    note = models.CharField(max_length=2000, blank=True, default="")
    status = models.CharField(max_length=16, choices=LeaveStatus.choices)
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When HR staff approved or rejected it.")
    decided_by = models.CharField(max_length=64, blank=True, default="", help_text="Who approved or rejected it.")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "leave"
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
        ]

    def __str__(self) -> str:
        span = self.start_date.isoformat()
        if self.end_date != self.start_date:
            span += f" – {self.end_date.isoformat()}"
        return f"{self.get_kind_display()} {span}"


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
