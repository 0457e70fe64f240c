from django import forms
from django.contrib import admin

from pulsehr.errors import PulseError
from pulsehr.tenancy.admin import WorkspaceScopedAdminMixin
from pulsehr.tenancy.context import Actor, Tenant

from . import services
from .models import WorkloadCheckin

# Service field names that the add form calls by another name.
FORM_FIELD_FOR = {"employee_id": "employee"}
FIELDS = ["employee", "week_start", "level"]


class WorkloadCheckinAddForm(forms.ModelForm):
    """Recording a check-in on someone's behalf. The service's rules run in clean(), so a
    second check-in for the week, a day that is not a Monday or a former employee is a form error."""

    class Meta:
        model = WorkloadCheckin
        fields = FIELDS
        help_texts = {"week_start": "A Monday. Leave blank for the current week in the workspace's time zone."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["week_start"].required = False

    def clean(self):
        cleaned = super().clean()
        if self.errors or cleaned.get("employee") is None:
            return cleaned
        try:
            checkin = services.workload_checkin_build(
                tenant=Tenant(self.instance.workspace, self.instance.environment),  # the admin's current tenant
                employee_id=cleaned["employee"].pk,
                level=cleaned.get("level"),
                week_start=cleaned.get("week_start"),
            )
        except PulseError as exc:
            for field in exc.fields or [None]:
                self.add_error(FORM_FIELD_FOR.get(field, field), exc.message)
            return cleaned
        cleaned["week_start"] = checkin.week_start
        return cleaned

    def validate_unique(self):
        """The service's one-per-week check above reports duplicates with a clearer message."""


@admin.register(WorkloadCheckin)
class WorkloadCheckinAdmin(WorkspaceScopedAdminMixin, admin.ModelAdmin):
    list_display = ["employee_name", "week_start", "level", "created_at"]
    list_select_related = ["employee", "workspace"]
    list_filter = ["level", "week_start"]
    search_fields = ["employee__full_name"]
    date_hierarchy = "week_start"
    autocomplete_fields = ["employee"]
    show_full_result_count = False  # no full COUNT over a large table on every page view
    readonly_fields = ["id", "workspace", "environment", *FIELDS, "created_at"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = WorkloadCheckinAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        return [(None, {"fields": FIELDS if obj is None else self.readonly_fields})]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    @admin.display(description="Employee", ordering="employee__full_name")
    def employee_name(self, obj):
        return obj.employee.full_name

    def has_change_permission(self, request, obj=None):
        return False  # check-ins are immutable once recorded; the change page shows them read-only

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.workload_checkin_record(
            tenant=Tenant(obj.workspace, obj.environment),
            actor=Actor.for_user(request.user),
            employee_id=obj.employee_id,
            level=obj.level,
            week_start=obj.week_start,
        )
        obj.pk, obj.week_start, obj.created_at = saved.pk, saved.week_start, saved.created_at
        obj._state.adding = False
