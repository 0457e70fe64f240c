from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html

from pulsehr.errors import PulseError
from pulsehr.tenancy.admin import WorkspaceScopedAdminMixin
from pulsehr.tenancy.context import Actor, Tenant
from pulsehr.tenancy.models import Workspace

from . import services
from .choices import EmployeeStatus
from .models import Employee

# Service field names that the admin form calls by another name.
FORM_FIELD_FOR = {"manager_id": "manager"}


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return EmployeeStatus.choices

    def queryset(self, request, queryset):
        """Status as the API computes it: against today in each row's workspace time zone."""
        if self.value() not in EmployeeStatus.values:
            return queryset
        by_workspace = Q(pk__in=[])
        for workspace in Workspace.objects.filter(pk__in=queryset.values("workspace_id")):
            today = Tenant(workspace, "live").today()
            people = Employee.objects.filter(workspace=workspace)
            matching = people.active_on(today) if self.value() == EmployeeStatus.ACTIVE else people.former_on(today)
            by_workspace |= Q(pk__in=matching.values("pk"))
        return queryset.filter(by_workspace)


class DirectReportsInline(admin.TabularInline):
    model = Employee
    fk_name = "manager"
    verbose_name = "direct report"
    verbose_name_plural = "direct reports"
    fields = ["report", "role", "department", "start_date", "end_date"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Name")
    def report(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:employees_employee_change", args=[obj.pk]), obj)


class EmployeeAdminForm(forms.ModelForm):
    class Meta:
        model = Employee
        fields = [
            "workspace",
            "environment",
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

    def clean(self):
        cleaned = super().clean()
        workspace = cleaned.get("workspace") or getattr(self.instance, "workspace", None)
        environment = cleaned.get("environment") or self.instance.environment
        if self.errors or workspace is None:
            return cleaned
        # Run the service's rules on the would-be record, so the admin shows them as form errors.
        candidate = Employee(pk=self.instance.pk, workspace=workspace, environment=environment)
        for field in ("start_date", "end_date", "email"):
            setattr(candidate, field, cleaned.get(field))
        candidate.manager_id = cleaned["manager"].pk if cleaned.get("manager") else None
        candidate.email = (candidate.email or "").strip().lower() or None
        try:
            services.employee_check_rules(employee=candidate, tenant=Tenant(workspace, environment))
        except PulseError as exc:
            for field in exc.fields or [None]:
                self.add_error(FORM_FIELD_FOR.get(field, field), exc.message)
        return cleaned


@admin.register(Employee)
class EmployeeAdmin(WorkspaceScopedAdminMixin, admin.ModelAdmin):
    form = EmployeeAdminForm
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
        "environment",
        "workspace",
    ]
    list_select_related = ["workspace", "manager"]
    list_filter = [
        StatusFilter,
        "department",
        "location",
        ("manager", admin.RelatedOnlyFieldListFilter),
        "environment",
        "workspace",
    ]
    search_fields = ["full_name", "email"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["manager"]
    inlines = [DirectReportsInline]
    actions = ["offboard"]
    fieldsets = [
        (None, {"fields": ["workspace", "environment", "full_name", "email"]}),
        ("Job", {"fields": ["role", "department", "location", "manager", "start_date", "end_date"]}),
        ("More", {"fields": ["custom_fields", "id", "version", "created_at", "updated_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        always = ["id", "version", "created_at", "updated_at"]
        # A person never moves between workspaces or environments; create a new record instead.
        return always + ["workspace", "environment"] if obj else always

    @admin.display(description="Status")
    def status(self, obj):
        return obj.status_on(Tenant(obj.workspace, obj.environment).today())

    def has_delete_permission(self, request, obj=None):
        return False  # HR data is never destroyed; offboard instead

    def save_model(self, request, obj, form, change):
        tenant = Tenant(obj.workspace, obj.environment)
        fields = {name: getattr(obj, name) for name in services.EDITABLE_FIELDS}
        actor = Actor.for_user(request.user)
        if change:
            saved = services.employee_update(tenant=tenant, employee=obj, actor=actor, **fields)
        else:
            saved = services.employee_create(tenant=tenant, actor=actor, **fields)
        obj.pk, obj.version, obj.created_at, obj.updated_at = (
            saved.pk,
            saved.version,
            saved.created_at,
            saved.updated_at,
        )
        obj._state.adding = False

    @admin.action(description="Offboard selected employees (end date today)")
    def offboard(self, request, queryset):
        done = 0
        for employee in queryset.select_related("workspace"):
            try:
                services.employee_offboard(
                    tenant=Tenant(employee.workspace, employee.environment),
                    employee=employee,
                    actor=Actor.for_user(request.user),
                )
                done += 1
            except PulseError as exc:
                self.message_user(request, f"{employee}: {exc.message}", messages.ERROR)
        self.message_user(request, f"Offboarded {done} employee(s).", messages.SUCCESS)
