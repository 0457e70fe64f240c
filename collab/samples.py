"""Samples of the collaboration events for the /ecosystem catalogue: unsaved objects shown
through the representations the API, the room's sockets and the real events use."""

from datetime import timedelta

from employees.samples import SAMPLE_COLLEAGUE_ID, SAMPLE_EMPLOYEE_ID
from pulsehr.timestamps import format_datetime
from webhooks.samples import SAMPLE_TIME

from .api.serializers import room_as_dict
from .models import Comment, Reaction, Room, Thread
from .representations import comment_as_dict, reaction_as_dict, thread_as_dict

SAMPLE_ROOM = Room(
    id="room_01JP9ZTDE03KZMG98D1AH52Z3H", key="standup:2025-03-14", created_at=SAMPLE_TIME, updated_at=SAMPLE_TIME
)
SAMPLE_THREAD_ID = "thr_01JP9ZTDE03KZMG98D1AH52Z3J"
SAMPLE_COMMENT_ID = "cmt_01JP9ZTDE03KZMG98D1AH52Z3K"
SAMPLE_REACTION_ID = "rct_01JP9ZTDE03KZMG98D1AH52Z3M"
LATER = SAMPLE_TIME + timedelta(minutes=5)


def _comment(**changes) -> Comment:
    values = {
        "id": SAMPLE_COMMENT_ID,
        "room": SAMPLE_ROOM,
        "thread_id": SAMPLE_THREAD_ID,
        "author_id": SAMPLE_EMPLOYEE_ID,
        "body": f"Can we move the demo to Friday? @{SAMPLE_COLLEAGUE_ID}",
        "mentions": [SAMPLE_COLLEAGUE_ID],
        "version": 1,
        "created_at": SAMPLE_TIME,
        "edited_at": None,
    }
    return Comment(**(values | changes))


def _reaction() -> Reaction:
    return Reaction(
        id=SAMPLE_REACTION_ID, comment=_comment(), user_id=SAMPLE_COLLEAGUE_ID, emoji="👍", created_at=LATER
    )


def _comment_dict(**changes) -> dict:
    return comment_as_dict(_comment(**changes), reactions=[])


def _thread_dict(**changes) -> dict:
    values = {
        "id": SAMPLE_THREAD_ID,
        "room": SAMPLE_ROOM,
        "resolved": False,
        "resolved_at": None,
        "resolved_by_id": None,
        "metadata": {"section": "blockers"},
        "created_by_id": SAMPLE_EMPLOYEE_ID,
        "version": 1,
        "created_at": SAMPLE_TIME,
        "updated_at": SAMPLE_TIME,
    }
    return thread_as_dict(Thread(**(values | changes)), comments=[_comment_dict()])


def thread_created() -> dict:
    return _thread_dict()


def thread_updated() -> dict:
    return _thread_dict(
        resolved=True, resolved_at=LATER, resolved_by_id=SAMPLE_COLLEAGUE_ID, version=2, updated_at=LATER
    )


def thread_deleted() -> dict:
    return _thread_dict()


def comment_created() -> dict:
    return _comment_dict()


def comment_edited() -> dict:
    return _comment_dict(body="Can we move the demo to Monday?", mentions=[], version=2, edited_at=LATER)


def comment_deleted() -> dict:
    return _comment_dict()


def reaction_added() -> dict:
    return reaction_as_dict(_reaction())


def reaction_removed() -> dict:
    return reaction_as_dict(_reaction())


def api_examples() -> dict:
    """Examples for /v1/openapi.json (pulsehr/api/examples.py)."""
    room = room_as_dict(SAMPLE_ROOM, thread_count=1) | {"sequence": 3}
    comment = comment_created()
    return {
        "Room": room,
        "RoomDetail": room | {"threads": [thread_created()]},
        "Thread": thread_created(),
        "Comment": comment,
        "Reaction": reaction_added(),
        "CollabUser": {
            "id": SAMPLE_EMPLOYEE_ID,
            "name": "Ada Lovelace",
            "role": "Software engineer",
            "department": "Engineering",
        },
        "Presence": {
            "data": [
                {
                    "user_id": SAMPLE_EMPLOYEE_ID,
                    "name": "Ada Lovelace",
                    "connections": 2,
                    "last_seen_at": format_datetime(LATER),
                }
            ]
        },
        "RoomToken": {
            "token": "rt_eyJyb29tIjoic3RhbmR1cDoyMDI1LTAzLTE0In0.c2lnbmF0dXJl",
            "expires_at": format_datetime(SAMPLE_TIME + timedelta(hours=1)),
            "room_id": SAMPLE_ROOM.key,
            "user_id": SAMPLE_EMPLOYEE_ID,
        },
        "ThreadCreateRequest": {
            "comment": {"body": comment["body"], "author_id": SAMPLE_EMPLOYEE_ID},
            "metadata": {"section": "blockers"},
        },
        "CommentCreateRequest": {"body": "Friday works for me.", "author_id": SAMPLE_COLLEAGUE_ID},
        "PatchedCommentUpdateRequest": {"body": "Can we move the demo to Monday?"},
        "PatchedThreadUpdateRequest": {"resolved": True, "resolved_by": SAMPLE_COLLEAGUE_ID},
        "ReactionCreateRequest": {"emoji": "👍", "user_id": SAMPLE_COLLEAGUE_ID},
        "RoomTokenCreateRequest": {"user_id": SAMPLE_EMPLOYEE_ID, "ttl_seconds": 3600},
    }
