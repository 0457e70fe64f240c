"""Employees as CSV, for the admin's export and import (django-import-export).

An import row is read by the API's own create serializer and saved by employee_create, so a
file obeys exactly the rules a POST /v1/employees does and records the same employee.created
event. Rows always go into the tenant the resource is given, whatever the file says."""

import json

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export.fields import Field
from import_export.resources import ModelResource

from pulsehr.errors import PulseError
from pulsehr.tenancy.admin_base import copy_saved
from pulsehr.tenancy.context import Actor, Tenant

from . import services
from .api.serializers import EmployeeCreateSerializer
from .models import Employee

# The columns an import reads, as the API names its fields, except that `manager` takes the
# manager's email or employee id (a spreadsheet knows people by email, not by emp_ ids).
IMPORT_COLUMNS = (
    "full_name",
    "email",
    "role",
    "department",
    "location",
    "manager",
    "start_date",
    "end_date",
    "custom_fields",
)
# Service and serializer field names that the file calls by another name.
COLUMN_FOR = {"manager_id": "manager", "non_field_errors": NON_FIELD_ERRORS}


def _errors_by_column(errors: dict) -> ValidationError:
    return ValidationError(
        {COLUMN_FOR.get(name, name): [str(message) for message in messages] for name, messages in errors.items()}
    )


class EmployeeResource(ModelResource):
    """Exports what the list shows, one person a row; imports new people only (a file with an
    `id` column, such as an export, still creates: updating people goes through the API or
    the change page, where versions guard against overwriting a newer edit)."""

    id = Field(attribute="id", column_name="id", readonly=True)
    manager = Field(column_name="manager", readonly=True)
    status = Field(column_name="status", readonly=True)
    custom_fields = Field(attribute="custom_fields", column_name="custom_fields", readonly=True)

    class Meta:
        model = Employee
        fields = ("id", *IMPORT_COLUMNS, "status", "version", "created_at", "updated_at")
        export_order = ("id", *IMPORT_COLUMNS, "status", "version", "created_at", "updated_at")
        force_init_instance = True  # every row is a new person
        use_transactions = True
        clean_model_instances = False  # the serializer and the service are the validation

    def __init__(self, *, tenant: Tenant | None = None, actor: Actor | None = None, **kwargs):
        super().__init__(**kwargs)
        self.tenant = tenant
        self.actor = actor

    # --- export ---------------------------------------------------------------------------

    def dehydrate_manager(self, employee: Employee) -> str:
        manager = employee.manager if employee.manager_id else None
        return (manager.email or manager.pk) if manager else ""

    def dehydrate_status(self, employee: Employee) -> str:
        if employee.start_date is None:
            return ""
        today = (self.tenant or Tenant.of(employee)).today()
        return employee.status_on(today)

    def dehydrate_custom_fields(self, employee: Employee) -> str:
        return json.dumps(employee.custom_fields) if employee.custom_fields else ""

    # --- import ---------------------------------------------------------------------------

    def get_import_fields(self):
        return [self.fields[name] for name in IMPORT_COLUMNS]

    def init_instance(self, row=None):
        return Employee(workspace=self.tenant.workspace, environment=self.tenant.environment)

    def import_instance(self, instance, row, **kwargs):
        """Read the row as the API reads a request body; blank cells are absent fields."""
        data = {column: str(row.get(column) or "").strip() for column in IMPORT_COLUMNS}
        data = {column: value for column, value in data.items() if value}
        manager = data.pop("manager", None)
        errors = {}
        if "custom_fields" in data:
            try:
                data["custom_fields"] = json.loads(data["custom_fields"])
            except (ValueError, RecursionError):  # nested past what Python's parser follows
                errors["custom_fields"] = ['Not JSON; write an object such as {"team": "core"}.']
        serializer = EmployeeCreateSerializer(data=data)
        if not serializer.is_valid():
            errors = {**serializer.errors, **errors}
        manager_id = self._manager_id(manager)
        if manager and manager_id is None:
            errors["manager_id"] = [f"No one here has the email or id {manager}; list managers before their reports."]
        if errors:
            raise _errors_by_column(errors)
        instance._service_arguments = {**serializer.validated_data, "manager_id": manager_id}

    def _manager_id(self, manager: str | None) -> str | None:
        """The manager named by email or id, among the people already here or on earlier rows."""
        if manager is None:
            return None
        people = self.tenant.scope(Employee.objects)
        found = people.filter(pk=manager) if manager.startswith("emp_") else people.filter(email=manager.lower())
        return found.values_list("pk", flat=True).first()

    def save_instance(self, instance, is_create, row, **kwargs):
        try:
            saved = services.employee_create(tenant=self.tenant, actor=self.actor, **instance._service_arguments)
        except PulseError as exc:
            # A rule the row breaks against the people already here (a taken email, a cycle).
            by_column = {COLUMN_FOR.get(field, field): exc.message for field in exc.fields or [NON_FIELD_ERRORS]}
            raise ValidationError(by_column) from exc
        copy_saved(saved, instance)
