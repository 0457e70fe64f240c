from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from employees.models import Employee
from pulsehr.api.authentication import ApiKeyAuthentication
from pulsehr.api.views import ListMixin, TenantViewSet, etag_for
from pulsehr.errors import InvalidInput, NotFound
from pulsehr.tenancy.context import Actor

from .. import selectors, services
from ..constants import ROOM_ID_RULE, ROOM_THREADS_EMBEDDED
from ..models import Comment, Reaction, Room, Thread
from ..presence import presence_list
from ..realtime import room_group_name
from .authentication import RoomPrincipal, RoomTokenAuthentication
from .filters import CollabUserFilter
from .serializers import (
    CollabUserSerializer,
    CommentCreateSerializer,
    CommentSerializer,
    CommentUpdateSerializer,
    PresenceSerializer,
    ReactionCreateSerializer,
    ReactionSerializer,
    RoomDetailSerializer,
    RoomSerializer,
    RoomTokenCreateSerializer,
    RoomTokenSerializer,
    ThreadCreateSerializer,
    ThreadSerializer,
    ThreadUpdateSerializer,
    comment_as_dict,
    reaction_as_dict,
    room_as_dict,
    thread_as_dict,
)

ROOM_ID_PARAMETER = OpenApiParameter(
    "room_id", str, OpenApiParameter.PATH, description=f"The integrator's room id: {ROOM_ID_RULE}"
)
AS_ITS_USER = (
    " With a room token, the request acts as the token's user: fields naming a person default to it, and "
    "naming anyone else is a 403."
)


class ApiKeyOnly(permissions.BasePermission):
    """Minting room tokens is for the integrator's backend: a room token cannot mint more."""

    message = "Only an API key can do this; a room token cannot."

    def has_permission(self, request, view) -> bool:
        return not isinstance(request.auth, RoomPrincipal)


class CollabViewSet(TenantViewSet):
    """The collaboration routes: an API key with read/write:collab sees the whole workspace
    environment; a room token (see RoomTokenAuthentication) only its room, acting as its user."""

    authentication_classes = [RoomTokenAuthentication, ApiKeyAuthentication]
    scope_resource = "collab"
    # The lookup from the model to its room's key, to narrow a room token's queries to its room.
    room_key_lookup = "room__key"

    @property
    def room_token(self) -> RoomPrincipal | None:
        return self.request.auth if isinstance(self.request.auth, RoomPrincipal) else None

    @property
    def actor(self) -> Actor:
        token = self.room_token
        return token.actor if token is not None else Actor.for_key(self.request.auth)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.room_token is not None:
            queryset = queryset.filter(**{self.room_key_lookup: self.room_token.room_key})
        return queryset

    def room_key_in_url(self, room_id: str) -> str:
        """The room id of the URL: 400 when malformed; a room token's other rooms do not exist for it."""
        room_key = selectors.room_key_checked(room_id)
        if self.room_token is not None and room_key != self.room_token.room_key:
            raise NotFound(f"No room {room_key}.")
        return room_key

    def acting_as(self, field: str, requested: str | None) -> str:
        """The person a write names in `field`. A room token writes as its own user only; an
        API key must say who."""
        token = self.room_token
        if token is None:
            if requested is None:
                raise InvalidInput(f"{field}: This field is required.", fields=[field])
            return requested
        if requested is not None and requested != token.user_id:
            raise PermissionDenied(f"This room token acts as {token.user_id}; it cannot write as {requested}.")
        return token.user_id

    def require_own(self, owner_id: str, what: str) -> None:
        """A room token changes only what its user wrote (an API key changes anything)."""
        token = self.room_token
        if token is not None and owner_id != token.user_id:
            raise PermissionDenied(f"This room token acts as {token.user_id}, who cannot change {what}.")

    def answer(self, data: dict, *, status_code: int = 200, version: int | None = None, location: str = ""):
        headers = {}
        if version is not None:
            headers["ETag"] = etag_for(version)
        if location:
            headers["Location"] = location
        return Response(data, status=status_code, headers=headers)

    def page_of(self, queryset, represent):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response([represent(row) for row in page])


@extend_schema(tags=["Collaboration"])
@extend_schema_view(list=extend_schema(summary="List rooms", operation_id="rooms_list"))
class RoomViewSet(ListMixin, CollabViewSet):
    """Rooms: where threads live, named by the integrator's own id. A room comes into being with
    its first thread; ids starting `emp_`, `sl_` or `lv_` tie it to that PulseHR object."""

    model = Room
    serializer_class = RoomSerializer
    room_key_lookup = "key"
    lookup_url_kwarg = "room_id"
    # Any segment, so a malformed room id is our 400 rather than the router's 404.
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return selectors.rooms_with_counts(super().get_queryset())

    def list(self, request):
        if self.room_token is not None:
            raise PermissionDenied("A room token reads its own room: GET /v1/rooms/{roomId}.")
        return super().list(request)

    @extend_schema(
        summary="Retrieve a room with its threads",
        description=f"The room and its first {ROOM_THREADS_EMBEDDED} threads (oldest first, with their comments); "
        "GET /v1/rooms/{roomId}/threads pages through all of them. A room without threads is a 404.",
        operation_id="rooms_retrieve",
        parameters=[ROOM_ID_PARAMETER],
        responses={200: RoomDetailSerializer},
    )
    def retrieve(self, request, room_id=None):
        room = selectors.room_get(tenant=self.tenant, room_key=self.room_key_in_url(room_id))
        threads = selectors.threads_with_comments(self.tenant.scope(Thread.objects).filter(room=room).order_by("id"))
        data = room_as_dict(room, thread_count=room.thread_count)
        data["threads"] = [thread_as_dict(thread) for thread in threads[:ROOM_THREADS_EMBEDDED]]
        return self.answer(data)

    @extend_schema(
        summary="List a room's threads",
        description="Oldest first, each with its comments. An unknown room is a 404.",
        operation_id="room_threads_list",
        parameters=[ROOM_ID_PARAMETER],
        responses={200: ThreadSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], url_path="threads")
    def threads(self, request, room_id=None):
        room = selectors.room_get(tenant=self.tenant, room_key=self.room_key_in_url(room_id))
        threads = selectors.threads_with_comments(self.tenant.scope(Thread.objects).filter(room=room))
        return self.page_of(threads, thread_as_dict)

    @extend_schema(
        summary="Open a thread",
        description="Creates the thread with its first comment, and the room with its first thread, in one "
        "transaction; records thread.created and then comment.created, and pushes both to the room's sockets. "
        "The author must be an active employee; `@emp_…` mentions must be employees of this workspace "
        "environment." + AS_ITS_USER,
        operation_id="room_threads_create",
        parameters=[ROOM_ID_PARAMETER],
        request=ThreadCreateSerializer,
        responses={201: ThreadSerializer},
    )
    @threads.mapping.post
    def thread_create(self, request, room_id=None):
        room_key = self.room_key_in_url(room_id)
        serializer = ThreadCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        author_id = self.acting_as("comment.author_id", values["comment"].get("author_id"))
        if "created_by" in values:
            self.acting_as("created_by", values["created_by"])
        thread = services.thread_create(
            tenant=self.tenant,
            actor=self.actor,
            room_key=room_key,
            author_id=author_id,
            body=values["comment"]["body"],
            metadata=values.get("metadata"),
            created_by=values.get("created_by"),
        )
        return self.answer(
            thread_as_dict(thread),
            status_code=status.HTTP_201_CREATED,
            version=thread.version,
            location=f"/v1/threads/{thread.pk}",
        )

    @extend_schema(
        summary="Who is in a room now",
        description="One entry per connected user, with their open sockets and latest heartbeat; entries "
        "expire 60 s after the last heartbeat. Answers for any valid room id (sockets may join a room "
        "before its first thread).",
        operation_id="room_presence",
        parameters=[ROOM_ID_PARAMETER],
        responses={200: PresenceSerializer},
    )
    @action(detail=True, methods=["get"])
    def presence(self, request, room_id=None):
        room_key = self.room_key_in_url(room_id)
        group = room_group_name(
            workspace_id=self.tenant.workspace.pk, environment=self.tenant.environment, room_key=room_key
        )
        return self.answer({"data": presence_list(group=group)})

    @extend_schema(
        summary="Mint a room token",
        description="For the integrator's backend: a short-lived signed token that lets a browser read and write "
        "this room's threads as `user_id` (an active employee), over REST (`Authorization: Bearer rt_…`) and "
        "the real-time socket. The room need not exist yet. Needs write:collab on an API key.",
        operation_id="room_tokens_create",
        parameters=[ROOM_ID_PARAMETER],
        request=RoomTokenCreateSerializer,
        responses={201: RoomTokenSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[*TenantViewSet.permission_classes, ApiKeyOnly])
    def tokens(self, request, room_id=None):
        room_key = selectors.room_key_checked(room_id)
        serializer = RoomTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user_id = serializer.validated_data["user_id"]
        token, expires_at = services.room_token_issue(
            tenant=self.tenant,
            room_key=room_key,
            user_id=user_id,
            ttl_seconds=serializer.validated_data.get("ttl_seconds"),
        )
        data = RoomTokenSerializer({"token": token, "expires_at": expires_at, "room_id": room_key, "user_id": user_id})
        return self.answer(data.data, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=["Collaboration"])
class ThreadViewSet(CollabViewSet):
    """Comment threads: resolve or reopen them, edit their metadata, delete them with their comments."""

    model = Thread
    serializer_class = ThreadSerializer
    versioned = True

    def get_queryset(self):
        # Only reading the thread shows its comments; the writes re-read what they change.
        queryset = super().get_queryset().select_related("room")
        return selectors.threads_with_comments(queryset) if self.action == "retrieve" else queryset

    @extend_schema(summary="Retrieve a thread with its comments", operation_id="threads_retrieve")
    def retrieve(self, request, pk=None):
        thread = self.get_object()
        return self.answer(thread_as_dict(thread), version=thread.version)

    @extend_schema(
        summary="Resolve, reopen or annotate a thread",
        description="`resolved: true` sets resolved_at and resolved_by (who must be an active employee), `false` "
        "clears them; `metadata` replaces the thread's metadata. A change that changes nothing records nothing; "
        "otherwise thread.updated is recorded and pushed. Pass the ETag as If-Match. With a room token, only "
        "the thread's creator can change `metadata`." + AS_ITS_USER,
        operation_id="threads_update",
        request=ThreadUpdateSerializer,
        responses={200: ThreadSerializer},
    )
    def partial_update(self, request, pk=None):
        thread = self.get_object()
        serializer = ThreadUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        # Anyone in the room may resolve or reopen; the metadata (what the integrator pins the
        # thread to) is its creator's to change, or the integrator's through an API key.
        if "metadata" in values:
            self.require_own(thread.created_by_id, "the metadata of a thread someone else opened")
        if values.get("resolved") is True and (self.room_token is not None or "resolved_by" in values):
            values["resolved_by"] = self.acting_as("resolved_by", values.get("resolved_by"))
        thread = services.thread_update(
            tenant=self.tenant, actor=self.actor, thread=thread, expected_version=self.expected_version(), **values
        )
        return self.answer(thread_as_dict(thread), version=thread.version)

    @extend_schema(
        summary="Delete a thread",
        description="Deletes the thread with its comments and reactions for good, and records and pushes "
        "thread.deleted with the thread as it was. With a room token, only the thread's creator can.",
        operation_id="threads_delete",
        responses={204: OpenApiResponse(description="Deleted.")},
    )
    def destroy(self, request, pk=None):
        thread = self.get_object()
        self.require_own(thread.created_by_id, "a thread someone else opened")
        services.thread_delete(
            tenant=self.tenant, actor=self.actor, thread=thread, expected_version=self.expected_version()
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="List a thread's comments",
        description="Oldest first.",
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
        description="Records and pushes comment.created. The author must be an active employee; `@emp_…` "
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
            author_id=self.acting_as("author_id", serializer.validated_data.get("author_id")),
            body=serializer.validated_data["body"],
        )
        return self.answer(
            comment_as_dict(comment, reactions=[]),
            status_code=status.HTTP_201_CREATED,
            version=comment.version,
            location=f"/v1/comments/{comment.pk}",
        )


@extend_schema(tags=["Collaboration"])
class CommentViewSet(CollabViewSet):
    """Comments: edit or delete them, and react to them."""

    model = Comment
    serializer_class = CommentSerializer
    versioned = True

    def get_queryset(self):
        queryset = super().get_queryset().select_related("room")
        return selectors.comments_with_reactions(queryset) if self.action == "retrieve" else queryset

    @extend_schema(summary="Retrieve a comment", operation_id="comments_retrieve")
    def retrieve(self, request, pk=None):
        comment = self.get_object()
        return self.answer(comment_as_dict(comment), version=comment.version)

    @extend_schema(
        summary="Edit a comment",
        description="Replaces the body, sets edited_at and reads the mentions again; records and pushes "
        "comment.edited. Pass the ETag as If-Match. With a room token, only the author can.",
        operation_id="comments_update",
        request=CommentUpdateSerializer,
        responses={200: CommentSerializer},
    )
    def partial_update(self, request, pk=None):
        comment = self.get_object()
        self.require_own(comment.author_id, "someone else's comment")
        serializer = CommentUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.comment_edit(
            tenant=self.tenant,
            actor=self.actor,
            comment=comment,
            body=serializer.validated_data["body"],
            expected_version=self.expected_version(),
        )
        return self.answer(comment_as_dict(comment), version=comment.version)

    @extend_schema(
        summary="Delete a comment",
        description="Deletes the comment with its reactions and records and pushes comment.deleted. A thread is "
        "never left empty: deleting its only comment deletes the thread too (thread.deleted follows). With a "
        "room token, only the author can.",
        operation_id="comments_delete",
        responses={204: OpenApiResponse(description="Deleted.")},
    )
    def destroy(self, request, pk=None):
        comment = self.get_object()
        self.require_own(comment.author_id, "someone else's comment")
        services.comment_delete(
            tenant=self.tenant, actor=self.actor, comment=comment, expected_version=self.expected_version()
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="React to a comment",
        description="201 with the new reaction (reaction.added is recorded and pushed); the same person with the "
        "same emoji again is 200 with the reaction they already have, and records nothing. The user must be an "
        "active employee." + AS_ITS_USER,
        operation_id="comment_reactions_create",
        request=ReactionCreateSerializer,
        responses={200: ReactionSerializer, 201: ReactionSerializer},
    )
    @action(detail=True, methods=["post"])
    def reactions(self, request, pk=None):
        comment = self.get_object()
        serializer = ReactionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reaction, created = services.reaction_add(
            tenant=self.tenant,
            actor=self.actor,
            comment=comment,
            user_id=self.acting_as("user_id", serializer.validated_data.get("user_id")),
            emoji=serializer.validated_data["emoji"],
        )
        return self.answer(reaction_as_dict(reaction), status_code=201 if created else 200)


@extend_schema(tags=["Collaboration"])
class ReactionViewSet(CollabViewSet):
    model = Reaction
    serializer_class = ReactionSerializer
    room_key_lookup = "comment__room__key"
    http_method_names = ["delete", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("comment__room")

    @extend_schema(
        summary="Remove a reaction",
        description="Records and pushes reaction.removed. With a room token, only the person who reacted can.",
        operation_id="reactions_delete",
        responses={204: OpenApiResponse(description="Deleted.")},
    )
    def destroy(self, request, pk=None):
        reaction = self.get_object()
        self.require_own(reaction.user_id, "someone else's reaction")
        services.reaction_remove(tenant=self.tenant, actor=self.actor, reaction=reaction)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["Collaboration"])
@extend_schema_view(list=extend_schema(summary="List collaboration users", operation_id="collab_users_list"))
class CollabUserViewSet(ListMixin, CollabViewSet):
    """The workspace environment's active employees, as the collaboration widget shows people
    (authors, mentions, presence). `?q=` narrows to names containing it."""

    model = Employee
    serializer_class = CollabUserSerializer
    filterset_class = CollabUserFilter

    def get_queryset(self):
        # Everyone of the workspace environment, whichever room a token is for.
        return selectors.collab_users(tenant=self.tenant)
