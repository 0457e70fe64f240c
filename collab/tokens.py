"""Room tokens: what a browser holds instead of an API key. Minted by the integrator's backend
(`POST /v1/rooms/{roomId}/tokens`), short-lived, signed with SECRET_KEY, bound to one
workspace, environment, room and user. Nothing is stored: the signature and the expiry are
the whole check."""

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core import signing

TOKEN_PREFIX = "rt_"
_SALT = "pulsehr.collab.room-token"


@dataclass(frozen=True)
class RoomGrant:
    """What a valid room token allows: acting as `user_id` in one room of one workspace environment."""

    workspace_id: str
    environment: str
    room_key: str
    user_id: str
    expires_at: datetime


class InvalidRoomToken(Exception):
    """Malformed, tampered with, or expired. The message is safe to show."""


def room_token_mint(
    *, workspace_id: str, environment: str, room_key: str, user_id: str, ttl_seconds: int
) -> tuple[str, datetime]:
    """A token valid for at least `ttl_seconds` from now. The expiry is whole seconds (it is
    signed as an integer and shown as such), so it is rounded up: truncating it made a token
    live up to a second less than asked, and a 1-second token could be dead on arrival."""
    expires = math.ceil(time.time() + ttl_seconds)
    payload = {"w": workspace_id, "e": environment, "r": room_key, "u": user_id, "x": expires}
    token = TOKEN_PREFIX + signing.dumps(payload, salt=_SALT, compress=True)
    return token, datetime.fromtimestamp(expires, tz=UTC)


def room_token_verify(token: str) -> RoomGrant:
    if not token.startswith(TOKEN_PREFIX):
        raise InvalidRoomToken("Not a room token.")
    try:
        payload = signing.loads(token[len(TOKEN_PREFIX) :], salt=_SALT)
        grant = RoomGrant(
            workspace_id=payload["w"],
            environment=payload["e"],
            room_key=payload["r"],
            user_id=payload["u"],
            expires_at=datetime.fromtimestamp(payload["x"], tz=UTC),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise InvalidRoomToken("The room token is invalid.") from exc
    if grant.expires_at.timestamp() <= time.time():
        raise InvalidRoomToken("The room token has expired; ask your backend for a new one.")
    return grant
