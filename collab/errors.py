"""Collaboration's own domain errors: each a kind of pulsehr.errors, so the API keeps its
status and code, while callers and tests can tell them apart."""

from pulsehr.errors import InvalidInput, NotFound, RuleViolation

from .constants import ROOM_ID_RULE


class InvalidRoomId(InvalidInput):
    """A room id that does not follow the rule integrators name their rooms by."""

    def __init__(self, *, field: str):
        super().__init__(f"A room id is {ROOM_ID_RULE}", fields=[field])


class ActorRequired(InvalidInput):
    """An API key must name who a write acts as (a room token acts as its own user)."""

    def __init__(self, field: str):
        super().__init__(f"{field}: This field is required.", fields=[field])


class RoomNotFound(NotFound):
    def __init__(self, room_key: str):
        super().__init__(f"No room {room_key}.")


class ThreadNotFound(NotFound):
    def __init__(self, thread_id: str):
        super().__init__(f"No thread {thread_id}.")


class CommentNotFound(NotFound):
    def __init__(self, comment_id: str):
        super().__init__(f"No comment {comment_id}.")


class ReactionNotFound(NotFound):
    def __init__(self, reaction_id: str):
        super().__init__(f"No reaction {reaction_id}.")


class UnknownMention(RuleViolation):
    """A comment mentions `@emp_…` ids that are not employees of the workspace environment."""

    def __init__(self, employee_ids: list[str], *, field: str):
        super().__init__(f"Mentioned {', '.join(employee_ids)}: not an employee of this workspace.", fields=[field])


class CreatedByNotAuthor(RuleViolation):
    """A new thread's created_by names someone other than its first comment's author."""

    def __init__(self):
        super().__init__("created_by is the first comment's author; leave it out.", fields=["created_by"])
