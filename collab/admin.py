from django.contrib import admin
from django.utils.text import Truncator

from pulsehr.tenancy.admin_base import TenantInlineMixin, WorkspaceScopedAdminMixin
from pulsehr.tenancy.context import Actor, Tenant

from . import services
from .models import Comment, Thread

BODY_PREVIEW_CHARS = 80


class CommentInline(TenantInlineMixin, admin.TabularInline):
    """A thread's comments, read-only: comments are written through the API, as their authors."""

    model = Comment
    fields = ["author", "body", "mentions", "created_at", "edited_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Thread)
class ThreadAdmin(WorkspaceScopedAdminMixin, admin.ModelAdmin):
    """HR staff read the collaboration threads of their workspace and delete the ones that must
    go. Deleting goes through the service, so the room's sockets and webhooks hear thread.deleted."""

    list_display = ["id", "room", "first_comment", "resolved", "created_by", "created_at"]
    list_select_related = ["room", "created_by"]
    list_filter = ["resolved", ("room", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["id", "room__key", "comments__body"]
    date_hierarchy = "created_at"
    fields = ["id", "room", "resolved", "resolved_at", "resolved_by", "metadata", "created_by", "created_at"]
    readonly_fields = fields
    inlines = [CommentInline]

    @admin.display(description="First comment")
    def first_comment(self, obj):
        first = obj.comments.order_by("id").first()
        return Truncator(first.body).chars(BODY_PREVIEW_CHARS) if first else ""

    def has_add_permission(self, request):
        return False  # threads are opened through the API, by their first comment's author

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.thread_delete(tenant=Tenant.of(obj), actor=Actor.for_user(request.user), thread=obj)

    def delete_queryset(self, request, queryset):
        for thread in queryset.select_related("workspace"):
            self.delete_model(request, thread)
