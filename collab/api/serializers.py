"""The collaboration API's shapes. The serializer classes document in OpenAPI the dicts of
collab/representations.py (GET answers with them, and the room's sockets and webhook events
carry exactly the same), and parse request bodies."""

import math
import unicodedata

from rest_framework import serializers

from pulsehr.api.serializers import ACTING_EMPLOYEE_HELP, StrictSerializer
from pulsehr.timestamps import format_datetime

from ..constants import (
    COMMENT_BODY_MAX_LENGTH,
    EMOJI_MAX_LENGTH,
    METADATA_KEY_MAX_LENGTH,
    METADATA_MAX_KEYS,
    METADATA_VALUE_MAX_LENGTH,
    ROOM_ID_RULE,
    ROOM_THREADS_EMBEDDED,
    ROOM_TOKEN_DEFAULT_TTL_SECONDS,
    ROOM_TOKEN_MAX_TTL_SECONDS,
    ROOM_TOKEN_MIN_TTL_SECONDS,
)
from ..models import Room
from ..representations import comment_as_dict, reaction_as_dict, thread_as_dict


def linked_object(room: Room) -> dict | None:
    return {"type": room.linked_type, "id": room.key} if room.linked_type else None


def room_as_dict(room: Room, *, thread_count: int) -> dict:
    return {
        "id": room.key,
        "linked_object": linked_object(room),
        "thread_count": thread_count,
        "sequence": room.last_sequence,
        "created_at": format_datetime(room.created_at),
        "updated_at": format_datetime(room.updated_at),
    }


# --- Read shapes, for the OpenAPI schema -------------------------------------------------


class ReactionRefSerializer(serializers.Serializer):
    """One reaction of a group: who reacted, and the id that removes it."""

    id = serializers.CharField(help_text="`rct_` followed by a ULID; DELETE /v1/reactions/{id} removes it.")
    user_id = serializers.CharField(help_text="The employee who reacted (an `emp_` id).")


class ReactionGroupSerializer(serializers.Serializer):
    """Everyone who reacted to a comment with one emoji."""

    emoji = serializers.CharField(help_text="The emoji, as it was sent.")
    count = serializers.IntegerField(help_text="How many people reacted with this emoji.")
    user_ids = serializers.ListField(child=serializers.CharField(), help_text="Who reacted, first to last.")
    reactions = ReactionRefSerializer(many=True, help_text="The reactions of the group, first to last.")


class CommentSerializer(serializers.Serializer):
    """A comment in a thread."""

    id = serializers.CharField(help_text="`cmt_` followed by a ULID.")
    thread_id = serializers.CharField(help_text="The thread the comment is in (a `thr_` id).")
    room_id = serializers.CharField(help_text="The room's id, as the integrator named it.")
    author_id = serializers.CharField(help_text="The employee who wrote it (an `emp_` id).")
    body = serializers.CharField(help_text=f"Plain text, up to {COMMENT_BODY_MAX_LENGTH:,} characters.")
    mentions = serializers.ListField(
        child=serializers.CharField(), help_text="Employee ids written as `@emp_…` in the body, in order of appearance."
    )
    reactions = ReactionGroupSerializer(
        many=True, help_text="Reactions grouped by emoji, in the order each emoji was first used."
    )
    version = serializers.IntegerField(help_text="Increments on every edit; send it back as If-Match.")
    created_at = serializers.DateTimeField(help_text="When the comment was posted, ISO 8601 in UTC.")
    edited_at = serializers.DateTimeField(
        allow_null=True, help_text="When the body last changed, ISO 8601 in UTC; null if never edited."
    )

    def to_representation(self, instance):
        return comment_as_dict(instance)


class ThreadSerializer(serializers.Serializer):
    """A comment thread in a room, with its comments oldest first."""

    id = serializers.CharField(help_text="`thr_` followed by a ULID.")
    room_id = serializers.CharField(help_text="The room's id, as the integrator named it.")
    resolved = serializers.BooleanField(help_text="Whether the thread is resolved.")
    resolved_at = serializers.DateTimeField(
        allow_null=True, help_text="When the thread was resolved, ISO 8601 in UTC; null while open."
    )
    resolved_by = serializers.CharField(
        allow_null=True,
        help_text="The employee who resolved it (an `emp_` id); null while open, or when an API key resolved it "
        "without naming anyone.",
    )
    metadata = serializers.DictField(help_text="The integrator's own keys: string, number or boolean values.")
    created_by = serializers.CharField(
        help_text="The employee who opened it (an `emp_` id): the first comment's author."
    )
    version = serializers.IntegerField(help_text="Increments on every change; send it back as If-Match.")
    created_at = serializers.DateTimeField(help_text="When the thread was opened, ISO 8601 in UTC.")
    updated_at = serializers.DateTimeField(
        help_text="When the thread itself last changed (opened, resolved, reopened, metadata), ISO 8601 in UTC; "
        "comments do not change it."
    )
    comments = CommentSerializer(many=True, help_text="All of the thread's comments, oldest first.")

    def to_representation(self, instance):
        return thread_as_dict(instance)


class ReactionSerializer(serializers.Serializer):
    """One person's reaction to a comment."""

    id = serializers.CharField(help_text="`rct_` followed by a ULID.")
    comment_id = serializers.CharField(help_text="The comment reacted to (a `cmt_` id).")
    thread_id = serializers.CharField(help_text="The comment's thread (a `thr_` id).")
    room_id = serializers.CharField(help_text="The room's id, as the integrator named it.")
    emoji = serializers.CharField(help_text="The emoji, as it was sent.")
    user_id = serializers.CharField(help_text="The employee who reacted (an `emp_` id).")
    created_at = serializers.DateTimeField(help_text="When the reaction was added, ISO 8601 in UTC.")

    def to_representation(self, instance):
        return reaction_as_dict(instance)


class LinkedObjectSerializer(serializers.Serializer):
    """The PulseHR object a room is tied to by its id."""

    type = serializers.ChoiceField(
        choices=["employee", "status_log", "leave"], help_text="The kind of object the room id names."
    )
    id = serializers.CharField(help_text="The PulseHR object's id (it need not exist).")


class RoomSerializer(serializers.Serializer):
    """A room: where threads live, named by the integrator's own id."""

    id = serializers.CharField(help_text=f"The integrator's room id: {ROOM_ID_RULE}")
    linked_object = LinkedObjectSerializer(
        allow_null=True, help_text="Set when the room id names a PulseHR object (`emp_…`, `sl_…`, `lv_…`)."
    )
    thread_count = serializers.IntegerField(help_text="How many threads the room has now.")
    sequence = serializers.IntegerField(
        help_text="The room's latest change number, as its sockets count them: a client that loaded the room "
        "through REST passes it as last_sequence when it connects."
    )
    created_at = serializers.DateTimeField(help_text="When the room's first thread was opened, ISO 8601 in UTC.")
    updated_at = serializers.DateTimeField(help_text="When anything in the room last changed, ISO 8601 in UTC.")

    def to_representation(self, instance):
        return room_as_dict(instance, thread_count=instance.thread_count)


class RoomDetailSerializer(RoomSerializer):
    """A room with its first threads and their comments."""

    threads = ThreadSerializer(
        many=True,
        help_text=f"The room's first {ROOM_THREADS_EMBEDDED} threads, oldest first, with their comments; "
        "GET /v1/rooms/{roomId}/threads pages through all of them.",
    )

    def to_representation(self, instance):
        """A room from selectors.room_with_first_threads."""
        threads = [thread_as_dict(thread) for thread in instance.first_threads]
        return {**room_as_dict(instance, thread_count=instance.thread_count), "threads": threads}


class CollabUserSerializer(serializers.Serializer):
    """An active employee, as the collaboration widget shows people."""

    id = serializers.CharField(help_text="The employee's id (an `emp_` id).")
    name = serializers.CharField(help_text="The person's full name.")
    role = serializers.CharField(allow_blank=True, help_text="Job title; empty when not set.")
    department = serializers.CharField(allow_blank=True, help_text="Department; empty when not set.")

    def to_representation(self, instance):
        return collab_user_as_dict(instance)


def collab_user_as_dict(employee) -> dict:
    return {"id": employee.pk, "name": employee.full_name, "role": employee.role, "department": employee.department}


class PresenceEntrySerializer(serializers.Serializer):
    """One person connected to a room."""

    user_id = serializers.CharField(help_text="The connected employee (an `emp_` id).")
    name = serializers.CharField(help_text="The person's full name.")
    connections = serializers.IntegerField(help_text="Their open sockets in the room.")
    last_seen_at = serializers.DateTimeField(help_text="Their latest heartbeat, ISO 8601 in UTC.")


class PresenceSerializer(serializers.Serializer):
    """Who is connected to a room now."""

    data = PresenceEntrySerializer(many=True, help_text="One entry per connected user, by name.")


class RoomTokenSerializer(serializers.Serializer):
    """A room token for a browser, and what it grants."""

    token = serializers.CharField(help_text="`rt_…`: give it to the browser; it never travels in a URL.")
    expires_at = serializers.DateTimeField(help_text="When the token stops working, ISO 8601 in UTC.")
    room_id = serializers.CharField(help_text="The one room the token reads and writes.")
    user_id = serializers.CharField(help_text="The employee the token acts as (an `emp_` id).")


# --- Request bodies ------------------------------------------------------------------------


class MetadataField(serializers.DictField):
    """The integrator's own keys on a thread: flat, bounded, and values a widget can show."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("not_a_dict", input_type=type(data).__name__)
        if len(data) > METADATA_MAX_KEYS:
            raise serializers.ValidationError(f"At most {METADATA_MAX_KEYS} keys.")
        errors = {}
        for key, value in data.items():
            if not 1 <= len(key) <= METADATA_KEY_MAX_LENGTH or not key.isprintable():
                errors[key] = [f"Keys are 1–{METADATA_KEY_MAX_LENGTH} printable characters."]
            elif isinstance(value, str):
                if len(value) > METADATA_VALUE_MAX_LENGTH or "\x00" in value:
                    errors[key] = [f"Strings are up to {METADATA_VALUE_MAX_LENGTH} characters, without NUL."]
            elif isinstance(value, float) and not math.isfinite(value):
                errors[key] = ["Numbers must be finite."]
            elif isinstance(value, int) and not isinstance(value, bool) and not -(2**53) <= value <= 2**53:
                errors[key] = ["Integers must be within ±2^53, so every client reads them exactly."]
            elif not isinstance(value, (str, int, float, bool)):
                errors[key] = ["Values are strings, numbers or booleans."]
        if errors:
            raise serializers.ValidationError(errors)
        return data


METADATA_HELP = (
    f"Up to {METADATA_MAX_KEYS} keys of 1–{METADATA_KEY_MAX_LENGTH} characters; values are strings (up to "
    f"{METADATA_VALUE_MAX_LENGTH} characters), numbers or booleans."
)
ACTIVE_EMPLOYEE = "an active employee of this workspace environment (an `emp_` id)"
AS_TOKEN_USER = (
    " Optional with a room token, which acts as its own user, and with an API key that acts as an employee, "
    "whom it defaults to (naming anyone else is a 403)."
)


def emoji_problem(emoji: str) -> str | None:
    """Why a string cannot be a reaction: it must show as one short token. Zero-width joiners
    and tag characters build emoji sequences (👩‍💻, subdivision flags), so they are allowed."""
    for char in emoji:
        category = unicodedata.category(char)
        if char.isspace() or category.startswith("Z"):
            return "An emoji has no whitespace."
        if category.startswith("C") and not (char == "\u200d" or "\U000e0020" <= char <= "\U000e007f"):
            return "An emoji has no control or invisible characters."
    return None


class EmojiField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=EMOJI_MAX_LENGTH, trim_whitespace=False, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        problem = emoji_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value


class CommentInputSerializer(StrictSerializer):
    """A new thread's first comment. Unknown keys are refused with 400."""

    body = serializers.CharField(
        max_length=COMMENT_BODY_MAX_LENGTH,
        help_text=f"Plain text, up to {COMMENT_BODY_MAX_LENGTH:,} characters. `@emp_…` mentions an employee, "
        "who must exist in this workspace environment (422 otherwise).",
    )
    author_id = serializers.CharField(
        max_length=40, required=False, help_text=f"Who writes it: {ACTIVE_EMPLOYEE}." + AS_TOKEN_USER
    )


class ThreadCreateSerializer(StrictSerializer):
    """A new thread with its first comment. Unknown keys are refused with 400."""

    comment = CommentInputSerializer(help_text="The thread's first comment.")
    metadata = MetadataField(required=False, help_text=METADATA_HELP)
    created_by = serializers.CharField(
        max_length=40, required=False, help_text="Defaults to, and must be, the first comment's author."
    )


class ThreadUpdateSerializer(StrictSerializer):
    """What to change on a thread: send resolved, metadata or both. Unknown keys are refused with 400."""

    resolved = serializers.BooleanField(
        required=False, help_text="true resolves the thread (setting resolved_at), false reopens it."
    )
    resolved_by = serializers.CharField(
        max_length=40,
        required=False,
        help_text=f"Who resolves it: {ACTIVE_EMPLOYEE}. Only with resolved: true; an API key may leave it out "
        "(resolved_by is then null), a room token resolves as its own user (naming anyone else is a 403).",
    )
    metadata = MetadataField(required=False, help_text=METADATA_HELP + " Replaces the thread's metadata whole.")

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Send resolved, metadata or both.")
        if "resolved_by" in attrs and attrs.get("resolved") is not True:
            raise serializers.ValidationError({"resolved_by": ["Only with resolved: true."]})
        return attrs


class CommentCreateSerializer(CommentInputSerializer):
    """A new comment in a thread. Unknown keys are refused with 400."""


class CommentUpdateSerializer(StrictSerializer):
    """A comment's new body. Unknown keys are refused with 400."""

    body = serializers.CharField(
        max_length=COMMENT_BODY_MAX_LENGTH,
        help_text=f"The new text, up to {COMMENT_BODY_MAX_LENGTH:,} characters; its `@emp_…` mentions are read "
        "again and must be employees of this workspace environment (422 otherwise).",
    )


class ReactionCreateSerializer(StrictSerializer):
    """A reaction to add to a comment. Unknown keys are refused with 400."""

    emoji = EmojiField(
        help_text=f"1–{EMOJI_MAX_LENGTH} characters with no whitespace or control characters, e.g. 👍 or :+1:."
    )
    user_id = serializers.CharField(
        max_length=40, required=False, help_text=f"Who reacts: {ACTIVE_EMPLOYEE}." + AS_TOKEN_USER
    )


class RoomTokenCreateSerializer(StrictSerializer):
    """Whom a room token acts as, and for how long. Unknown keys are refused with 400."""

    actor_fields = ("user_id",)

    user_id = serializers.CharField(
        max_length=40,
        required=False,
        help_text=f"Who the browser acts as: {ACTIVE_EMPLOYEE}." + ACTING_EMPLOYEE_HELP,
    )
    ttl_seconds = serializers.IntegerField(
        required=False,
        min_value=ROOM_TOKEN_MIN_TTL_SECONDS,
        max_value=ROOM_TOKEN_MAX_TTL_SECONDS,
        help_text=f"Lifetime, {ROOM_TOKEN_MIN_TTL_SECONDS}–{ROOM_TOKEN_MAX_TTL_SECONDS} seconds; "
        f"{ROOM_TOKEN_DEFAULT_TTL_SECONDS} by default.",
    )
