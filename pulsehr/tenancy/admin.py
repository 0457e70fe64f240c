import calendar
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from holidays import registry

from pulsehr.errors import PulseError
from pulsehr.forms import KeyValueField, KeyValueWidget

from .admin_base import DeclaredLookupsAdminMixin, RelatedInListFilter, WorkspaceScopedAdminMixin
from .bound_keys import api_key_lapsed
from .choices import MembershipRole
from .context import Actor
from .models import ApiKey, Membership, Workspace
from .policies import policy_field_names, workspace_policies_validate
from .services import (
    api_key_revoke,
    membership_add,
    membership_change_role,
    membership_remove,
    workspace_create,
    workspace_update,
)
from .staff import staff_role, staff_workspaces


class MembershipInline(admin.TabularInline):
    """Who works in the workspace. Owners change roles and remove people; only superusers add
    someone, since the user picker would otherwise show staff users of every workspace."""

    model = Membership
    extra = 0
    autocomplete_fields = ["user"]

    def _is_owner(self, request, workspace) -> bool:
        return workspace is not None and staff_role(request.user, workspace) == MembershipRole.OWNER

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["user"]

    def has_view_permission(self, request, obj=None):
        return obj is None or staff_role(request.user, obj) is not None

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return self._is_owner(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._is_owner(request, obj)

    @staticmethod
    def save_through_services(formset, workspace: Workspace) -> None:
        """Write the formset's changes through the membership services, never the rows directly."""
        formset.save(commit=False)  # sorts the rows into new, changed and deleted; writes nothing
        for membership in formset.deleted_objects:
            membership_remove(membership=membership)
        for membership, changed in formset.changed_objects:
            if "user" in changed:  # someone else in this row (superusers only): they replace the old member
                membership_remove(membership=Membership.objects.get(pk=membership.pk))
                formset.new_objects.append(membership)
            else:
                membership_change_role(membership=membership, role=membership.role)
        for membership in formset.new_objects:
            membership.pk = membership_add(workspace=workspace, user=membership.user, role=membership.role).pk


WEEKDAYS = [(number, calendar.day_name[number - 1]) for number in range(1, 8)]  # ISO: Monday = 1


def holiday_country_choices() -> list[tuple[str, str]]:
    """Countries whose public holidays the `holidays` library knows, by ISO code and name."""
    choices = []
    for class_name, *codes in registry.COUNTRIES.values():
        alpha2 = next((code for code in codes if len(code) == 2 and code.isupper()), None)
        if alpha2:
            choices.append((alpha2, f"{alpha2} – {re.sub(r'(?<=[a-z])(?=[A-Z])', ' ', class_name)}"))
    return [("", "— none (no public holidays)")] + sorted(choices)


# The leave kinds, offered as keys of the allowances (leave.choices.LeaveKind, which this layer does
# not import; tests/leave/test_policies_admin.py checks the two agree). leave validates the keys.
LEAVE_KINDS = ("vacation", "sick", "personal", "parental", "unpaid")


class WorkspaceAdminForm(forms.ModelForm):
    """The workspace's policies, checked by the same rules wherever they are set."""

    leave_allowances = KeyValueField(
        widget=KeyValueWidget(types=("number",), keys=LEAVE_KINDS),
        help_text="Days per year by kind; a kind not listed is unlimited.",
    )

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
            "leave_policies",
            "kudos_monthly_allowance",
            "score_window_days",
            "score_weights",
            "score_change_threshold",
            "score_min_group_size",
            "score_privacy",
        ]
        help_texts = {
            "region": "Subdivision code for regional public holidays, e.g. BY for Bavaria in DE; blank for national.",
            "leave_policies": "Per kind: accrual (upfront, monthly, anniversary), carry_over (none, all, capped with "
            'carry_over_max, lapsing after carry_over_until "MM-DD"), unit (days, hours), negative_limit; and '
            'hours_per_day and approvers (hr, manager, both), e.g. {"kinds": {"vacation": {"accrual": "monthly"}}}.',
        }

    def clean(self):
        """The policies checked by the apps that own them, so the admin shows a refused value
        next to its field; workspace_update checks them again when it saves."""
        cleaned = super().clean()
        if any(name in self.errors for name in policy_field_names()):
            return cleaned
        try:
            policies = workspace_policies_validate(
                workspace=self.instance, changes={name: cleaned.get(name) for name in policy_field_names()}
            )
        except PulseError as exc:
            for field in exc.fields or [None]:
                self.add_error(field, exc.message)
            return cleaned
        cleaned.update(policies)
        return cleaned


@admin.register(Workspace)
class WorkspaceAdmin(DeclaredLookupsAdminMixin, admin.ModelAdmin):
    """The workspace record and its policies. Staff see the workspaces they belong to; owners
    edit theirs, HR staff and viewers read them; only superusers create or delete workspaces."""

    form = WorkspaceAdminForm
    list_display = ["name", "slug", "country", "region", "timezone", "leave_approval_required", "created_at"]
    list_filter = ["leave_approval_required", "country"]
    search_fields = ["name", "slug"]
    readonly_fields = ["id", "created_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "id", "created_at"]}),
        ("Locale", {"fields": ["timezone", "country", "region"]}),
        ("Working time", {"fields": ["work_week"]}),
        ("Leave", {"fields": ["leave_approval_required", "leave_allowances", "leave_policies"]}),
        ("Kudos", {"fields": ["kudos_monthly_allowance"]}),
        (
            "Employee Score",
            {
                "fields": [
                    "score_privacy",
                    "score_min_group_size",
                    "score_window_days",
                    "score_weights",
                    "score_change_threshold",
                ]
            },
        ),
    ]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=staff_workspaces(request.user).values("pk"))

    def has_module_permission(self, request):
        return staff_workspaces(request.user).exists()

    def has_view_permission(self, request, obj=None):
        return staff_workspaces(request.user).exists() if obj is None else staff_role(request.user, obj) is not None

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if obj is None:  # the app list's "Change" link: an owner of any workspace edits it
            owns_one = Membership.objects.filter(user=request.user, role=MembershipRole.OWNER).exists()
            return request.user.is_superuser or owns_one
        return staff_role(request.user, obj) == MembershipRole.OWNER

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        """Through the services: workspace_create for a new workspace, then workspace_update."""
        changes = {name: value for name, value in form.cleaned_data.items() if name in WorkspaceAdminForm.Meta.fields}
        workspace = Workspace.objects.get(pk=obj.pk) if change else workspace_create(slug=changes["slug"])
        saved = workspace_update(workspace=workspace, actor=Actor.for_user(request.user), **changes)
        for model_field in Workspace._meta.concrete_fields:  # the page and the inlines go on with `obj`
            setattr(obj, model_field.attname, getattr(saved, model_field.attname))
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        MembershipInline.save_through_services(formset, form.instance)


@admin.register(ApiKey)
class ApiKeyAdmin(WorkspaceScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "display_prefix",
        "name",
        "workspace",
        "environment",
        "scopes",
        "acts_as",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_select_related = ["workspace", "employee"]  # "Acts as" reads both: a key's lapse is dated where it works
    # The employees the current workspace environment's keys act as (the list is scoped first).
    list_filter = ["environment", "workspace", ("employee", RelatedInListFilter)]
    search_fields = ["name", "display_prefix"]
    actions = ["revoke"]
    readonly_fields = [f.name for f in ApiKey._meta.fields if f.name not in ApiKey.secret_fields]

    @admin.display(description="Acts as", ordering="employee__full_name")
    def acts_as(self, obj):
        """The employee the key acts as, and whether it stopped working when they left."""
        if obj.employee_id is None:
            return "—"
        lapsed = " — offboarded: the key no longer works" if api_key_lapsed(obj) else ""
        return f"{obj.employee} ({obj.employee_id}){lapsed}"

    def has_add_permission(self, request):
        return False  # keys are minted where the secret can be shown once: /developers or create_api_key

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead, so last_used_at and who-made-it stay on record

    @admin.action(description="Revoke selected API keys", permissions=["change"])
    def revoke(self, request, queryset):
        for api_key in queryset:
            api_key_revoke(api_key=api_key)
        self.message_user(request, f"Revoked {queryset.count()} key(s).", messages.SUCCESS)


# Django's own user and group admins (superusers only: staff get no Django model permissions),
# with lists that answer only their declared filters: `?password__startswith=` would otherwise
# binary-search a password hash. A user's page shows Django's masked summary of it, no more.
admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(get_user_model())
class UserAdmin(DeclaredLookupsAdminMixin, auth_admin.UserAdmin):
    """Django's user admin, its lists answering only their declared filters."""


@admin.register(Group)
class GroupAdmin(DeclaredLookupsAdminMixin, auth_admin.GroupAdmin):
    """Django's group admin, its lists answering only their declared filters."""
