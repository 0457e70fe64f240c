import calendar
import re

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from holidays import registry

from pulsehr.errors import PulseError

from .models import ApiKey, Membership, Workspace
from .services import api_key_revoke, workspace_policies_validate


def member_workspace_ids(user) -> list[str] | None:
    """Workspaces a staff user may see; None means all (superusers)."""
    if user.is_superuser:
        return None
    return list(Membership.objects.filter(user=user).values_list("workspace_id", flat=True))


class WorkspaceScopedAdminMixin:
    """Narrows an admin's lists, forms and lookups to the staff user's workspaces."""

    workspace_field = "workspace"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        allowed = member_workspace_ids(request.user)
        return queryset if allowed is None else queryset.filter(**{f"{self.workspace_field}__in": allowed})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Every choice of a workspace, or of a row that belongs to one (an employee, …), is
        limited to the staff user's workspaces."""
        allowed = member_workspace_ids(request.user)
        related = db_field.related_model
        if allowed is not None and related is Workspace:
            kwargs["queryset"] = Workspace.objects.filter(pk__in=allowed)
        elif allowed is not None and any(field.name == "workspace" for field in related._meta.fields):
            kwargs["queryset"] = related._default_manager.filter(workspace__in=allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A rule can still fail when saving although the form validated, if another write
        won a race in between (a duplicate day, the kudos allowance, an overlap): show the
        service's message and nothing saved, rather than a server error."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except PulseError as exc:
            self.message_user(request, f"Nothing was saved: {exc.message}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_list_filter(self, request):
        """A plain `workspace` filter would list every workspace's name; offer only those the
        rows on screen belong to."""
        return [
            ("workspace", admin.RelatedOnlyFieldListFilter) if item == "workspace" else item
            for item in super().get_list_filter(request)
        ]


class MembershipInline(admin.TabularInline):
    """Who works in the workspace. Only superusers change memberships: the user picker
    would otherwise show staff users of every workspace."""

    model = Membership
    extra = 0

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    autocomplete_fields = ["user"]


WEEKDAYS = [(number, calendar.day_name[number - 1]) for number in range(1, 8)]  # ISO: Monday = 1


def holiday_country_choices() -> list[tuple[str, str]]:
    """Countries whose public holidays the `holidays` library knows, by ISO code and name."""
    choices = []
    for class_name, *codes in registry.COUNTRIES.values():
        alpha2 = next((code for code in codes if len(code) == 2 and code.isupper()), None)
        if alpha2:
            choices.append((alpha2, f"{alpha2} – {re.sub(r'(?<=[a-z])(?=[A-Z])', ' ', class_name)}"))
    return [("", "— none (no public holidays)")] + sorted(choices)


class WorkspaceAdminForm(forms.ModelForm):
    """The workspace's policies, checked by the same rules wherever they are set."""

    country = forms.ChoiceField(
        choices=holiday_country_choices,
        required=False,
        help_text="Decides the public holidays that are not working days for leave.",
    )
    work_week = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Days people work; leave counts only these.",
    )

    class Meta:
        model = Workspace
        fields = [
            "name",
            "slug",
            "timezone",
            "country",
            "region",
            "work_week",
            "leave_approval_required",
            "leave_allowances",
            "kudos_monthly_allowance",
        ]
        help_texts = {
            "region": "Subdivision code for regional public holidays, e.g. BY for Bavaria in DE; blank for national.",
            "leave_allowances": 'Days per year by kind, e.g. {"vacation": 25, "personal": 3}. Kinds: vacation, sick, '
            "personal, parental, unpaid; a kind not listed is unlimited.",
        }

    def clean(self):
        cleaned = super().clean()
        policy_fields = ["country", "region", "timezone", "work_week", "kudos_monthly_allowance", "leave_allowances"]
        if any(name in self.errors for name in policy_fields):
            return cleaned
        try:
            policies = workspace_policies_validate(
                country=cleaned.get("country", ""),
                region=cleaned.get("region", ""),
                timezone_name=cleaned.get("timezone", ""),
                work_week=cleaned.get("work_week", []),
                kudos_monthly_allowance=cleaned.get("kudos_monthly_allowance", 0),
                leave_allowances=cleaned.get("leave_allowances"),
            )
        except PulseError as exc:
            for field in exc.fields or [None]:
                self.add_error(field, exc.message)
            return cleaned
        cleaned.update(policies)
        return cleaned


@admin.register(Workspace)
class WorkspaceAdmin(WorkspaceScopedAdminMixin, admin.ModelAdmin):
    form = WorkspaceAdminForm
    workspace_field = "pk"
    list_display = ["name", "slug", "country", "region", "timezone", "leave_approval_required", "created_at"]
    list_filter = ["leave_approval_required", "country"]
    search_fields = ["name", "slug"]
    readonly_fields = ["id", "created_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "id", "created_at"]}),
        ("Locale", {"fields": ["timezone", "country", "region"]}),
        ("Working time", {"fields": ["work_week"]}),
        ("Leave", {"fields": ["leave_approval_required", "leave_allowances"]}),
        ("Kudos", {"fields": ["kudos_monthly_allowance"]}),
    ]
    inlines = [MembershipInline]


@admin.register(ApiKey)
class ApiKeyAdmin(WorkspaceScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "display_prefix",
        "name",
        "workspace",
        "environment",
        "scopes",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["environment", "workspace"]
    search_fields = ["name", "display_prefix"]
    actions = ["revoke"]
    readonly_fields = [f.name for f in ApiKey._meta.fields]

    def has_add_permission(self, request):
        return False  # keys are minted where the secret can be shown once: /developers or create_api_key

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead, so last_used_at and who-made-it stay on record

    @admin.action(description="Revoke selected API keys")
    def revoke(self, request, queryset):
        for api_key in queryset:
            api_key_revoke(api_key=api_key)
        self.message_user(request, f"Revoked {queryset.count()} key(s).", messages.SUCCESS)
