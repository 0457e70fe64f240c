from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from pulsehr.api.views import ListMixin, TenantViewSet

from ... import selectors, services
from ...constants import ROOM_ID_RULE, ROOM_THREADS_EMBEDDED
from ...models import Room, Thread
from ...permissions import ApiKeyOnly, acting_as, room_key_allowed
from ...presence import presence_list
from ...realtime import room_group_name
from ...representations import thread_as_dict
from ..serializers import (
    PresenceSerializer,
    RoomDetailSerializer,
    RoomSerializer,
    RoomTokenCreateSerializer,
    RoomTokenSerializer,
    ThreadCreateSerializer,
    ThreadSerializer,
)
from .base import AS_ITS_USER, CollabViewSet

ROOM_ID_PARAMETER = OpenApiParameter(
    "room_id", str, OpenApiParameter.PATH, description=f"The integrator's room id: {ROOM_ID_RULE}"
)


@extend_schema(tags=["Collaboration"])
@extend_schema_view(
    list=extend_schema(
        summary="List rooms",
        description="The workspace environment's rooms, in the order they were created, with their thread counts. "
        "An API key only: a room token is refused (403).",
        operation_id="rooms_list",
    )
)
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
        "GET /v1/rooms/{roomId}/threads pages through all of them. A room in which no thread was ever opened is a "
        "404.",
        operation_id="rooms_retrieve",
        parameters=[ROOM_ID_PARAMETER],
        responses={200: RoomDetailSerializer},
    )
    def retrieve(self, request, room_id=None):
        room_key = room_key_allowed(self.room_token, room_id)
        room = selectors.room_with_first_threads(tenant=self.tenant, room_key=room_key)
        return self.respond(room, serializer_class=RoomDetailSerializer)

    @extend_schema(
        summary="List a room's threads",
        description="The room's threads, oldest first, each with all its comments. A room in which no thread was "
        "ever opened is a 404.",
        operation_id="room_threads_list",
        parameters=[ROOM_ID_PARAMETER],
        responses={200: ThreadSerializer(many=True)},
    )
    # Threads carry a version: the one opened here is answered with its ETag.
    @action(detail=True, methods=["get"], url_path="threads", versioned=True)
    def threads(self, request, room_id=None):
        room = selectors.room_get(tenant=self.tenant, room_key=room_key_allowed(self.room_token, room_id))
        threads = selectors.threads_with_comments(self.tenant.scope(Thread.objects).filter(room=room))
        return self.page_of(threads, thread_as_dict)

    @extend_schema(
        summary="Open a thread",
        description="Creates the thread with its first comment, and the room with its first thread, in one "
        "transaction; records `thread.created` and then `comment.created`, and pushes both to the room's sockets. "
        "The author must be an active employee; `@emp_…` mentions must be employees of this workspace "
        "environment." + AS_ITS_USER,
        operation_id="room_threads_create",
        parameters=[ROOM_ID_PARAMETER],
        request=ThreadCreateSerializer,
        responses={201: ThreadSerializer},
    )
    @threads.mapping.post
    def thread_create(self, request, room_id=None):
        room_key = room_key_allowed(self.room_token, room_id)
        serializer = ThreadCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        author_id = acting_as(self.actor, "comment.author_id", values["comment"].get("author_id"))
        if "created_by" in values:
            acting_as(self.actor, "created_by", values["created_by"])
        thread = services.thread_create(
            tenant=self.tenant,
            actor=self.actor,
            room_key=room_key,
            author_id=author_id,
            body=values["comment"]["body"],
            metadata=values.get("metadata"),
            created_by=values.get("created_by"),
        )
        return self.respond(thread, status.HTTP_201_CREATED, ThreadSerializer, location=f"/v1/threads/{thread.pk}")

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
        room_key = room_key_allowed(self.room_token, room_id)
        group = room_group_name(
            workspace_id=self.tenant.workspace.pk, environment=self.tenant.environment, room_key=room_key
        )
        return Response({"data": presence_list(group=group)})

    @extend_schema(
        summary="Mint a room token",
        description="For the integrator's backend: a short-lived signed token that lets a browser read and write "
        "this room's threads as `user_id` (an active employee), over REST (`Authorization: Bearer rt_…`) and "
        "the real-time socket. The room need not exist yet. Needs write:collab on an API key; a key that acts "
        "as an employee mints tokens for that employee only (`user_id` defaults to them; anyone else is a 403). "
        "Nothing is stored: the token stops working when it expires, or as soon as its user is no longer an active "
        "employee.",
        operation_id="room_tokens_create",
        parameters=[ROOM_ID_PARAMETER],
        request=RoomTokenCreateSerializer,
        responses={201: RoomTokenSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[*TenantViewSet.permission_classes, ApiKeyOnly])
    def tokens(self, request, room_id=None):
        room_key = selectors.room_key_checked(room_id)
        serializer = RoomTokenCreateSerializer(data=request.data, context={"actor": self.actor})
        serializer.is_valid(raise_exception=True)
        user_id = self.actor.acting_as(
            field="user_id", requested=serializer.validated_data.get("user_id"), doing="mint a room token for"
        )
        token, expires_at = services.room_token_issue(
            tenant=self.tenant,
            room_key=room_key,
            user_id=user_id,
            ttl_seconds=serializer.validated_data.get("ttl_seconds"),
        )
        data = RoomTokenSerializer({"token": token, "expires_at": expires_at, "room_id": room_key, "user_id": user_id})
        # Not a resource of its own: no Location, nothing to fetch again.
        return Response(data.data, status=status.HTTP_201_CREATED)
