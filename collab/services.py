"""The one write path for threads, comments and reactions, used by the API (with a key or a room
token) and the admin. Each write checks the rules, saves, and publishes the change through
`room_publish` (the room's sequence and event log, the webhook event, the push to the room's
sockets after commit), all in one transaction.

Every write locks its room's row first: the room's changes then take turns in the order of
their sequence numbers, and no two writes can wait on each other's rows."""

import re
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from employees.models import Employee
from employees.selectors import employee_named_in
from pulsehr.errors import ensure_version
from pulsehr.locking import locked_at_version
from pulsehr.tenancy.context import Actor, Tenant

from .constants import LINKED_ROOM_PREFIXES, ROOM_TOKEN_DEFAULT_TTL_SECONDS
from .errors import CommentNotFound, CreatedByNotAuthor, ReactionNotFound, ThreadNotFound, UnknownMention
from .models import Comment, Reaction, Room, Thread
from .realtime import room_publish
from .representations import comment_as_dict, reaction_as_dict, thread_as_dict
from .selectors import comment_fresh, room_key_checked, thread_fresh
from .tokens import room_token_mint

# `@emp_…` in a comment's body. Anything shaped like an employee id is checked, so a typo is
# a 422 naming it rather than a mention that silently goes nowhere.
MENTION = re.compile(r"(?<![\w@])@(emp_[0-9A-Za-z]+)")


def mentions_in(*, tenant: Tenant, body: str, field: str) -> list[str]:
    """The employee ids mentioned in `body`, in order of first appearance; 422 naming `field`
    when one is not an employee of this workspace environment (former employees count)."""
    mentioned = list(dict.fromkeys(MENTION.findall(body)))
    known = set(tenant.scope(Employee.objects).filter(pk__in=mentioned).values_list("pk", flat=True))
    unknown = [employee_id for employee_id in mentioned if employee_id not in known]
    if unknown:
        raise UnknownMention(unknown, field=field)
    return mentioned


def _room_for_new_thread(*, tenant: Tenant, room_key: str) -> Room:
    """The room, created with its first thread, and locked for this transaction."""
    room = tenant.scope(Room.objects).select_for_update().filter(key=room_key).first()
    if room is not None:
        return room
    linked_type = next((kind for prefix, kind in LINKED_ROOM_PREFIXES.items() if room_key.startswith(prefix)), "")
    try:
        with transaction.atomic():
            return Room.objects.create(
                workspace=tenant.workspace, environment=tenant.environment, key=room_key, linked_type=linked_type
            )
    except IntegrityError:
        # Another request created it meanwhile; it has committed, so this finds it.
        return tenant.scope(Room.objects).select_for_update().get(key=room_key)


def _lock_room(room_id: str) -> None:
    Room.objects.select_for_update().filter(pk=room_id).first()


def thread_create(
    *,
    tenant: Tenant,
    actor: Actor,
    room_key: str,
    author_id: str,
    body: str,
    metadata: dict | None = None,
    created_by: str | None = None,
) -> Thread:
    """Open a thread with its first comment, creating the room with its first thread. Publishes
    thread.created (the thread with that comment) and then comment.created."""
    room_key_checked(room_key)
    if created_by is not None and created_by != author_id:
        raise CreatedByNotAuthor()
    with transaction.atomic():
        employee_named_in(tenant=tenant, employee_id=author_id, field="comment.author_id", must_be_active=True)
        mentions = mentions_in(tenant=tenant, body=body, field="comment.body")
        room = _room_for_new_thread(tenant=tenant, room_key=room_key)
        now = timezone.now()
        thread = Thread.objects.create(
            workspace=tenant.workspace,
            environment=tenant.environment,
            room=room,
            metadata=metadata or {},
            created_by_id=author_id,
            created_at=now,
            updated_at=now,
        )
        comment = Comment.objects.create(
            workspace=tenant.workspace,
            environment=tenant.environment,
            room=room,
            thread=thread,
            author_id=author_id,
            body=body,
            mentions=mentions,
            created_at=now,
        )
        thread = thread_fresh(thread=thread)
        room_publish(tenant=tenant, room=room, type="thread.created", data=thread_as_dict(thread), actor=actor)
        room_publish(
            tenant=tenant, room=room, type="comment.created", data=comment_as_dict(comment, reactions=[]), actor=actor
        )
    return thread


def thread_update(
    *,
    tenant: Tenant,
    actor: Actor,
    thread: Thread,
    expected_version: int | None = None,
    resolved: bool | None = None,
    resolved_by: str | None = None,
    metadata: dict | None = None,
) -> Thread:
    """Resolve (setting resolved_at and resolved_by) or reopen (clearing them), and/or replace
    the metadata. A change that changes nothing records nothing."""
    with transaction.atomic():
        _lock_room(thread.room_id)
        try:
            locked = locked_at_version(tenant.scope(Thread.objects), thread.pk, expected_version)
        except Thread.DoesNotExist as exc:
            raise ThreadNotFound(thread.pk) from exc
        if resolved_by is not None:
            employee_named_in(tenant=tenant, employee_id=resolved_by, field="resolved_by", must_be_active=True)
        now = timezone.now()
        changed = False
        if resolved is True and not locked.resolved:
            locked.resolved, locked.resolved_at, locked.resolved_by_id = True, now, resolved_by
            changed = True
        elif resolved is False and locked.resolved:
            locked.resolved, locked.resolved_at, locked.resolved_by_id = False, None, None
            changed = True
        if metadata is not None and metadata != locked.metadata:
            locked.metadata = metadata
            changed = True
        if changed:
            locked.version += 1
            locked.updated_at = now
            locked.save(update_fields=["resolved", "resolved_at", "resolved_by", "metadata", "version", "updated_at"])
        fresh = thread_fresh(thread=locked)
        if changed:
            room_publish(tenant=tenant, room=fresh.room, type="thread.updated", data=thread_as_dict(fresh), actor=actor)
    return fresh


def thread_delete(*, tenant: Tenant, actor: Actor, thread: Thread, expected_version: int | None = None) -> None:
    """Delete the thread with its comments and reactions for good; thread.deleted carries it as it was."""
    with transaction.atomic():
        _lock_room(thread.room_id)
        current = tenant.scope(Thread.objects).filter(pk=thread.pk).first()
        if current is None:
            raise ThreadNotFound(thread.pk)
        ensure_version(current.version, expected_version)
        gone = thread_fresh(thread=current)
        data = thread_as_dict(gone)
        current.delete()
        room_publish(tenant=tenant, room=gone.room, type="thread.deleted", data=data, actor=actor)


def comment_create(*, tenant: Tenant, actor: Actor, thread: Thread, author_id: str, body: str) -> Comment:
    with transaction.atomic():
        _lock_room(thread.room_id)
        if not tenant.scope(Thread.objects).filter(pk=thread.pk).exists():
            raise ThreadNotFound(thread.pk)
        employee_named_in(tenant=tenant, employee_id=author_id, field="author_id", must_be_active=True)
        mentions = mentions_in(tenant=tenant, body=body, field="body")
        comment = Comment.objects.create(
            workspace=tenant.workspace,
            environment=tenant.environment,
            room=thread.room,
            thread=thread,
            author_id=author_id,
            body=body,
            mentions=mentions,
        )
        room_publish(
            tenant=tenant,
            room=thread.room,
            type="comment.created",
            data=comment_as_dict(comment, reactions=[]),
            actor=actor,
        )
    return comment


def comment_edit(
    *, tenant: Tenant, actor: Actor, comment: Comment, body: str, expected_version: int | None = None
) -> Comment:
    """Replace the body (mentions are read from it again) and set edited_at. The same body again changes nothing."""
    with transaction.atomic():
        _lock_room(comment.room_id)
        try:
            locked = locked_at_version(tenant.scope(Comment.objects), comment.pk, expected_version)
        except Comment.DoesNotExist as exc:
            raise CommentNotFound(comment.pk) from exc
        if body != locked.body:
            locked.mentions = mentions_in(tenant=tenant, body=body, field="body")
            locked.body = body
            locked.edited_at = timezone.now()
            locked.version += 1
            locked.save(update_fields=["body", "mentions", "edited_at", "version"])
            fresh = comment_fresh(comment=locked)
            room_publish(
                tenant=tenant, room=fresh.room, type="comment.edited", data=comment_as_dict(fresh), actor=actor
            )
            return fresh
    return comment_fresh(comment=locked)


def comment_delete(*, tenant: Tenant, actor: Actor, comment: Comment, expected_version: int | None = None) -> bool:
    """Delete the comment with its reactions. A thread is never left empty: deleting its only
    comment deletes the thread too (comment.deleted, then thread.deleted as it was). Returns
    whether the thread went with it."""
    with transaction.atomic():
        _lock_room(comment.room_id)
        current = tenant.scope(Comment.objects).filter(pk=comment.pk).first()
        if current is None:
            raise CommentNotFound(comment.pk)
        ensure_version(current.version, expected_version)
        thread = thread_fresh(thread=current.thread)
        comment_data = next(c for c in thread_as_dict(thread)["comments"] if c["id"] == current.pk)
        thread_goes_too = len(thread.comments.all()) == 1
        thread_data = thread_as_dict(thread) if thread_goes_too else None
        (thread if thread_goes_too else current).delete()
        room_publish(tenant=tenant, room=thread.room, type="comment.deleted", data=comment_data, actor=actor)
        if thread_goes_too:
            room_publish(tenant=tenant, room=thread.room, type="thread.deleted", data=thread_data, actor=actor)
    return thread_goes_too


def reaction_add(*, tenant: Tenant, actor: Actor, comment: Comment, user_id: str, emoji: str) -> tuple[Reaction, bool]:
    """React to a comment. The same person with the same emoji again is the reaction they
    already have: returned with created=False, and nothing recorded."""
    with transaction.atomic():
        _lock_room(comment.room_id)
        current = tenant.scope(Comment.objects).select_related("room").filter(pk=comment.pk).first()
        if current is None:
            raise CommentNotFound(comment.pk)
        employee_named_in(tenant=tenant, employee_id=user_id, field="user_id", must_be_active=True)
        # The room's lock makes this check and the insert one step: no concurrent duplicate.
        existing = Reaction.objects.filter(comment=current, user_id=user_id, emoji=emoji).first()
        if existing is not None:
            existing.comment = current
            return existing, False
        reaction = Reaction.objects.create(
            workspace=tenant.workspace, environment=tenant.environment, comment=current, user_id=user_id, emoji=emoji
        )
        room_publish(
            tenant=tenant, room=current.room, type="reaction.added", data=reaction_as_dict(reaction), actor=actor
        )
    return reaction, True


def reaction_remove(*, tenant: Tenant, actor: Actor, reaction: Reaction) -> None:
    with transaction.atomic():
        _lock_room(reaction.comment.room_id)
        current = tenant.scope(Reaction.objects).select_related("comment__room").filter(pk=reaction.pk).first()
        if current is None:
            raise ReactionNotFound(reaction.pk)
        data = reaction_as_dict(current)
        current.delete()
        room_publish(tenant=tenant, room=current.comment.room, type="reaction.removed", data=data, actor=actor)


def room_token_issue(
    *, tenant: Tenant, room_key: str, user_id: str, ttl_seconds: int | None = None
) -> tuple[str, datetime]:
    """A room token for an active employee, for a room that may not exist yet (its first
    thread creates it). Nothing is stored: see collab/tokens.py."""
    room_key_checked(room_key)
    employee_named_in(tenant=tenant, employee_id=user_id, field="user_id", must_be_active=True)
    return room_token_mint(
        workspace_id=tenant.workspace.pk,
        environment=tenant.environment,
        room_key=room_key,
        user_id=user_id,
        ttl_seconds=ttl_seconds or ROOM_TOKEN_DEFAULT_TTL_SECONDS,
    )
