from django.db import models
from django.db.models import Q

from pulsehr.api.ids import PrefixedIdField
from pulsehr.tenancy.choices import Environment

from .choices import WorkloadLevel


class WorkloadCheckin(models.Model):
    """One person's self-reported load for one week (light to overloaded). The week is named
    by its Monday. Immutable once recorded, and at most one per employee per week (a database
    constraint as well as a service rule, so two racing check-ins cannot both land)."""

    id = PrefixedIdField(prefix="wl")
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="workload_checkins")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    # RESTRICT, not PROTECT: an employee with check-ins cannot be deleted on their own, but a
    # workspace deletion still cascades through both.
    employee = models.ForeignKey("employees.Employee", on_delete=models.RESTRICT, related_name="workload_checkins")
    week_start = models.DateField(help_text="The Monday of the week the check-in is about.")
    level = models.CharField(max_length=16, choices=WorkloadLevel.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "workload check-in"
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "environment", "employee", "week_start"], name="workload_one_per_employee_per_week"
            ),
            models.CheckConstraint(condition=Q(level__in=WorkloadLevel.values), name="workload_level_known"),
        ]
        # Lists walk by id (keyset pagination), so every filter's index ends with id.
        indexes = [
            models.Index(fields=["workspace", "environment", "id"], name="workload_tenant_id_idx"),
            models.Index(fields=["workspace", "environment", "employee", "id"], name="workload_employee_idx"),
            models.Index(fields=["workspace", "environment", "week_start", "id"], name="workload_week_idx"),
            models.Index(fields=["workspace", "environment", "level", "id"], name="workload_level_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.employee}, week of {self.week_start}: {self.level}"
