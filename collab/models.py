from django.db import models
from django.db.models import Q
from django.utils import timezone

from pulsehr.api.ids import PrefixedIdField
from pulsehr.jsonvalues import validate_json_value
from pulsehr.tenancy.choices import Environment

from .constants import EMOJI_MAX_LENGTH


class Room(models.Model):
    """A place for threads, named by the integrator's own string (`key`, shown as the room's
    id in the API). It comes into being with its first thread. `last_sequence` numbers the
    changes pushed to the room's sockets, so a reconnecting client can ask for what it missed."""

    id = PrefixedIdField(prefix="room")
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="rooms")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    key = models.CharField(max_length=128, verbose_name="room id")
    # "employee", "status_log" or "leave" when the key names such an object (emp_…, sl_…, lv_…).
    linked_type = models.CharField(max_length=16, blank=True, default="")
    last_sequence = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "environment", "key"], name="collab_room_unique_key"),
        ]

    def __str__(self) -> str:
        return self.key


class Thread(models.Model):
    id = PrefixedIdField(prefix="thr")
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="+")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="threads")
    resolved = models.BooleanField(default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        "employees.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    metadata = models.JSONField(default=dict, blank=True, validators=[validate_json_value])
    created_by = models.ForeignKey("employees.Employee", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["workspace", "environment", "room", "id"], name="collab_thread_room_idx"),
        ]

    def __str__(self) -> str:
        return self.id


class Comment(models.Model):
    id = PrefixedIdField(prefix="cmt")
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="+")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("employees.Employee", on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    mentions = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_json_value],
        help_text="Employee ids written as @emp_… in the body.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["workspace", "environment", "thread", "id"], name="collab_comment_thread_idx"),
        ]

    def __str__(self) -> str:
        return self.id


class Reaction(models.Model):
    id = PrefixedIdField(prefix="rct")
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="+")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey("employees.Employee", on_delete=models.PROTECT, related_name="+")
    emoji = models.CharField(max_length=EMOJI_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            # The same person reacting with the same emoji twice is one reaction.
            models.UniqueConstraint(fields=["comment", "user", "emoji"], name="collab_reaction_once"),
        ]

    def __str__(self) -> str:
        return f"{self.emoji} by {self.user_id}"


class RoomEvent(models.Model):
    """The room's change log as pushed to its sockets: sequence-numbered per room, kept for the
    last ROOM_EVENTS_KEPT changes so a reconnecting client gets what it missed."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="events")
    sequence = models.BigIntegerField()
    type = models.CharField(max_length=32)
    data = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["room", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["room", "sequence"], name="collab_room_event_unique_sequence"),
            models.CheckConstraint(condition=Q(sequence__gt=0), name="collab_room_event_sequence_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.room_id} #{self.sequence} {self.type}"
