from django import forms
from django.contrib import admin
from django.utils.text import Truncator

from pulsehr.errors import PulseError
from pulsehr.tenancy.admin import WorkspaceScopedAdminMixin
from pulsehr.tenancy.context import Actor, Tenant

from . import services
from .models import Kudos

# Service field names that the admin form calls by another name.
FORM_FIELD_FOR = {"from_employee_id": "from_employee", "to_employee_id": "to_employee"}
NOTE_PREVIEW_CHARS = 60


class KudosAdminForm(forms.ModelForm):
    class Meta:
        model = Kudos
        fields = ["from_employee", "to_employee", "coins", "tag", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        cleaned = super().clean()
        giver, receiver = cleaned.get("from_employee"), cleaned.get("to_employee")
        if self.errors or None in (giver, receiver, cleaned.get("coins")):
            return cleaned
        # The service's rules, allowance included, shown as form errors on the would-be kudos
        # in the admin's current tenant (set on the instance).
        try:
            services.kudos_check_rules(
                tenant=Tenant(self.instance.workspace, self.instance.environment),
                from_employee_id=giver.pk,
                to_employee_id=receiver.pk,
                coins=cleaned["coins"],
            )
        except PulseError as exc:
            for field in exc.fields or [None]:
                self.add_error(FORM_FIELD_FOR.get(field, field), exc.message)
        return cleaned


@admin.register(Kudos)
class KudosAdmin(WorkspaceScopedAdminMixin, admin.ModelAdmin):
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

    def save_model(self, request, obj, form, change):
        kudos = services.kudos_award(
            tenant=Tenant(obj.workspace, obj.environment),
            actor=Actor.for_user(request.user),
            from_employee_id=obj.from_employee_id,
            to_employee_id=obj.to_employee_id,
            coins=obj.coins,
            tag=obj.tag,
            note=obj.note,
        )
        obj.pk, obj.created_at = kudos.pk, kudos.created_at
        obj._state.adding = False
