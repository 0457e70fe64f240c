"""Reads of the collaboration API, always through the tenant's scope: rooms by the integrator's
id, threads and comments fetched with what their representation needs in a fixed number of
queries, and the threads tied to a PulseHR object for its admin page."""

import re

from django.db.models import Count, Prefetch, QuerySet

from employees.models import Employee
from pulsehr.tenancy.context import Tenant

from .constants import ROOM_ID_PATTERN, ROOM_THREADS_EMBEDDED
from .errors import InvalidRoomId, RoomNotFound
from .models import Comment, Reaction, Room, Thread


def room_key_checked(room_key: str, *, field: str = "roomId") -> str:
    """The integrator's room id, or a 400 naming `field` when it is not one."""
    if not re.fullmatch(ROOM_ID_PATTERN, room_key):
        raise InvalidRoomId(field=field)
    return room_key


def rooms_with_counts(queryset: QuerySet[Room]) -> QuerySet[Room]:
    return queryset.annotate(thread_count=Count("threads"))


def room_get(*, tenant: Tenant, room_key: str) -> Room:
    """A room named in a URL: 400 for a malformed id, 404 when it has no thread yet or belongs elsewhere."""
    room = rooms_with_counts(tenant.scope(Room.objects)).filter(key=room_key_checked(room_key)).first()
    if room is None:
        raise RoomNotFound(room_key)
    return room


def room_with_first_threads(*, tenant: Tenant, room_key: str) -> Room:
    """room_get's room with its first ROOM_THREADS_EMBEDDED threads (oldest first, with their
    comments) in `first_threads`, as GET /v1/rooms/{roomId} shows it."""
    room = room_get(tenant=tenant, room_key=room_key)
    threads = threads_with_comments(tenant.scope(Thread.objects).filter(room=room).order_by("id"))
    room.first_threads = list(threads[:ROOM_THREADS_EMBEDDED])
    return room


def comments_with_reactions(queryset: QuerySet[Comment]) -> QuerySet[Comment]:
    return queryset.select_related("room").prefetch_related(
        Prefetch("reactions", queryset=Reaction.objects.order_by("id"))
    )


def threads_with_comments(queryset: QuerySet[Thread]) -> QuerySet[Thread]:
    """Threads with everything thread_as_dict reads, in four queries whatever their number."""
    comments = comments_with_reactions(Comment.objects.order_by("id"))
    return queryset.select_related("room").prefetch_related(Prefetch("comments", queryset=comments))


def thread_fresh(*, thread: Thread) -> Thread:
    """The thread re-read with its comments, as the API and the room's sockets show it."""
    return threads_with_comments(Thread.objects.filter(pk=thread.pk)).get()


def comment_fresh(*, comment: Comment) -> Comment:
    return comments_with_reactions(Comment.objects.filter(pk=comment.pk)).get()


def threads_for_object(*, tenant: Tenant, object_id: str) -> list[Thread]:
    """The threads of the room named after a PulseHR object (`emp_…`, `sl_…`, `lv_…`), oldest
    first with their comments, for that object's admin page; empty when nobody has commented."""
    comments = Comment.objects.select_related("author").order_by("id")
    threads = tenant.scope(Thread.objects).filter(room__key=object_id).order_by("id")
    return list(threads.select_related("resolved_by").prefetch_related(Prefetch("comments", queryset=comments)))


def collab_users(*, tenant: Tenant, search: str = "") -> QuerySet[Employee]:
    """The workspace environment's active people, optionally those whose name contains `search`."""
    people = tenant.scope(Employee.objects).active_on(tenant.today())
    if search:
        people = people.filter(full_name__icontains=search)
    return people
