from django.db import models

from pulsehr.api.ids import PrefixedIdField
from pulsehr.jsonvalues import validate_json_value
from pulsehr.tenancy.choices import Environment

from .constants import MAX_TOPIC_LENGTH


class StatusLogEntry(models.Model):
    """One person's async-standup entry for one day: one to three short lines and an optional
    topic. Immutable once posted, and at most one per employee per date (a database constraint
    as well as a service rule, so two racing posts cannot both land)."""

    id = PrefixedIdField(prefix="sl")
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="status_log_entries")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    # RESTRICT, not PROTECT: an employee with entries cannot be deleted on their own, but a
    # workspace deletion still cascades through both.
    employee = models.ForeignKey("employees.Employee", on_delete=models.RESTRICT, related_name="status_log_entries")
    date = models.DateField(help_text="The day the entry is about, in the workspace's time zone.")
    lines = models.JSONField(
        validators=[validate_json_value], help_text="One to three lines of text, each up to 280 characters."
    )
    topic = models.CharField(
        max_length=MAX_TOPIC_LENGTH, null=True, blank=True, help_text="Optional short label, e.g. a project."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "status-log entry"
        verbose_name_plural = "status log"
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "environment", "employee", "date"], name="status_log_one_per_employee_per_day"
            ),
        ]
        # Lists walk by id (keyset pagination), so every filter's index ends with id.
        indexes = [
            models.Index(fields=["workspace", "environment", "id"], name="status_log_tenant_id_idx"),
            models.Index(fields=["workspace", "environment", "employee", "id"], name="status_log_employee_idx"),
            models.Index(fields=["workspace", "environment", "date", "id"], name="status_log_date_idx"),
            models.Index(fields=["workspace", "environment", "topic", "id"], name="status_log_topic_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} on {self.date}"
