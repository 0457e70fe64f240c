from rest_framework import serializers

from pulsehr.api.serializers import JSONObjectField, RowSerializer, StrictSerializer

from ..choices import EmployeeStatus
from ..representations import EMPLOYEE_ROW_FIELDS, employee_as_dict

CUSTOM_FIELDS_MAX_KEYS = 100


class EmployeeSerializer(RowSerializer):
    """The read shape, declared for the OpenAPI schema; rendering goes through employee_as_dict."""

    row_fields = EMPLOYEE_ROW_FIELDS

    id = serializers.CharField(help_text="`emp_` followed by a ULID.")
    full_name = serializers.CharField()
    email = serializers.EmailField(allow_null=True)
    role = serializers.CharField(allow_blank=True)
    department = serializers.CharField(allow_blank=True)
    manager_id = serializers.CharField(allow_null=True, help_text="The employee's manager, or null.")
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True, help_text="Last working day; set when offboarded.")
    location = serializers.CharField(allow_blank=True)
    custom_fields = serializers.DictField(help_text="Free-form JSON object for the workspace's own fields.")
    status = serializers.ChoiceField(
        choices=EmployeeStatus.choices,
        help_text="`former` once end_date is today or earlier in the workspace's time zone.",
    )
    version = serializers.IntegerField(help_text="Increments on every change; send it back as If-Match.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @classmethod
    def represent(cls, row, context):
        return employee_as_dict(row, context["today"])


class EmployeeWriteSerializer(StrictSerializer):
    full_name = serializers.CharField(max_length=200)
    email = serializers.EmailField(max_length=254, required=False, allow_null=True, allow_blank=True)
    role = serializers.CharField(max_length=120, required=False, allow_blank=True)
    department = serializers.CharField(max_length=120, required=False, allow_blank=True)
    location = serializers.CharField(max_length=120, required=False, allow_blank=True)
    manager_id = serializers.CharField(max_length=40, required=False, allow_null=True, help_text="An employee id.")
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    custom_fields = JSONObjectField(
        required=False, max_keys=CUSTOM_FIELDS_MAX_KEYS, help_text="Free-form JSON object, up to 100 keys."
    )


class EmployeeCreateSerializer(EmployeeWriteSerializer):
    pass


class EmployeeUpdateSerializer(EmployeeWriteSerializer):
    """PATCH: every field optional; full_name and start_date may not be cleared."""

    full_name = serializers.CharField(max_length=200, required=False)
    start_date = serializers.DateField(required=False)
