from django.contrib import admin, messages

from .models import ApiKey, Membership, Workspace
from .services import api_key_revoke


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
        allowed = member_workspace_ids(request.user)
        if allowed is not None and db_field.name == "workspace":
            kwargs["queryset"] = Workspace.objects.filter(pk__in=allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Workspace)
class WorkspaceAdmin(WorkspaceScopedAdminMixin, admin.ModelAdmin):
    workspace_field = "pk"
    list_display = ["name", "slug", "country", "timezone", "created_at"]
    search_fields = ["name", "slug"]
    readonly_fields = ["id", "created_at"]
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
