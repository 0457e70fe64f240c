from django.contrib import admin

from pulsehr.tenancy.admin import WorkspaceScopedAdminMixin

from .models import Event


@admin.register(Event)
class EventAdmin(WorkspaceScopedAdminMixin, admin.ModelAdmin):
    """The outbox, read-only: what happened, when, and by whom."""

    list_display = ["id", "type", "workspace", "environment", "actor", "created_at"]
    list_filter = ["type", "environment", "workspace"]
    search_fields = ["id", "type"]
    date_hierarchy = "created_at"
    readonly_fields = ["id", "workspace", "environment", "type", "data", "actor", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
