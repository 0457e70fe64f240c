from django import forms
from django.contrib import admin
from django.utils.text import Truncator

from pulsehr.tenancy.admin_base import ServiceAdminMixin, ServiceRulesForm, WorkspaceScopedAdminMixin

from . import services
from .models import Kudos

NOTE_PREVIEW_CHARS = 60


class KudosAdminForm(ServiceRulesForm):
    form_field_for = {"from_employee_id": "from_employee", "to_employee_id": "to_employee"}
    rules_need = ("from_employee", "to_employee", "coins")

    class Meta:
        model = Kudos
        fields = ["from_employee", "to_employee", "coins", "tag", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}

    def check_rules(self, tenant, cleaned):
        """The service's rules, the giver's allowance included."""
        services.kudos_check_rules(
            tenant=tenant,
            from_employee_id=cleaned["from_employee"].pk,
            to_employee_id=cleaned["to_employee"].pk,
            coins=cleaned["coins"],
        )


@admin.register(Kudos)
class KudosAdmin(ServiceAdminMixin, WorkspaceScopedAdminMixin, admin.ModelAdmin):
    """HR staff browse kudos and may add one on someone's behalf; once given, a kudos is read-only."""

    form = KudosAdminForm
    list_display = ["from_employee", "to_employee", "coins", "tag", "note_preview", "created_at"]
    list_select_related = ["from_employee", "to_employee"]
    list_filter = ["tag"]
    search_fields = ["from_employee__full_name", "to_employee__full_name", "tag", "note"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["from_employee", "to_employee"]
    readonly_fields = ["id", "created_at"]

    @admin.display(description="Note")
    def note_preview(self, obj):
        return Truncator(obj.note).chars(NOTE_PREVIEW_CHARS)

    def get_fields(self, request, obj=None):
        fields = list(self.form.Meta.fields)
        return ["workspace", "environment", *fields, "id", "created_at"] if obj else fields

    def has_change_permission(self, request, obj=None):
        return False  # kudos are immutable once given; the change page is a read-only view

    def has_delete_permission(self, request, obj=None):
        return False

    def save_through_service(self, *, tenant, actor, obj, form, change):
        return services.kudos_award(
            tenant=tenant,
            actor=actor,
            from_employee_id=obj.from_employee_id,
            to_employee_id=obj.to_employee_id,
            coins=obj.coins,
            tag=obj.tag,
            note=obj.note,
        )
