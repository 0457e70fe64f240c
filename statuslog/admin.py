from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.text import Truncator

from pulsehr.tenancy.admin_base import ServiceAdminMixin, ServiceRulesForm, WorkspaceScopedAdminMixin

from . import services
from .constants import MAX_LINE_LENGTH, MAX_LINES
from .models import StatusLogEntry

LINE_FIELDS = [f"line_{number}" for number in range(1, MAX_LINES + 1)]


class StatusLogEntryAddForm(ServiceRulesForm):
    """Posting on someone's behalf: one box per line rather than raw JSON. The service's rules
    run in clean(), so a duplicate day, a future date or a former employee is a form error."""

    form_field_for = {"employee_id": "employee", "lines": "line_1"}
    rules_need = ("employee",)

    line_1 = forms.CharField(max_length=MAX_LINE_LENGTH, label="Line 1")
    line_2 = forms.CharField(max_length=MAX_LINE_LENGTH, required=False, label="Line 2")
    line_3 = forms.CharField(max_length=MAX_LINE_LENGTH, required=False, label="Line 3")

    class Meta:
        model = StatusLogEntry
        fields = ["employee", "date", "topic"]
        help_texts = {"date": "Leave blank for today in the workspace's time zone."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].required = False

    def lines(self) -> list[str]:
        return [self.cleaned_data[name] for name in LINE_FIELDS if self.cleaned_data.get(name)]

    def check_rules(self, tenant, cleaned):
        entry = services.status_log_entry_build(
            tenant=tenant,
            employee_id=cleaned["employee"].pk,
            lines=self.lines(),
            date=cleaned.get("date"),
            topic=cleaned.get("topic"),
        )
        return {"date": entry.date}  # the default, shown back if the save is refused later

    def validate_unique(self):
        """The service's one-per-day check above reports duplicates with a clearer message."""


@admin.register(StatusLogEntry)
class StatusLogEntryAdmin(ServiceAdminMixin, WorkspaceScopedAdminMixin, admin.ModelAdmin):
    list_display = ["employee_name", "date", "lines_preview", "topic", "created_at"]
    list_select_related = ["employee", "workspace"]
    list_filter = ["topic", "date"]
    search_fields = ["employee__full_name", "topic"]
    date_hierarchy = "date"
    autocomplete_fields = ["employee"]
    # A full COUNT over a million entries on every page view is wasted work for HR staff.
    show_full_result_count = False
    readonly_fields = ["id", "workspace", "environment", "employee", "date", "topic", "lines_list", "created_at"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = StatusLogEntryAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (None, {"fields": ["employee", "date", "topic"]}),
                ("Lines", {"fields": LINE_FIELDS}),
            ]
        return [(None, {"fields": self.readonly_fields})]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    @admin.display(description="Employee", ordering="employee__full_name")
    def employee_name(self, obj):
        return obj.employee.full_name

    @admin.display(description="Lines")
    def lines_preview(self, obj):
        return Truncator(" · ".join(obj.lines)).chars(90)

    @admin.display(description="Lines")
    def lines_list(self, obj):
        return format_html_join("", "<p>{}</p>", ((line,) for line in obj.lines))

    def has_change_permission(self, request, obj=None):
        return False  # entries are immutable once posted; the change page shows them read-only

    def has_delete_permission(self, request, obj=None):
        return False

    def save_through_service(self, *, tenant, actor, obj, form, change):
        return services.status_log_entry_post(
            tenant=tenant, actor=actor, employee_id=obj.employee_id, lines=form.lines(), date=obj.date, topic=obj.topic
        )
