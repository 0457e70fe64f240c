from datetime import date

from django.db import models
from django.db.models import Q

from pulsehr.api.ids import PrefixedIdField
from pulsehr.jsonvalues import validate_json_value
from pulsehr.tenancy.choices import Environment

from .choices import EmployeeStatus

# The one rule of who is active: a person is former from their end_date on, and active until
# then, from the day their record exists (the API's `status`, its `status=active` filter, the
# admin's filter and the dashboard's figures all read it from here). Someone hired with a future
# start date is active; "employed on a day" also asks that they have started by then.


# Plain strings: an enum member's `.value` costs more than the rest of an API row's status.
_ACTIVE, _FORMER = EmployeeStatus.ACTIVE.value, EmployeeStatus.FORMER.value


def status_on(end_date: date | None, day: date) -> str:
    return _FORMER if end_date is not None and end_date <= day else _ACTIVE


def active_on(day: date) -> Q:
    return Q(end_date__isnull=True) | Q(end_date__gt=day)


def former_on(day: date) -> Q:
    return Q(end_date__lte=day)


def employed_on(day: date) -> Q:
    """Active and started: who could be at work that day."""
    return active_on(day) & Q(start_date__lte=day)


class EmployeeQuerySet(models.QuerySet):
    def active_on(self, day: date) -> "EmployeeQuerySet":
        return self.filter(active_on(day))

    def former_on(self, day: date) -> "EmployeeQuerySet":
        return self.filter(former_on(day))


class Employee(models.Model):
    """A person in a workspace environment, active or former. Never deleted: offboarding
    sets end_date, and status follows from it."""

    id = PrefixedIdField(prefix="emp")
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="employees")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    full_name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254, null=True, blank=True, help_text="Unique within the workspace.")
    role = models.CharField(max_length=120, blank=True, default="")
    department = models.CharField(max_length=120, blank=True, default="")
    location = models.CharField(max_length=120, blank=True, default="")
    manager = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="direct_reports")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Last working day; set when offboarding.")
    custom_fields = models.JSONField(default=dict, blank=True, validators=[validate_json_value])
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "environment", "email"], name="employee_unique_email_per_tenant"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employee_end_not_before_start",
            ),
        ]
        indexes = [
            models.Index(fields=["workspace", "environment", "id"], name="employee_tenant_id_idx"),
            models.Index(fields=["workspace", "environment", "department", "id"], name="employee_department_idx"),
            models.Index(fields=["workspace", "environment", "location", "id"], name="employee_location_idx"),
            models.Index(fields=["workspace", "environment", "manager", "id"], name="employee_manager_idx"),
            models.Index(fields=["workspace", "environment", "end_date"], name="employee_end_date_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def status_on(self, day: date) -> str:
        return status_on(self.end_date, day)
