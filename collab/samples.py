"""Samples of the collaboration events for the /ecosystem catalogue: unsaved objects shown
through the representations the API, the room's sockets and the real events use."""

from datetime import timedelta

from employees.samples import SAMPLE_COLLEAGUE_ID, SAMPLE_EMPLOYEE_ID
from webhooks.samples import SAMPLE_TIME

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
