from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV

from pulsehr.errors import PulseError
from pulsehr.forms import KeyValueField
from pulsehr.tenancy.admin_base import ServiceAdminMixin, ServiceRulesForm, WorkspaceScopedAdminMixin
from pulsehr.tenancy.context import Actor, Tenant
from pulsehr.tenancy.staff import staff_tenant_role

from . import services
from .choices import EmployeeStatus
from .models import Employee
from .resources import EmployeeResource


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return EmployeeStatus.choices

    def queryset(self, request, queryset):
        """Status as the API computes it: against today in the current workspace's time zone."""
        if self.value() not in EmployeeStatus.values:
            return queryset
        today = staff_tenant_role(request)[0].today()
        return queryset.active_on(today) if self.value() == EmployeeStatus.ACTIVE else queryset.former_on(today)


class EmployeeAdminForm(ServiceRulesForm):
    form_field_for = {"manager_id": "manager"}
    custom_fields = KeyValueField(
        required=False, label="Custom fields", help_text="The workspace's own fields for this person."
    )

    class Meta:
        model = Employee
        fields = [
            "full_name",
            "email",
            "role",
            "department",
            "location",
            "manager",
            "start_date",
            "end_date",
            "custom_fields",
        ]

    def check_rules(self, tenant, cleaned):
        """The service's rules on the would-be record."""
        candidate = Employee(pk=self.instance.pk, workspace=tenant.workspace, environment=tenant.environment)
        for field in ("start_date", "end_date", "email"):
            setattr(candidate, field, cleaned.get(field))
        candidate.manager_id = cleaned["manager"].pk if cleaned.get("manager") else None
        candidate.email = (candidate.email or "").strip().lower() or None
        services.employee_check_rules(employee=candidate, tenant=tenant)

    def validate_unique(self):
        """The service's rules above report a taken email with a clearer message."""


@admin.register(Employee)
class EmployeeAdmin(ServiceAdminMixin, ImportMixin, WorkspaceScopedAdminMixin, admin.ModelAdmin):
    form = EmployeeAdminForm
    resource_classes = [EmployeeResource]
    import_formats = [CSV]
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    import_template_name = "admin/employees/employee/import.html"  # a refused file's errors written out
    # Checked and imported in one step and one transaction: a file with any bad row imports
    # nothing, and no upload waits on one server's disk for a second request.
    skip_import_confirm = True
    list_display = [
        "full_name",
        "email",
        "role",
        "department",
        "manager",
        "location",
        "start_date",
        "end_date",
        "status",
    ]
    list_select_related = ["workspace", "manager"]
    list_filter = [
        StatusFilter,
        "department",
        "location",
        ("manager", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["full_name", "email"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["manager"]
    actions = ["offboard"]
    fieldsets = [
        (None, {"fields": ["full_name", "email"]}),
        ("Job", {"fields": ["role", "department", "location", "manager", "start_date", "end_date"]}),
        ("More", {"fields": ["custom_fields", "id", "version", "created_at", "updated_at"]}),
    ]

    readonly_fields = ["id", "version", "created_at", "updated_at"]

    @admin.display(description="Status")
    def status(self, obj):
        return obj.status_on(Tenant.of(obj).today())

    def has_delete_permission(self, request, obj=None):
        return False  # HR data is never destroyed; offboard instead

    def save_through_service(self, *, tenant, actor, obj, form, change):
        fields = {name: getattr(obj, name) for name in services.EDITABLE_FIELDS}
        if change:
            return services.employee_update(tenant=tenant, employee=obj, actor=actor, **fields)
        return services.employee_create(tenant=tenant, actor=actor, **fields)

    def has_import_permission(self, request):
        return self.can_write(request)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"tenant": self.tenant(request), "actor": Actor.for_user(request.user)}

    def import_action(self, request, **kwargs):
        """import-export lists the file's columns only on the first visit when it skips the confirm
        step; a refused upload lists them again above its errors, so the file can be fixed."""
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context is not None and not context.get("fields_list"):
            resources = [
                resource_class(**self.get_import_resource_kwargs(request))
                for resource_class in self.get_import_resource_classes(request)
            ]
            context["fields_list"] = [
                (resource.get_display_name(), [field.column_name for field in resource.get_user_visible_fields()])
                for resource in resources
            ]
        return response

    def process_import(self, request, **kwargs):
        raise PermissionDenied  # no confirm step: import_action checks and imports at once

    @admin.action(description="Offboard selected employees (end date today)", permissions=["change"])
    def offboard(self, request, queryset):
        done = 0
        for employee in queryset.select_related("workspace"):
            try:
                services.employee_offboard(
                    tenant=Tenant.of(employee),
                    employee=employee,
                    actor=Actor.for_user(request.user),
                )
                done += 1
            except PulseError as exc:
                self.message_user(request, f"{employee}: {exc.message}", messages.ERROR)
        self.message_user(request, f"Offboarded {done} employee(s).", messages.SUCCESS)
