from django.contrib import admin

from pulsehr.tenancy.admin_base import ServiceAdminMixin, ServiceRulesForm, WorkspaceScopedAdminMixin

from . import services
from .models import WorkloadCheckin

FIELDS = ["employee", "week_start", "level"]


class WorkloadCheckinAddForm(ServiceRulesForm):
    """Recording a check-in on someone's behalf. The service's rules run in clean(), so a
    second check-in for the week, a day that is not a Monday or a former employee is a form error."""

    form_field_for = {"employee_id": "employee"}
    rules_need = ("employee",)

    class Meta:
        model = WorkloadCheckin
        fields = FIELDS
        help_texts = {"week_start": "A Monday. Leave blank for the current week in the workspace's time zone."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["week_start"].required = False

    def check_rules(self, tenant, cleaned):
        checkin = services.workload_checkin_build(
            tenant=tenant,
            employee_id=cleaned["employee"].pk,
            level=cleaned.get("level"),
            week_start=cleaned.get("week_start"),
        )
        return {"week_start": checkin.week_start}  # the default, shown back if the save is refused later

    def validate_unique(self):
        """The service's one-per-week check above reports duplicates with a clearer message."""


@admin.register(WorkloadCheckin)
class WorkloadCheckinAdmin(ServiceAdminMixin, WorkspaceScopedAdminMixin, admin.ModelAdmin):
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

    def save_through_service(self, *, tenant, actor, obj, form, change):
        return services.workload_checkin_record(
            tenant=tenant, actor=actor, employee_id=obj.employee_id, level=obj.level, week_start=obj.week_start
        )
