from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from pulsehr.api.views import RetrieveMixin

from ... import selectors, services
from ...models import Comment, Thread
from ...permissions import acting_as, require_own, thread_changes_allowed
from ...representations import comment_as_dict
from ..serializers import (
    CommentCreateSerializer,
    CommentSerializer,
    ThreadSerializer,
    ThreadUpdateSerializer,
)
from .base import AS_ITS_USER, CollabViewSet


@extend_schema(tags=["Collaboration"])
@extend_schema_view(
    retrieve=extend_schema(
        summary="Retrieve a thread with its comments",
        description="One thread with all its comments (oldest first), and its version as the ETag. A room token "
        "reads the threads of its own room only.",
        operation_id="threads_retrieve",
    )
)
class ThreadViewSet(RetrieveMixin, CollabViewSet):
    """Comment threads: resolve or reopen them, edit their metadata, delete them with their comments."""

    model = Thread
    serializer_class = ThreadSerializer
    versioned = True

    def get_queryset(self):
        # Only reading the thread shows its comments; the writes re-read what they change.
        queryset = super().get_queryset().select_related("room")
        return selectors.threads_with_comments(queryset) if self.action == "retrieve" else queryset

    @extend_schema(
        summary="Resolve, reopen or annotate a thread",
        description="`resolved: true` sets resolved_at and resolved_by (an active employee, which an API key may "
        "leave out), `false` clears them; `metadata` replaces the thread's metadata. A change that changes nothing "
        "records nothing; otherwise `thread.updated` is recorded and pushed to the room's sockets. Pass the ETag as "
        "If-Match. With a room token, anyone in the room can resolve or reopen, but only the thread's creator can "
        "change `metadata`." + AS_ITS_USER,
        operation_id="threads_update",
        request=ThreadUpdateSerializer,
        responses={200: ThreadSerializer},
    )
    def partial_update(self, request, pk=None):
        thread = self.get_object()
        serializer = ThreadUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = thread_changes_allowed(self.room_token, self.actor, thread, serializer.validated_data)
        thread = services.thread_update(
            tenant=self.tenant, actor=self.actor, thread=thread, expected_version=self.expected_version(), **changes
        )
        return self.respond(thread)

    @extend_schema(
        summary="Delete a thread",
        description="Deletes the thread with its comments and reactions for good; records `thread.deleted`, "
        "carrying the thread as it was, and pushes it to the room's sockets. The room stays. With a room token, "
        "only the thread's creator can.",
        operation_id="threads_delete",
        responses={204: OpenApiResponse(description="Deleted.")},
    )
    def destroy(self, request, pk=None):
        thread = self.get_object()
        require_own(self.room_token, thread.created_by_id, "a thread someone else opened")
        services.thread_delete(
            tenant=self.tenant, actor=self.actor, thread=thread, expected_version=self.expected_version()
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="List a thread's comments",
        description="The thread's comments, oldest first, each with its reactions.",
        operation_id="thread_comments_list",
        responses={200: CommentSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def comments(self, request, pk=None):
        thread = self.get_object()
        comments = selectors.comments_with_reactions(self.tenant.scope(Comment.objects).filter(thread=thread))
        return self.page_of(comments, comment_as_dict)

    @extend_schema(
        summary="Comment on a thread",
        description="Adds a comment to the thread; records `comment.created` and pushes it to the room's sockets. "
        "The author must be an active employee; `@emp_…` "
        "mentions must be employees of this workspace environment." + AS_ITS_USER,
        operation_id="thread_comments_create",
        request=CommentCreateSerializer,
        responses={201: CommentSerializer},
    )
    @comments.mapping.post
    def comment_create(self, request, pk=None):
        thread = self.get_object()
        serializer = CommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.comment_create(
            tenant=self.tenant,
            actor=self.actor,
            thread=thread,
            author_id=acting_as(self.actor, "author_id", serializer.validated_data.get("author_id")),
            body=serializer.validated_data["body"],
        )
        return self.respond(comment, status.HTTP_201_CREATED, CommentSerializer, location=f"/v1/comments/{comment.pk}")
