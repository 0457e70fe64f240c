from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.text import Truncator

from pulsehr.errors import PulseError
from pulsehr.tenancy.admin import WorkspaceScopedAdminMixin
from pulsehr.tenancy.context import Actor, Tenant

from . import services
from .constants import MAX_LINE_LENGTH, MAX_LINES
from .models import StatusLogEntry

LINE_FIELDS = [f"line_{number}" for number in range(1, MAX_LINES + 1)]
# Service field names that the add form calls by another name.
FORM_FIELD_FOR = {"employee_id": "employee", "lines": "line_1"}


class StatusLogEntryAddForm(forms.ModelForm):
    """Posting on someone's behalf: one box per line rather than raw JSON. The service's rules
    run in clean(), so a duplicate day, a future date or a former employee is a form error."""

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

    def clean(self):
        cleaned = super().clean()
        if self.errors or cleaned.get("employee") is None:
            return cleaned
        try:
            entry = services.status_log_entry_build(
                tenant=Tenant(self.instance.workspace, self.instance.environment),  # the admin's current tenant
                employee_id=cleaned["employee"].pk,
                lines=self.lines(),
                date=cleaned.get("date"),
                topic=cleaned.get("topic"),
            )
        except PulseError as exc:
            for field in exc.fields or [None]:
                self.add_error(FORM_FIELD_FOR.get(field, field), exc.message)
            return cleaned
        cleaned["date"] = entry.date  # the default, shown back if the save is refused later
        return cleaned

    def validate_unique(self):
        """The service's one-per-day check above reports duplicates with a clearer message."""


@admin.register(StatusLogEntry)
class StatusLogEntryAdmin(WorkspaceScopedAdminMixin, admin.ModelAdmin):
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

    def save_model(self, request, obj, form, change):
        saved = services.status_log_entry_post(
            tenant=Tenant(obj.workspace, obj.environment),
            actor=Actor.for_user(request.user),
            employee_id=obj.employee_id,
            lines=form.lines(),
            date=obj.date,
            topic=obj.topic,
        )
        obj.pk, obj.date, obj.lines, obj.topic, obj.created_at = (
            saved.pk,
            saved.date,
            saved.lines,
            saved.topic,
            saved.created_at,
        )
        obj._state.adding = False
