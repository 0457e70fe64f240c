"""The one representation of threads, comments and reactions: GET answers with these dicts,
and the room's sockets and webhook events carry exactly the same."""

from pulsehr.timestamps import format_datetime

from .models import Comment, Reaction, Thread


def _instant(value) -> str | None:
    return format_datetime(value) if value is not None else None


def reactions_grouped(reactions) -> list[dict]:
    """Reactions by emoji, in the order each emoji was first used; each group lists who reacted
    (user_ids) and the reactions themselves, whose ids DELETE /v1/reactions/{id} takes."""
    groups: dict[str, dict] = {}
    for reaction in sorted(reactions, key=lambda r: r.pk):
        group = groups.setdefault(
            reaction.emoji, {"emoji": reaction.emoji, "count": 0, "user_ids": [], "reactions": []}
        )
        group["count"] += 1
        group["user_ids"].append(reaction.user_id)
        group["reactions"].append({"id": reaction.pk, "user_id": reaction.user_id})
    return list(groups.values())


def comment_as_dict(comment: Comment, *, reactions=None) -> dict:
    """A comment as GET shows it; `reactions` defaults to the comment's own (prefetch them)."""
    return {
        "id": comment.pk,
        "thread_id": comment.thread_id,
        "room_id": comment.room.key,
        "author_id": comment.author_id,
        "body": comment.body,
        "mentions": list(comment.mentions),
        "reactions": reactions_grouped(comment.reactions.all() if reactions is None else reactions),
        "version": comment.version,
        "created_at": format_datetime(comment.created_at),
        "edited_at": _instant(comment.edited_at),
    }


def thread_as_dict(thread: Thread, *, comments: list[dict] | None = None) -> dict:
    """A thread with its comments, oldest first. `comments` (already shown as dicts) defaults
    to the thread's own: prefetch them with selectors.threads_with_comments."""
    if comments is None:
        comments = [comment_as_dict(comment) for comment in thread.comments.all()]
    return {
        "id": thread.pk,
        "room_id": thread.room.key,
        "resolved": thread.resolved,
        "resolved_at": _instant(thread.resolved_at),
        "resolved_by": thread.resolved_by_id,
        "metadata": thread.metadata,
        "created_by": thread.created_by_id,
        "version": thread.version,
        "created_at": format_datetime(thread.created_at),
        "updated_at": format_datetime(thread.updated_at),
        "comments": comments,
    }


def reaction_as_dict(reaction: Reaction) -> dict:
    return {
        "id": reaction.pk,
        "comment_id": reaction.comment_id,
        "thread_id": reaction.comment.thread_id,
        "room_id": reaction.comment.room.key,
        "emoji": reaction.emoji,
        "user_id": reaction.user_id,
        "created_at": format_datetime(reaction.created_at),
    }
