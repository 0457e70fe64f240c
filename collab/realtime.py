"""The one publish helper: every change to a room's threads, comments or reactions goes
through `room_publish`, whichever path made it (REST with a key, a room token, the admin).

Inside the change's transaction it numbers the change in its room, keeps it in the room's
event log for reconnecting clients, and records the webhook event; after commit it pushes
`{"type", "sequence", "room_id", "data"}` to every socket in the room through the channel
layer. A rolled-back change publishes nothing."""

import hashlib
import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pulsehr.tenancy.context import Actor, Tenant
from webhooks.outbox import event_record

from .constants import ROOM_EVENTS_KEPT
from .models import Room, RoomEvent

logger = logging.getLogger(__name__)

# Pruning the log on every change would double the writes; every this many is enough.
_PRUNE_EVERY = 100


def room_group_name(*, workspace_id: str, environment: str, room_key: str) -> str:
    """The channel-layer group of a room's sockets, also the room's presence key. Named by the
    tenant and the room's key rather than its primary key: a socket may join a room before its
    first thread creates the row. Hashed, because group names allow neither ':' nor 100+ chars."""
    digest = hashlib.sha256(f"{workspace_id}\x1f{environment}\x1f{room_key}".encode()).hexdigest()
    return f"collab.{digest[:40]}"


def user_group_name(*, workspace_id: str, environment: str, user_id: str) -> str:
    """The channel-layer group of one person's sockets, in every room: what closes them all
    when they are offboarded."""
    digest = hashlib.sha256(f"{workspace_id}\x1f{environment}\x1f{user_id}".encode()).hexdigest()
    return f"collab.user.{digest[:40]}"


def room_group(room: Room) -> str:
    return room_group_name(workspace_id=room.workspace_id, environment=room.environment, room_key=room.key)


def room_publish(*, tenant: Tenant, room: Room, type: str, data: dict, actor: Actor) -> RoomEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("room_publish must run inside the transaction of the change it publishes.")
    # The UPDATE locks the room row until commit, so the room's changes commit in sequence order.
    Room.objects.filter(pk=room.pk).update(last_sequence=F("last_sequence") + 1, updated_at=timezone.now())
    sequence = Room.objects.values_list("last_sequence", flat=True).get(pk=room.pk)
    room.last_sequence = sequence
    room_event = RoomEvent.objects.create(room=room, sequence=sequence, type=type, data=data)
    if sequence % _PRUNE_EVERY == 0:
        RoomEvent.objects.filter(room=room, sequence__lte=sequence - ROOM_EVENTS_KEPT).delete()
    event_record(tenant=tenant, type=type, data=data, actor=actor)
    message = room_message(room_key=room.key, sequence=sequence, type=type, data=data)
    group = room_group(room)
    transaction.on_commit(lambda: broadcast(group, message))
    return room_event


def room_message(*, room_key: str, sequence: int, type: str, data: dict) -> dict:
    """What a socket receives for one change; also what a reconnecting client is replayed."""
    return {"type": type, "sequence": sequence, "room_id": room_key, "data": data}


def broadcast(group: str, message: dict) -> None:
    """Push to the room's sockets. The change is committed by now: if the channel layer is
    down, log it and carry on; clients catch up from the room's event log when they reconnect."""
    try:
        # Serialized once here rather than once per socket.
        text = json.dumps(message)
        async_to_sync(get_channel_layer().group_send)(group, {"type": "room.event", "message": message, "text": text})
    except Exception:
        logger.exception("Could not push a room event to group %s", group)


def user_sockets_close(*, tenant: Tenant, employee_id: str) -> None:
    """Registered with employees' offboarding hooks (see CollabConfig.ready); runs after the
    offboarding commits. Tells every socket of the person, in any process, to close as
    unauthenticated. The group message is the only way to reach sockets held by other ASGI
    processes; a socket that authenticates after this is refused by its own check."""
    group = user_group_name(workspace_id=tenant.workspace.pk, environment=tenant.environment, user_id=employee_id)
    try:
        async_to_sync(get_channel_layer().group_send)(group, {"type": "user.offboarded"})
    except Exception:
        # The offboarding stands; the sockets still close when their tokens expire, and every
        # REST call with those tokens is refused already.
        logger.exception("Could not close the room sockets of offboarded employee %s", employee_id)
