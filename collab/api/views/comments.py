from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from pulsehr.api.views import RetrieveMixin

from ... import selectors, services
from ...models import Comment
from ...permissions import acting_as, require_own
from ..serializers import CommentSerializer, CommentUpdateSerializer, ReactionCreateSerializer, ReactionSerializer
from .base import AS_ITS_USER, CollabViewSet


@extend_schema(tags=["Collaboration"])
@extend_schema_view(
    retrieve=extend_schema(
        summary="Retrieve a comment",
        description="One comment with its reactions, and its version as the ETag. A room token reads the comments "
        "of its own room only.",
        operation_id="comments_retrieve",
    )
)
class CommentViewSet(RetrieveMixin, CollabViewSet):
    """Comments: edit or delete them, and react to them."""

    model = Comment
    serializer_class = CommentSerializer
    versioned = True

    def get_queryset(self):
        queryset = super().get_queryset().select_related("room")
        return selectors.comments_with_reactions(queryset) if self.action == "retrieve" else queryset

    @extend_schema(
        summary="Edit a comment",
        description="Replaces the body, sets edited_at and reads the mentions again; records `comment.edited` and "
        "pushes it to the room's sockets. The same body again changes nothing and records nothing. Pass the ETag "
        "as If-Match. With a room token, only the author can.",
        operation_id="comments_update",
        request=CommentUpdateSerializer,
        responses={200: CommentSerializer},
    )
    def partial_update(self, request, pk=None):
        comment = self.get_object()
        require_own(self.room_token, comment.author_id, "someone else's comment")
        serializer = CommentUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.comment_edit(
            tenant=self.tenant,
            actor=self.actor,
            comment=comment,
            body=serializer.validated_data["body"],
            expected_version=self.expected_version(),
        )
        return self.respond(comment)

    @extend_schema(
        summary="Delete a comment",
        description="Deletes the comment with its reactions for good; records `comment.deleted` and pushes it to "
        "the room's sockets. A thread is never left empty: deleting its only comment deletes the thread too "
        "(`thread.deleted` follows). With a room token, only the author can.",
        operation_id="comments_delete",
        responses={204: OpenApiResponse(description="Deleted.")},
    )
    def destroy(self, request, pk=None):
        comment = self.get_object()
        require_own(self.room_token, comment.author_id, "someone else's comment")
        services.comment_delete(
            tenant=self.tenant, actor=self.actor, comment=comment, expected_version=self.expected_version()
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="React to a comment",
        description="201 with the new reaction, recording `reaction.added` and pushing it to the room's sockets; "
        "the same person with the same emoji again is 200 with the reaction they already have, and records "
        "nothing. The user must be an active employee." + AS_ITS_USER,
        operation_id="comment_reactions_create",
        request=ReactionCreateSerializer,
        responses={200: ReactionSerializer, 201: ReactionSerializer},
    )
    # A reaction has no version and no GET of its own: no ETag, no Location.
    @action(detail=True, methods=["post"], versioned=False, has_detail_route=False)
    def reactions(self, request, pk=None):
        comment = self.get_object()
        serializer = ReactionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reaction, created = services.reaction_add(
            tenant=self.tenant,
            actor=self.actor,
            comment=comment,
            user_id=acting_as(self.actor, "user_id", serializer.validated_data.get("user_id")),
            emoji=serializer.validated_data["emoji"],
        )
        return self.respond(reaction, status.HTTP_201_CREATED if created else status.HTTP_200_OK, ReactionSerializer)
