"""The room socket at /v1/realtime: pushes a room's changes and presence to its browsers.

The protocol (README, "Real-time"): the first message authenticates with a room token, then
the server sends `ready`, any missed changes (or `refetch`), and every change after it as it
is committed; the client pings to stay present. The socket is read-only for data: writes go
through REST. Nothing from the client is trusted but the token and sequence numbers.

The socket joins its room's group by the tenant and the room's key, so a room that has no
thread yet still receives its first one."""

import asyncio
import json
import logging
import time
import uuid
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from employees.models import Employee
from pulsehr.tenancy.choices import Environment
from pulsehr.tenancy.context import Tenant
from pulsehr.tenancy.models import Workspace

from .constants import REALTIME_AUTH_TIMEOUT_SECONDS, ROOM_EVENTS_KEPT
from .models import Room, RoomEvent
from .presence import PresenceUser, presence_heartbeat, presence_join, presence_leave, presence_list
from .realtime import room_group_name, room_message, user_group_name
from .tokens import InvalidRoomToken, RoomGrant, room_token_verify

logger = logging.getLogger(__name__)

CLOSE_INVALID_REQUEST = 4400
CLOSE_UNAUTHENTICATED = 4401
CLOSE_AUTH_TIMEOUT = 4408
NOT_ACTIVE = "The room token's user is no longer an active employee of its workspace."


@dataclass(frozen=True)
class RoomSession:
    """An authenticated socket: whose it is and which room it follows."""

    tenant: Tenant
    room_key: str
    group: str
    user: dict
    presence_user: PresenceUser


@dataclass(frozen=True)
class Catchup:
    """The room's sequence now, and the changes after the client's last one (None: too many
    are missing, the client must reload the room through REST)."""

    sequence: int
    messages: list[dict] | None


def session_open(grant: RoomGrant) -> RoomSession | None:
    """None unless the token's workspace still exists and its user is still an active
    employee there: a token outlives neither."""
    workspace = Workspace.objects.filter(pk=grant.workspace_id).first()
    if workspace is None or grant.environment not in Environment.values:
        return None
    tenant = Tenant(workspace=workspace, environment=grant.environment)
    employee = tenant.scope(Employee.objects.active_on(tenant.today())).filter(pk=grant.user_id).first()
    if employee is None:
        return None
    return RoomSession(
        tenant=tenant,
        room_key=grant.room_key,
        group=room_group_name(workspace_id=workspace.pk, environment=tenant.environment, room_key=grant.room_key),
        user={"id": employee.pk, "name": employee.full_name, "role": employee.role, "department": employee.department},
        presence_user=PresenceUser(user_id=employee.pk, name=employee.full_name),
    )


def room_catchup(session: RoomSession, last_sequence: int | None) -> Catchup:
    room = session.tenant.scope(Room.objects).filter(key=session.room_key).first()
    current = room.last_sequence if room is not None else 0
    if last_sequence is None or last_sequence == current:
        return Catchup(sequence=current, messages=[])
    # Ahead of the room (it was recreated) or further behind than the log reaches.
    if room is None or last_sequence > current or current - last_sequence > ROOM_EVENTS_KEPT:
        return Catchup(sequence=current, messages=None)
    events = list(
        RoomEvent.objects.filter(room=room, sequence__gt=last_sequence, sequence__lte=current)
        .order_by("sequence")
        .values_list("sequence", "type", "data")
    )
    if len(events) != current - last_sequence:
        return Catchup(sequence=current, messages=None)
    messages = [room_message(room_key=room.key, sequence=seq, type=type_, data=data) for seq, type_, data in events]
    return Catchup(sequence=current, messages=messages)


def _sequence(value) -> int | None:
    """A client's sequence number, or None when it is not a non-negative integer."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


class RoomConsumer(AsyncJsonWebsocketConsumer):
    auth_timeout_seconds = REALTIME_AUTH_TIMEOUT_SECONDS

    async def connect(self):
        self.session: RoomSession | None = None
        self.connection_id = uuid.uuid4().hex
        # Changes up to here were sent in `ready`'s replay (or are in the client's REST load);
        # the same changes arriving through the group afterwards are not sent twice.
        self.replayed_through = 0
        await self.accept()
        self.auth_timer = asyncio.create_task(self._close_unless_authenticated())
        self.expiry_timer: asyncio.Task | None = None
        self.user_group: str | None = None
        # Set once the server has closed the socket: until the client's disconnect arrives,
        # group pushes still reach this consumer, and a send after the close is an error in
        # the ASGI server (the consumer would die before counting itself out of presence).
        self.closing = False

    async def _close_unless_authenticated(self):
        await asyncio.sleep(self.auth_timeout_seconds)
        if self.session is None:
            await self.close(code=CLOSE_AUTH_TIMEOUT)

    async def _close_when_expired(self, expires_at):
        """A token grants the room until it expires, on an open socket too: then the socket is
        closed as unauthenticated, and the client reconnects with a fresh token."""
        await asyncio.sleep(max(0.0, expires_at.timestamp() - time.time()))
        if self.session is not None and not self.closing:
            await self._unauthenticated("The room token has expired; ask your backend for a new one.")

    async def disconnect(self, code):
        self.auth_timer.cancel()
        if self.expiry_timer is not None:
            self.expiry_timer.cancel()
        if self.user_group is not None:
            await self.channel_layer.group_discard(self.user_group, self.channel_name)
            self.user_group = None
        if self.session is None:
            return
        session, self.session = self.session, None
        await self.channel_layer.group_discard(session.group, self.channel_name)
        last_one = await sync_to_async(presence_leave, thread_sensitive=False)(
            group=session.group, connection_id=self.connection_id, user=session.presence_user
        )
        if last_one:
            await self._push_presence(session, "left")

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        try:
            content = json.loads(text_data) if text_data is not None else None
        except ValueError:
            content = None
        if not isinstance(content, dict):
            await self._refuse('Messages are JSON objects with a "type".')
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        message_type = content.get("type")
        if self.session is None:
            if message_type != "auth":
                await self._refuse('The first message must be {"type": "auth", "token": …}.')
            else:
                await self._authenticate(content)
        elif message_type == "ping":
            await sync_to_async(presence_heartbeat, thread_sensitive=False)(
                group=self.session.group, connection_id=self.connection_id, user=self.session.presence_user
            )
            await self.send_json({"type": "pong"})
        elif message_type == "resume":
            last_sequence = _sequence(content.get("last_sequence"))
            if last_sequence is None:
                await self._error("invalid_request", "resume needs last_sequence, a non-negative integer.")
                return
            catchup = await database_sync_to_async(room_catchup)(self.session, last_sequence)
            await self._send_catchup(catchup)
        elif message_type == "auth":
            await self._error("invalid_request", "This socket is already authenticated.")
        else:
            await self._error("invalid_request", f"Unknown message type {str(message_type)[:40]!r}.")

    async def _authenticate(self, content: dict):
        token = content.get("token")
        try:
            grant = room_token_verify(token if isinstance(token, str) else "")
        except InvalidRoomToken as exc:
            await self._unauthenticated(str(exc))
            return
        last_sequence = None
        if content.get("last_sequence") is not None:
            last_sequence = _sequence(content["last_sequence"])
            if last_sequence is None:
                await self._error("invalid_request", "last_sequence must be a non-negative integer.")
                await self.close(code=CLOSE_INVALID_REQUEST)
                return
        # A valid signature in time: whatever the checks below say, the timer has done its job.
        self.auth_timer.cancel()
        # Follow the person's offboarding before checking they are active: an offboarding that
        # commits after the check reaches this socket through the group (its message waits
        # until this handler is done, as Channels dispatches one message at a time), and one
        # committed before it fails the check. Either way the socket does not stay open.
        self.user_group = user_group_name(
            workspace_id=grant.workspace_id, environment=grant.environment, user_id=grant.user_id
        )
        await self.channel_layer.group_add(self.user_group, self.channel_name)
        session = await database_sync_to_async(session_open)(grant)
        if session is None:
            await self._unauthenticated(NOT_ACTIVE)
            return
        # Join first, then read: a change committed in between is both in the catch-up and in
        # the group, and `replayed_through` drops the second copy.
        await self.channel_layer.group_add(session.group, self.channel_name)
        self.session = session
        first_one = await sync_to_async(presence_join, thread_sensitive=False)(
            group=session.group, connection_id=self.connection_id, user=session.presence_user
        )
        catchup = await database_sync_to_async(room_catchup)(session, last_sequence)
        presence = await sync_to_async(presence_list, thread_sensitive=False)(group=session.group)
        await self.send_json(
            {
                "type": "ready",
                "room_id": session.room_key,
                "user": session.user,
                "sequence": catchup.sequence,
                "presence": presence,
            }
        )
        await self._send_catchup(catchup)
        # Started once `ready` is out, so a token that runs out while a busy server
        # authenticates still sees `ready` before it is closed, never the other way round.
        self.expiry_timer = asyncio.create_task(self._close_when_expired(grant.expires_at))
        if first_one:
            await self._push_presence(session, "joined", presence)

    async def _send_catchup(self, catchup: Catchup):
        if catchup.messages is None:
            await self.send_json({"type": "refetch"})
        else:
            for message in catchup.messages:
                await self.send_json(message)
        self.replayed_through = max(self.replayed_through, catchup.sequence)

    async def _push_presence(self, session: RoomSession, event: str, presence: list[dict] | None = None):
        if presence is None:
            presence = await sync_to_async(presence_list, thread_sensitive=False)(group=session.group)
        message = {"type": "presence", "event": event, "user_id": session.presence_user.user_id, "presence": presence}
        await self.channel_layer.group_send(
            session.group, {"type": "presence.changed", "message": message, "origin": self.channel_name}
        )

    async def dispatch(self, message):
        """Group pushes touch no database, so they skip Channels' per-message hop to the sync
        thread that closes stale connections: with 1,000 sockets in a room that hop, once per
        socket per change, was most of the fan-out's cost."""
        if message["type"] in self.database_free_messages:
            await getattr(self, message["type"].replace(".", "_"))(message)
        else:
            await super().dispatch(message)

    database_free_messages = frozenset({"room.event", "presence.changed"})

    async def room_event(self, event):
        """A committed change of the room, from `collab.realtime.broadcast`, serialized once there."""
        if self.session is not None and not self.closing and event["message"]["sequence"] > self.replayed_through:
            await self.send(text_data=event["text"])

    async def user_offboarded(self, event):
        """The socket's person was offboarded (`realtime.user_sockets_close`). A socket that is
        not authenticated has been refused already."""
        if self.session is not None and not self.closing:
            await self._unauthenticated(NOT_ACTIVE)

    async def presence_changed(self, event):
        # The socket whose arrival or departure it is knows already.
        if self.session is not None and not self.closing and event["origin"] != self.channel_name:
            await self.send_json(event["message"])

    async def _refuse(self, message: str):
        if self.session is None:
            await self._unauthenticated(message)
        else:
            await self._error("invalid_request", message)

    async def _unauthenticated(self, message: str):
        await self._error("unauthenticated", message)
        await self.close(code=CLOSE_UNAUTHENTICATED)
        self.closing = True

    async def _error(self, code: str, message: str):
        await self.send_json({"type": "error", "code": code, "message": message})
