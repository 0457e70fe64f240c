"""Who may do what in the collaboration API. An API key (read/write:collab) acts for the
integrator across its workspace environment and says whom each write is by, unless it is bound
to an employee: then, like a room token, it writes as that person only. A room token
(collab/api/authentication.py) sees only its own room and acts as its own user: it writes as
that person only, and changes only what that person wrote.

`token` is the request's room token, or None for an API key; `actor` the request's Actor."""

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from pulsehr.tenancy.context import Actor

from .api.authentication import RoomPrincipal
from .errors import RoomNotFound
from .models import Thread
from .selectors import room_key_checked


class ApiKeyOnly(BasePermission):
    """Minting room tokens is for the integrator's backend: a room token cannot mint more."""

    message = "Only an API key can do this; a room token cannot."

    def has_permission(self, request, view) -> bool:
        return not isinstance(request.auth, RoomPrincipal)


def narrowed_to_room(queryset, token: RoomPrincipal | None, room_key_lookup: str):
    """A room token's queries reach its own room only; `room_key_lookup` leads from the
    queryset's model to its room's key."""
    if token is None:
        return queryset
    return queryset.filter(**{room_key_lookup: token.room_key})


def room_key_allowed(token: RoomPrincipal | None, room_id: str) -> str:
    """The room id of a URL: InvalidRoomId when malformed; a room token's other rooms do not
    exist for it."""
    room_key = room_key_checked(room_id)
    if token is not None and room_key != token.room_key:
        raise RoomNotFound(room_key)
    return room_key


def acting_as(actor: Actor, field: str, requested: str | None) -> str:
    """The person a write names in `field`. A room token, or an API key bound to an employee,
    writes as its own employee only, the default; any other API key must say who."""
    return actor.acting_as(field=field, requested=requested, doing="write as")


def require_own(token: RoomPrincipal | None, owner_id: str, what: str) -> None:
    """A room token changes only what its user wrote (an API key changes anything)."""
    if token is not None and owner_id != token.user_id:
        raise PermissionDenied(f"This room token acts as {token.user_id}, who cannot change {what}.")


def thread_changes_allowed(token: RoomPrincipal | None, actor: Actor, thread: Thread, changes: dict) -> dict:
    """The changes of a thread update, with whom a resolution is by (an unbound API key may
    leave it unsaid). Anyone in the room may resolve or reopen; the metadata (what the
    integrator pins the thread to) is its creator's to change, or the integrator's through an
    API key."""
    changes = dict(changes)
    if "metadata" in changes:
        require_own(token, thread.created_by_id, "the metadata of a thread someone else opened")
    if changes.get("resolved") is True and (actor.employee_id or "resolved_by" in changes):
        changes["resolved_by"] = acting_as(actor, "resolved_by", changes.get("resolved_by"))
    return changes
