"""Collaboration's own domain errors: each a kind of pulsehr.errors, so the API keeps its
status and code, while callers and tests can tell them apart."""

from pulsehr.errors import InvalidInput, NotFound, RuleViolation

from .constants import ROOM_ID_RULE


class InvalidRoomId(InvalidInput):
    """A room id that does not follow the rule integrators name their rooms by."""

    def __init__(self, *, field: str):
        super().__init__(f"A room id is {ROOM_ID_RULE}", fields=[field])


class _Missing(NotFound):
    """No such `what` in the caller's workspace environment (or room, for a room token)."""

    what = ""

    def __init__(self, key: str):
        super().__init__(f"No {self.what} {key}.")


class RoomNotFound(_Missing):
    what = "room"


class ThreadNotFound(_Missing):
    what = "thread"


class CommentNotFound(_Missing):
    what = "comment"


class ReactionNotFound(_Missing):
    what = "reaction"


class UnknownMention(RuleViolation):
    """A comment mentions `@emp_…` ids that are not employees of the workspace environment."""

    def __init__(self, employee_ids: list[str], *, field: str):
        super().__init__(f"Mentioned {', '.join(employee_ids)}: not an employee of this workspace.", fields=[field])


class CreatedByNotAuthor(RuleViolation):
    """A new thread's created_by names someone other than its first comment's author."""

    def __init__(self):
        super().__init__("created_by is the first comment's author; leave it out.", fields=["created_by"])
