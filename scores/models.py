from django.db import models

from pulsehr.api.ids import PrefixedIdField
from pulsehr.jsonvalues import validate_json_value
from pulsehr.tenancy.choices import Environment


class ScoreSnapshot(models.Model):
    """One employee's Employee Score as the weekly job took it, for the week starting `week_start`
    (a Monday, in the workspace's time zone). At most one per employee per week: the job may run
    again (a retry, a second beat) and writes nothing twice."""

    id = PrefixedIdField(prefix="scr")
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="score_snapshots")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    employee = models.ForeignKey("employees.Employee", on_delete=models.CASCADE, related_name="score_snapshots")
    week_start = models.DateField(help_text="The Monday of the week the snapshot was taken in.")
    as_of = models.DateField(help_text="The day the score was computed for.")
    window_days = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    band = models.CharField(max_length=16, blank=True, default="")
    factors = models.JSONField(validators=[validate_json_value], help_text="The factors as the API shows them.")
    # The factors' scores again as columns, so group figures are one GROUP BY over a week's rows.
    recognition = models.PositiveSmallIntegerField(null=True, blank=True)
    participation = models.PositiveSmallIntegerField(null=True, blank=True)
    workload = models.PositiveSmallIntegerField(null=True, blank=True)
    time_off = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "environment", "employee", "week_start"], name="score_snapshot_one_per_week"
            ),
        ]
        indexes = [
            models.Index(fields=["workspace", "environment", "employee", "id"], name="score_snapshot_employee_idx"),
            models.Index(fields=["workspace", "environment", "week_start"], name="score_snapshot_week_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id}, week of {self.week_start}: {self.score}"
