"""Resources mirroring the API, named as in the TypeScript and Go SDKs. Each operation is one
`Call` built by the helpers at the top; the sync and async classes differ only in how they run it.

Parameters are keyword arguments typed by `params.py` (`**params: Unpack[EmployeeListParams]`): a
misspelt one is a type error under mypy and pyright, and a TypeError at run time before anything
is sent. A parameter named like a Python keyword takes a trailing underscore (`from_=`)."""

from __future__ import annotations

import builtins
import keyword
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, Unpack
from urllib.parse import quote

from ._core import Call, if_match_header, jsonable
from ._model import Model
from .models import (
    CollabUser,
    Comment,
    Delivery,
    Employee,
    EmployeeScore,
    EventDetail,
    Kudos,
    Leave,
    LeaveBalance,
    LedgerEntry,
    Presence,
    Reaction,
    Room,
    RoomDetail,
    RoomToken,
    ScoreGroups,
    ScoreSnapshot,
    StatusLogEntry,
    Thread,
    WebhookEndpoint,
    WebhookEndpointWithSecret,
    WebhookEvent,
    WhosOut,
    WorkloadCheckin,
    event_from_dict,
)
from .pagination import AsyncListIterator, ListIterator, Page
from .params import (
    CommentCreateParams,
    CommentListParams,
    CommentUpdateParams,
    EmployeeCreateParams,
    EmployeeListParams,
    EmployeeUpdateParams,
    EventListParams,
    EventReplayParams,
    KudosCreateParams,
    KudosListParams,
    LeaveAdjustmentParams,
    LeaveBalanceParams,
    LeaveCreateParams,
    LeaveDecisionParams,
    LeaveListParams,
    LedgerListParams,
    ReactionCreateParams,
    RoomListParams,
    RoomTokenCreateParams,
    ScoreGroupsParams,
    ScoreHistoryParams,
    ScoreParams,
    StatusLogCreateParams,
    StatusLogListParams,
    ThreadCreateParams,
    ThreadListParams,
    ThreadUpdateParams,
    UserListParams,
    WebhookEndpointCreateParams,
    WebhookEndpointListParams,
    WebhookEndpointUpdateParams,
    WhosOutParams,
    WorkloadCheckinCreateParams,
    WorkloadCheckinListParams,
)

if TYPE_CHECKING:
    from .client import AsyncPulse, Pulse

M = TypeVar("M", bound=Model)


# --- Building calls ----------------------------------------------------------------------------


def checked(kind: type, given: Mapping[str, object], operation: str) -> dict[str, Any]:
    """The parameters as the API names them, or a TypeError naming the unknown ones and the
    ones `operation` takes."""
    allowed = set(kind.__annotations__)
    unknown = sorted(set(given) - allowed)
    if unknown:
        names = ", ".join(f"'{name}'" for name in unknown)
        raise TypeError(
            f"{operation}() got unexpected keyword argument(s) {names}; it takes {', '.join(sorted(allowed))}"
        )
    return {_api_name(name): value for name, value in given.items()}


def _api_name(name: str) -> str:
    return name[:-1] if name.endswith("_") and keyword.iskeyword(name[:-1]) else name


def item(path: str, id: str) -> str:
    return f"{path}/{quote(id, safe='')}"


def list_fetcher(path: str, model: type[M], filters: dict[str, Any]):
    """The Call of one page of `path`; `filters['cursor']`, when given, is where the walk starts."""

    def call(cursor: str | None) -> Call[Page[M]]:
        return Call("GET", path, Page.parser(model), params={**filters, "cursor": cursor or filters.get("cursor")})

    return call


def get(path: str, model: type[Any], params: dict[str, Any] | None = None) -> Call[Any]:
    return Call("GET", path, model.from_dict, params=params)


def post(path: str, parse: Any, body: dict[str, Any] | None, idempotency_key: str | None = None) -> Call[Any]:
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    return Call("POST", path, parse, json=jsonable(body) if body is not None else None, headers=headers)


def patch(path: str, model: type[Any], body: dict[str, Any], if_match: int | str | None) -> Call[Any]:
    return Call("PATCH", path, model.from_dict, json=jsonable(body), headers=if_match_header(if_match))


def delete(path: str, parse: Any, if_match: int | str | None) -> Call[Any]:
    return Call("DELETE", path, parse, headers=if_match_header(if_match))


def _nothing(body: Any) -> None:
    return None


class _TypedEvent:
    """Listed events are read as webhooks deliver them: each as its type's class."""

    from_dict = staticmethod(event_from_dict)


def _deliveries(body: Any) -> list[Delivery]:
    return [Delivery.from_dict(row) for row in body["data"]]


class _Sync:
    def __init__(self, client: Pulse) -> None:
        self._client = client

    def _list(self, path: str, model: type[M], filters: dict[str, Any]) -> ListIterator[M]:
        fetch = list_fetcher(path, model, filters)
        return ListIterator(lambda cursor: self._client._execute(fetch(cursor)))


class _Async:
    def __init__(self, client: AsyncPulse) -> None:
        self._client = client

    def _list(self, path: str, model: type[M], filters: dict[str, Any]) -> AsyncListIterator[M]:
        fetch = list_fetcher(path, model, filters)
        return AsyncListIterator(lambda cursor: self._client._execute(fetch(cursor)))


# --- Sync --------------------------------------------------------------------------------------


class Employees(_Sync):
    """People. `delete` offboards (end_date = today if unset) and returns the kept record."""

    def list(self, **params: Unpack[EmployeeListParams]) -> ListIterator[Employee]:
        """Every matching employee, fetched page by page as iteration reaches it."""
        return self._list("/employees", Employee, checked(EmployeeListParams, params, "employees.list"))

    def retrieve(self, id: str) -> Employee:
        """The employee with this id (`emp_…`)."""
        return self._client._execute(get(item("/employees", id), Employee))

    def create(self, *, idempotency_key: str | None = None, **params: Unpack[EmployeeCreateParams]) -> Employee:
        """Add an employee; records `employee.created`. Retries never create twice."""
        body = checked(EmployeeCreateParams, params, "employees.create")
        return self._client._execute(post("/employees", Employee.from_dict, body, idempotency_key))

    def update(self, id: str, *, if_match: int | str | None = None, **params: Unpack[EmployeeUpdateParams]) -> Employee:
        """Change the given fields; `if_match=<version>` makes a stale update raise ConflictError."""
        body = checked(EmployeeUpdateParams, params, "employees.update")
        return self._client._execute(patch(item("/employees", id), Employee, body, if_match))

    def delete(self, id: str, *, if_match: int | str | None = None) -> Employee:
        """Offboard the employee (end_date = today if unset); returns the kept record."""
        return self._client._execute(delete(item("/employees", id), Employee.from_dict, if_match))

    def score(self, id: str, **params: Unpack[ScoreParams]) -> EmployeeScore:
        """The Employee Score as of a date (today by default), with each factor explained."""
        query = checked(ScoreParams, params, "employees.score")
        return self._client._execute(get(item("/employees", id) + "/score", EmployeeScore, query))

    def score_history(self, id: str, **params: Unpack[ScoreHistoryParams]) -> ListIterator[ScoreSnapshot]:
        """The weekly score snapshots, oldest first."""
        filters = checked(ScoreHistoryParams, params, "employees.score_history")
        return self._list(item("/employees", id) + "/score/history", ScoreSnapshot, filters)


class Scores(_Sync):
    """The Employee Score of groups."""

    def groups(self, **params: Unpack[ScoreGroupsParams]) -> ScoreGroups:
        """The score per department, location or manager; groups below the minimum size come back suppressed."""
        query = checked(ScoreGroupsParams, params, "scores.groups")
        return self._client._execute(get("/scores/groups", ScoreGroups, query))


class StatusLog(_Sync):
    """Async standup entries; immutable once posted."""

    def list(self, **params: Unpack[StatusLogListParams]) -> ListIterator[StatusLogEntry]:
        """Every matching entry, page by page as iteration reaches it."""
        return self._list("/status-log", StatusLogEntry, checked(StatusLogListParams, params, "status_log.list"))

    def retrieve(self, id: str) -> StatusLogEntry:
        """The entry with this id (`sl_…`)."""
        return self._client._execute(get(item("/status-log", id), StatusLogEntry))

    def create(self, *, idempotency_key: str | None = None, **params: Unpack[StatusLogCreateParams]) -> StatusLogEntry:
        """Post an entry; records `status_log.posted`."""
        body = checked(StatusLogCreateParams, params, "status_log.create")
        return self._client._execute(post("/status-log", StatusLogEntry.from_dict, body, idempotency_key))


class KudosResource(_Sync):
    """Kudos between colleagues."""

    def list(self, **params: Unpack[KudosListParams]) -> ListIterator[Kudos]:
        """Every matching kudos, page by page as iteration reaches it."""
        return self._list("/kudos", Kudos, checked(KudosListParams, params, "kudos.list"))

    def create(self, *, idempotency_key: str | None = None, **params: Unpack[KudosCreateParams]) -> Kudos:
        """Give kudos, within the giver's allowance; records `kudos.awarded`."""
        body = checked(KudosCreateParams, params, "kudos.create")
        return self._client._execute(post("/kudos", Kudos.from_dict, body, idempotency_key))


class WorkloadCheckins(_Sync):
    """Weekly workload check-ins."""

    def list(self, **params: Unpack[WorkloadCheckinListParams]) -> ListIterator[WorkloadCheckin]:
        """Every matching check-in, page by page as iteration reaches it."""
        filters = checked(WorkloadCheckinListParams, params, "workload_checkins.list")
        return self._list("/workload-checkins", WorkloadCheckin, filters)

    def create(
        self, *, idempotency_key: str | None = None, **params: Unpack[WorkloadCheckinCreateParams]
    ) -> WorkloadCheckin:
        """Record a check-in; records `workload.recorded`."""
        body = checked(WorkloadCheckinCreateParams, params, "workload_checkins.create")
        return self._client._execute(post("/workload-checkins", WorkloadCheckin.from_dict, body, idempotency_key))


class LeaveResource(_Sync):
    """Leave requests, their approval, the ledger, balances and who is out. `delete` cancels."""

    def list(self, **params: Unpack[LeaveListParams]) -> ListIterator[Leave]:
        """Every matching leave request, page by page as iteration reaches it."""
        return self._list("/leave", Leave, checked(LeaveListParams, params, "leave.list"))

    def retrieve(self, id: str) -> Leave:
        """The leave request with this id (`lv_…`)."""
        return self._client._execute(get(item("/leave", id), Leave))

    def create(self, *, idempotency_key: str | None = None, **params: Unpack[LeaveCreateParams]) -> Leave:
        """Request leave; beyond what is available it raises UnprocessableEntityError naming
        `end_date` (or `hours`). Records `leave.logged`."""
        body = checked(LeaveCreateParams, params, "leave.create")
        return self._client._execute(post("/leave", Leave.from_dict, body, idempotency_key))

    def delete(self, id: str, *, if_match: int | str | None = None) -> Leave:
        """Cancel the leave and return it; records `leave.cancelled`."""
        return self._client._execute(delete(item("/leave", id), Leave.from_dict, if_match))

    def approve(self, id: str, **params: Unpack[LeaveDecisionParams]) -> Leave:
        """Approve pending leave, with an optional `reason`; records `leave.approved`."""
        body = checked(LeaveDecisionParams, params, "leave.approve")
        return self._client._execute(post(item("/leave", id) + "/approve", Leave.from_dict, body))

    def reject(self, id: str, **params: Unpack[LeaveDecisionParams]) -> Leave:
        """Reject pending leave, with an optional `reason`; records `leave.rejected`."""
        body = checked(LeaveDecisionParams, params, "leave.reject")
        return self._client._execute(post(item("/leave", id) + "/reject", Leave.from_dict, body))

    def ledger(self, **params: Unpack[LedgerListParams]) -> ListIterator[LedgerEntry]:
        """The ledger's entries behind every balance (grants, accruals, carry-over, expiry,
        adjustments, taken and reversed)."""
        return self._list("/leave/ledger", LedgerEntry, checked(LedgerListParams, params, "leave.ledger"))

    def adjust(self, *, idempotency_key: str | None = None, **params: Unpack[LeaveAdjustmentParams]) -> LedgerEntry:
        """Add to (or, with a negative amount, take from) what an employee may take, with a
        reason; returns the ledger entry and records `leave.balance_adjusted`."""
        body = checked(LeaveAdjustmentParams, params, "leave.adjust")
        return self._client._execute(post("/leave/adjustments", LedgerEntry.from_dict, body, idempotency_key))

    def whos_out(self, **params: Unpack[WhosOutParams]) -> WhosOut:
        """Who is out, day by day (today and the next 14 days by default)."""
        query = checked(WhosOutParams, params, "leave.whos_out")
        return self._client._execute(get("/leave/whos-out", WhosOut, query))

    def balance(self, employee_id: str, **params: Unpack[LeaveBalanceParams]) -> LeaveBalance:
        """An employee's balance per kind as of a date (`as_of`, today by default) or for a `year`."""
        query = checked(LeaveBalanceParams, params, "leave.balance")
        return self._client._execute(get(item("/leave/balance", employee_id), LeaveBalance, query))


class WebhookEndpoints(_Sync):
    """Where events are delivered."""

    def list(self, **params: Unpack[WebhookEndpointListParams]) -> ListIterator[WebhookEndpoint]:
        """Every endpoint, page by page as iteration reaches it."""
        filters = checked(WebhookEndpointListParams, params, "webhook_endpoints.list")
        return self._list("/webhook-endpoints", WebhookEndpoint, filters)

    def retrieve(self, id: str) -> WebhookEndpoint:
        """The endpoint with this id (`whe_…`)."""
        return self._client._execute(get(item("/webhook-endpoints", id), WebhookEndpoint))

    def create(
        self, *, idempotency_key: str | None = None, **params: Unpack[WebhookEndpointCreateParams]
    ) -> WebhookEndpointWithSecret:
        """The new endpoint with its signing `secret`, shown only now and on `rotate_secret`."""
        body = checked(WebhookEndpointCreateParams, params, "webhook_endpoints.create")
        parse = WebhookEndpointWithSecret.from_dict
        return self._client._execute(post("/webhook-endpoints", parse, body, idempotency_key))

    def update(
        self, id: str, *, if_match: int | str | None = None, **params: Unpack[WebhookEndpointUpdateParams]
    ) -> WebhookEndpoint:
        """Change the given fields; `if_match=<version>` makes a stale update raise ConflictError."""
        body = checked(WebhookEndpointUpdateParams, params, "webhook_endpoints.update")
        return self._client._execute(patch(item("/webhook-endpoints", id), WebhookEndpoint, body, if_match))

    def delete(self, id: str, *, if_match: int | str | None = None) -> None:
        """Remove the endpoint."""
        self._client._execute(delete(item("/webhook-endpoints", id), _nothing, if_match))

    def rotate_secret(self, id: str) -> WebhookEndpointWithSecret:
        """A new secret; the old one keeps signing beside it for 24 hours."""
        path = item("/webhook-endpoints", id) + "/rotate-secret"
        return self._client._execute(post(path, WebhookEndpointWithSecret.from_dict, None))

    def test(self, id: str) -> Delivery:
        """Send a `ping` event to this endpoint alone."""
        return self._client._execute(post(item("/webhook-endpoints", id) + "/test", Delivery.from_dict, None))


class Events(_Sync):
    """The events webhooks deliver, and their replay."""

    def list(self, **params: Unpack[EventListParams]) -> ListIterator[WebhookEvent]:
        """Every matching event, newest first, each as its type's class (`EmployeeCreatedEvent`, …)."""
        return self._list("/events", _TypedEvent, checked(EventListParams, params, "events.list"))  # type: ignore[arg-type]

    def retrieve(self, id: str) -> EventDetail:
        """The event with its deliveries and their attempts."""
        return self._client._execute(get(item("/events", id), EventDetail))

    def replay(self, id: str, **params: Unpack[EventReplayParams]) -> builtins.list[Delivery]:
        """Deliver again, to `endpoint_id` or to every endpoint subscribed now; the new deliveries."""
        body = checked(EventReplayParams, params, "events.replay")
        return self._client._execute(post(item("/events", id) + "/replay", _deliveries, body))


class Rooms(_Sync):
    """Collaboration rooms: a room comes into being with its first thread."""

    def list(self, **params: Unpack[RoomListParams]) -> ListIterator[Room]:
        """Every room, page by page as iteration reaches it."""
        return self._list("/rooms", Room, checked(RoomListParams, params, "rooms.list"))

    def retrieve(self, room_id: str) -> RoomDetail:
        """The room with its first threads (oldest first) and their comments."""
        return self._client._execute(get(item("/rooms", room_id), RoomDetail))

    def presence(self, room_id: str) -> Presence:
        """Who is connected to the room's sockets now."""
        return self._client._execute(get(item("/rooms", room_id) + "/presence", Presence))

    def create_token(
        self, room_id: str, *, idempotency_key: str | None = None, **params: Unpack[RoomTokenCreateParams]
    ) -> RoomToken:
        """A short-lived token for a browser to act in this room as `user_id`."""
        body = checked(RoomTokenCreateParams, params, "rooms.create_token")
        path = item("/rooms", room_id) + "/tokens"
        return self._client._execute(post(path, RoomToken.from_dict, body, idempotency_key))


class Threads(_Sync):
    """A room's threads."""

    def list(self, room_id: str, **params: Unpack[ThreadListParams]) -> ListIterator[Thread]:
        """The room's threads, oldest first, each with its comments."""
        filters = checked(ThreadListParams, params, "threads.list")
        return self._list(item("/rooms", room_id) + "/threads", Thread, filters)

    def create(
        self, room_id: str, *, idempotency_key: str | None = None, **params: Unpack[ThreadCreateParams]
    ) -> Thread:
        """Open a thread (and the room, with its first thread) with its first comment."""
        body = checked(ThreadCreateParams, params, "threads.create")
        path = item("/rooms", room_id) + "/threads"
        return self._client._execute(post(path, Thread.from_dict, body, idempotency_key))

    def retrieve(self, id: str) -> Thread:
        """The thread with its comments."""
        return self._client._execute(get(item("/threads", id), Thread))

    def update(self, id: str, *, if_match: int | str | None = None, **params: Unpack[ThreadUpdateParams]) -> Thread:
        """Resolve or reopen the thread, or replace its metadata."""
        body = checked(ThreadUpdateParams, params, "threads.update")
        return self._client._execute(patch(item("/threads", id), Thread, body, if_match))

    def delete(self, id: str, *, if_match: int | str | None = None) -> None:
        """Remove the thread with its comments."""
        self._client._execute(delete(item("/threads", id), _nothing, if_match))


class Comments(_Sync):
    """A thread's comments."""

    def list(self, thread_id: str, **params: Unpack[CommentListParams]) -> ListIterator[Comment]:
        """The thread's comments, oldest first."""
        filters = checked(CommentListParams, params, "comments.list")
        return self._list(item("/threads", thread_id) + "/comments", Comment, filters)

    def create(
        self, thread_id: str, *, idempotency_key: str | None = None, **params: Unpack[CommentCreateParams]
    ) -> Comment:
        """Add a comment to the thread; `@emp_…` in the body mentions an employee."""
        body = checked(CommentCreateParams, params, "comments.create")
        path = item("/threads", thread_id) + "/comments"
        return self._client._execute(post(path, Comment.from_dict, body, idempotency_key))

    def retrieve(self, id: str) -> Comment:
        """The comment with this id (`cmt_…`)."""
        return self._client._execute(get(item("/comments", id), Comment))

    def update(self, id: str, *, if_match: int | str | None = None, **params: Unpack[CommentUpdateParams]) -> Comment:
        """Edit the comment; `if_match=<version>` makes a stale edit raise ConflictError."""
        body = checked(CommentUpdateParams, params, "comments.update")
        return self._client._execute(patch(item("/comments", id), Comment, body, if_match))

    def delete(self, id: str, *, if_match: int | str | None = None) -> None:
        """Remove the comment; deleting a thread's only comment deletes the thread too."""
        self._client._execute(delete(item("/comments", id), _nothing, if_match))


class Reactions(_Sync):
    """Reactions to comments."""

    def create(
        self, comment_id: str, *, idempotency_key: str | None = None, **params: Unpack[ReactionCreateParams]
    ) -> Reaction:
        """React to a comment; the same person with the same emoji again gets the reaction they have."""
        body = checked(ReactionCreateParams, params, "reactions.create")
        path = item("/comments", comment_id) + "/reactions"
        return self._client._execute(post(path, Reaction.from_dict, body, idempotency_key))

    def delete(self, id: str) -> None:
        """Remove the reaction."""
        self._client._execute(delete(item("/reactions", id), _nothing, None))


class Users(_Sync):
    """Active employees as the collaboration widget shows people."""

    def list(self, **params: Unpack[UserListParams]) -> ListIterator[CollabUser]:
        """Every matching user, page by page as iteration reaches it."""
        return self._list("/users", CollabUser, checked(UserListParams, params, "users.list"))


# --- Async -------------------------------------------------------------------------------------


class AsyncEmployees(_Async):
    """People. `delete` offboards (end_date = today if unset) and returns the kept record."""

    def list(self, **params: Unpack[EmployeeListParams]) -> AsyncListIterator[Employee]:
        """`async for` every matching employee, fetched page by page as iteration reaches it."""
        return self._list("/employees", Employee, checked(EmployeeListParams, params, "employees.list"))

    async def retrieve(self, id: str) -> Employee:
        """The employee with this id (`emp_…`)."""
        return await self._client._execute(get(item("/employees", id), Employee))

    async def create(self, *, idempotency_key: str | None = None, **params: Unpack[EmployeeCreateParams]) -> Employee:
        """Add an employee; records `employee.created`. Retries never create twice."""
        body = checked(EmployeeCreateParams, params, "employees.create")
        return await self._client._execute(post("/employees", Employee.from_dict, body, idempotency_key))

    async def update(
        self, id: str, *, if_match: int | str | None = None, **params: Unpack[EmployeeUpdateParams]
    ) -> Employee:
        """Change the given fields; `if_match=<version>` makes a stale update raise ConflictError."""
        body = checked(EmployeeUpdateParams, params, "employees.update")
        return await self._client._execute(patch(item("/employees", id), Employee, body, if_match))

    async def delete(self, id: str, *, if_match: int | str | None = None) -> Employee:
        """Offboard the employee (end_date = today if unset); returns the kept record."""
        return await self._client._execute(delete(item("/employees", id), Employee.from_dict, if_match))

    async def score(self, id: str, **params: Unpack[ScoreParams]) -> EmployeeScore:
        """The Employee Score as of a date (today by default), with each factor explained."""
        query = checked(ScoreParams, params, "employees.score")
        return await self._client._execute(get(item("/employees", id) + "/score", EmployeeScore, query))

    def score_history(self, id: str, **params: Unpack[ScoreHistoryParams]) -> AsyncListIterator[ScoreSnapshot]:
        """The weekly score snapshots, oldest first."""
        filters = checked(ScoreHistoryParams, params, "employees.score_history")
        return self._list(item("/employees", id) + "/score/history", ScoreSnapshot, filters)


class AsyncScores(_Async):
    """The Employee Score of groups."""

    async def groups(self, **params: Unpack[ScoreGroupsParams]) -> ScoreGroups:
        """The score per department, location or manager; groups below the minimum size come back suppressed."""
        query = checked(ScoreGroupsParams, params, "scores.groups")
        return await self._client._execute(get("/scores/groups", ScoreGroups, query))


class AsyncStatusLog(_Async):
    """Async standup entries; immutable once posted."""

    def list(self, **params: Unpack[StatusLogListParams]) -> AsyncListIterator[StatusLogEntry]:
        """`async for` every matching entry."""
        return self._list("/status-log", StatusLogEntry, checked(StatusLogListParams, params, "status_log.list"))

    async def retrieve(self, id: str) -> StatusLogEntry:
        """The entry with this id (`sl_…`)."""
        return await self._client._execute(get(item("/status-log", id), StatusLogEntry))

    async def create(
        self, *, idempotency_key: str | None = None, **params: Unpack[StatusLogCreateParams]
    ) -> StatusLogEntry:
        """Post an entry; records `status_log.posted`."""
        body = checked(StatusLogCreateParams, params, "status_log.create")
        return await self._client._execute(post("/status-log", StatusLogEntry.from_dict, body, idempotency_key))


class AsyncKudos(_Async):
    """Kudos between colleagues."""

    def list(self, **params: Unpack[KudosListParams]) -> AsyncListIterator[Kudos]:
        """`async for` every matching kudos."""
        return self._list("/kudos", Kudos, checked(KudosListParams, params, "kudos.list"))

    async def create(self, *, idempotency_key: str | None = None, **params: Unpack[KudosCreateParams]) -> Kudos:
        """Give kudos, within the giver's allowance; records `kudos.awarded`."""
        body = checked(KudosCreateParams, params, "kudos.create")
        return await self._client._execute(post("/kudos", Kudos.from_dict, body, idempotency_key))


class AsyncWorkloadCheckins(_Async):
    """Weekly workload check-ins."""

    def list(self, **params: Unpack[WorkloadCheckinListParams]) -> AsyncListIterator[WorkloadCheckin]:
        """`async for` every matching check-in."""
        filters = checked(WorkloadCheckinListParams, params, "workload_checkins.list")
        return self._list("/workload-checkins", WorkloadCheckin, filters)

    async def create(
        self, *, idempotency_key: str | None = None, **params: Unpack[WorkloadCheckinCreateParams]
    ) -> WorkloadCheckin:
        """Record a check-in; records `workload.recorded`."""
        body = checked(WorkloadCheckinCreateParams, params, "workload_checkins.create")
        call = post("/workload-checkins", WorkloadCheckin.from_dict, body, idempotency_key)
        return await self._client._execute(call)


class AsyncLeave(_Async):
    """Leave requests, their approval, the ledger, balances and who is out. `delete` cancels."""

    def list(self, **params: Unpack[LeaveListParams]) -> AsyncListIterator[Leave]:
        """`async for` every matching leave request."""
        return self._list("/leave", Leave, checked(LeaveListParams, params, "leave.list"))

    async def retrieve(self, id: str) -> Leave:
        """The leave request with this id (`lv_…`)."""
        return await self._client._execute(get(item("/leave", id), Leave))

    async def create(self, *, idempotency_key: str | None = None, **params: Unpack[LeaveCreateParams]) -> Leave:
        """Request leave; beyond what is available it raises UnprocessableEntityError. Records `leave.logged`."""
        body = checked(LeaveCreateParams, params, "leave.create")
        return await self._client._execute(post("/leave", Leave.from_dict, body, idempotency_key))

    async def delete(self, id: str, *, if_match: int | str | None = None) -> Leave:
        """Cancel the leave and return it; records `leave.cancelled`."""
        return await self._client._execute(delete(item("/leave", id), Leave.from_dict, if_match))

    async def approve(self, id: str, **params: Unpack[LeaveDecisionParams]) -> Leave:
        """Approve pending leave, with an optional `reason`; records `leave.approved`."""
        body = checked(LeaveDecisionParams, params, "leave.approve")
        return await self._client._execute(post(item("/leave", id) + "/approve", Leave.from_dict, body))

    async def reject(self, id: str, **params: Unpack[LeaveDecisionParams]) -> Leave:
        """Reject pending leave, with an optional `reason`; records `leave.rejected`."""
        body = checked(LeaveDecisionParams, params, "leave.reject")
        return await self._client._execute(post(item("/leave", id) + "/reject", Leave.from_dict, body))

    def ledger(self, **params: Unpack[LedgerListParams]) -> AsyncListIterator[LedgerEntry]:
        """`async for` the ledger's entries behind every balance."""
        return self._list("/leave/ledger", LedgerEntry, checked(LedgerListParams, params, "leave.ledger"))

    async def adjust(
        self, *, idempotency_key: str | None = None, **params: Unpack[LeaveAdjustmentParams]
    ) -> LedgerEntry:
        """Add to (or take from) what an employee may take, with a reason; records `leave.balance_adjusted`."""
        body = checked(LeaveAdjustmentParams, params, "leave.adjust")
        return await self._client._execute(post("/leave/adjustments", LedgerEntry.from_dict, body, idempotency_key))

    async def whos_out(self, **params: Unpack[WhosOutParams]) -> WhosOut:
        """Who is out, day by day (today and the next 14 days by default)."""
        query = checked(WhosOutParams, params, "leave.whos_out")
        return await self._client._execute(get("/leave/whos-out", WhosOut, query))

    async def balance(self, employee_id: str, **params: Unpack[LeaveBalanceParams]) -> LeaveBalance:
        """An employee's balance per kind as of a date (`as_of`, today by default) or for a `year`."""
        query = checked(LeaveBalanceParams, params, "leave.balance")
        return await self._client._execute(get(item("/leave/balance", employee_id), LeaveBalance, query))


class AsyncWebhookEndpoints(_Async):
    """Where events are delivered."""

    def list(self, **params: Unpack[WebhookEndpointListParams]) -> AsyncListIterator[WebhookEndpoint]:
        """`async for` every endpoint."""
        filters = checked(WebhookEndpointListParams, params, "webhook_endpoints.list")
        return self._list("/webhook-endpoints", WebhookEndpoint, filters)

    async def retrieve(self, id: str) -> WebhookEndpoint:
        """The endpoint with this id (`whe_…`)."""
        return await self._client._execute(get(item("/webhook-endpoints", id), WebhookEndpoint))

    async def create(
        self, *, idempotency_key: str | None = None, **params: Unpack[WebhookEndpointCreateParams]
    ) -> WebhookEndpointWithSecret:
        """The new endpoint with its signing `secret`, shown only now and on `rotate_secret`."""
        body = checked(WebhookEndpointCreateParams, params, "webhook_endpoints.create")
        parse = WebhookEndpointWithSecret.from_dict
        return await self._client._execute(post("/webhook-endpoints", parse, body, idempotency_key))

    async def update(
        self, id: str, *, if_match: int | str | None = None, **params: Unpack[WebhookEndpointUpdateParams]
    ) -> WebhookEndpoint:
        """Change the given fields; `if_match=<version>` makes a stale update raise ConflictError."""
        body = checked(WebhookEndpointUpdateParams, params, "webhook_endpoints.update")
        return await self._client._execute(patch(item("/webhook-endpoints", id), WebhookEndpoint, body, if_match))

    async def delete(self, id: str, *, if_match: int | str | None = None) -> None:
        """Remove the endpoint."""
        await self._client._execute(delete(item("/webhook-endpoints", id), _nothing, if_match))

    async def rotate_secret(self, id: str) -> WebhookEndpointWithSecret:
        """A new secret; the old one keeps signing beside it for 24 hours."""
        path = item("/webhook-endpoints", id) + "/rotate-secret"
        return await self._client._execute(post(path, WebhookEndpointWithSecret.from_dict, None))

    async def test(self, id: str) -> Delivery:
        """Send a `ping` event to this endpoint alone."""
        return await self._client._execute(post(item("/webhook-endpoints", id) + "/test", Delivery.from_dict, None))


class AsyncEvents(_Async):
    """The events webhooks deliver, and their replay."""

    def list(self, **params: Unpack[EventListParams]) -> AsyncListIterator[WebhookEvent]:
        """`async for` every matching event, newest first, each as its type's class."""
        return self._list("/events", _TypedEvent, checked(EventListParams, params, "events.list"))  # type: ignore[arg-type]

    async def retrieve(self, id: str) -> EventDetail:
        """The event with its deliveries and their attempts."""
        return await self._client._execute(get(item("/events", id), EventDetail))

    async def replay(self, id: str, **params: Unpack[EventReplayParams]) -> builtins.list[Delivery]:
        """Deliver again, to `endpoint_id` or to every endpoint subscribed now; the new deliveries."""
        body = checked(EventReplayParams, params, "events.replay")
        return await self._client._execute(post(item("/events", id) + "/replay", _deliveries, body))


class AsyncRooms(_Async):
    """Collaboration rooms: a room comes into being with its first thread."""

    def list(self, **params: Unpack[RoomListParams]) -> AsyncListIterator[Room]:
        """`async for` every room."""
        return self._list("/rooms", Room, checked(RoomListParams, params, "rooms.list"))

    async def retrieve(self, room_id: str) -> RoomDetail:
        """The room with its first threads (oldest first) and their comments."""
        return await self._client._execute(get(item("/rooms", room_id), RoomDetail))

    async def presence(self, room_id: str) -> Presence:
        """Who is connected to the room's sockets now."""
        return await self._client._execute(get(item("/rooms", room_id) + "/presence", Presence))

    async def create_token(
        self, room_id: str, *, idempotency_key: str | None = None, **params: Unpack[RoomTokenCreateParams]
    ) -> RoomToken:
        """A short-lived token for a browser to act in this room as `user_id`."""
        body = checked(RoomTokenCreateParams, params, "rooms.create_token")
        path = item("/rooms", room_id) + "/tokens"
        return await self._client._execute(post(path, RoomToken.from_dict, body, idempotency_key))


class AsyncThreads(_Async):
    """A room's threads."""

    def list(self, room_id: str, **params: Unpack[ThreadListParams]) -> AsyncListIterator[Thread]:
        """`async for` the room's threads, oldest first, each with its comments."""
        filters = checked(ThreadListParams, params, "threads.list")
        return self._list(item("/rooms", room_id) + "/threads", Thread, filters)

    async def create(
        self, room_id: str, *, idempotency_key: str | None = None, **params: Unpack[ThreadCreateParams]
    ) -> Thread:
        """Open a thread (and the room, with its first thread) with its first comment."""
        body = checked(ThreadCreateParams, params, "threads.create")
        path = item("/rooms", room_id) + "/threads"
        return await self._client._execute(post(path, Thread.from_dict, body, idempotency_key))

    async def retrieve(self, id: str) -> Thread:
        """The thread with its comments."""
        return await self._client._execute(get(item("/threads", id), Thread))

    async def update(
        self, id: str, *, if_match: int | str | None = None, **params: Unpack[ThreadUpdateParams]
    ) -> Thread:
        """Resolve or reopen the thread, or replace its metadata."""
        body = checked(ThreadUpdateParams, params, "threads.update")
        return await self._client._execute(patch(item("/threads", id), Thread, body, if_match))

    async def delete(self, id: str, *, if_match: int | str | None = None) -> None:
        """Remove the thread with its comments."""
        await self._client._execute(delete(item("/threads", id), _nothing, if_match))


class AsyncComments(_Async):
    """A thread's comments."""

    def list(self, thread_id: str, **params: Unpack[CommentListParams]) -> AsyncListIterator[Comment]:
        """`async for` the thread's comments, oldest first."""
        filters = checked(CommentListParams, params, "comments.list")
        return self._list(item("/threads", thread_id) + "/comments", Comment, filters)

    async def create(
        self, thread_id: str, *, idempotency_key: str | None = None, **params: Unpack[CommentCreateParams]
    ) -> Comment:
        """Add a comment to the thread; `@emp_…` in the body mentions an employee."""
        body = checked(CommentCreateParams, params, "comments.create")
        path = item("/threads", thread_id) + "/comments"
        return await self._client._execute(post(path, Comment.from_dict, body, idempotency_key))

    async def retrieve(self, id: str) -> Comment:
        """The comment with this id (`cmt_…`)."""
        return await self._client._execute(get(item("/comments", id), Comment))

    async def update(
        self, id: str, *, if_match: int | str | None = None, **params: Unpack[CommentUpdateParams]
    ) -> Comment:
        """Edit the comment; `if_match=<version>` makes a stale edit raise ConflictError."""
        body = checked(CommentUpdateParams, params, "comments.update")
        return await self._client._execute(patch(item("/comments", id), Comment, body, if_match))

    async def delete(self, id: str, *, if_match: int | str | None = None) -> None:
        """Remove the comment; deleting a thread's only comment deletes the thread too."""
        await self._client._execute(delete(item("/comments", id), _nothing, if_match))


class AsyncReactions(_Async):
    """Reactions to comments."""

    async def create(
        self, comment_id: str, *, idempotency_key: str | None = None, **params: Unpack[ReactionCreateParams]
    ) -> Reaction:
        """React to a comment; the same person with the same emoji again gets the reaction they have."""
        body = checked(ReactionCreateParams, params, "reactions.create")
        path = item("/comments", comment_id) + "/reactions"
        return await self._client._execute(post(path, Reaction.from_dict, body, idempotency_key))

    async def delete(self, id: str) -> None:
        """Remove the reaction."""
        await self._client._execute(delete(item("/reactions", id), _nothing, None))


class AsyncUsers(_Async):
    """Active employees as the collaboration widget shows people."""

    def list(self, **params: Unpack[UserListParams]) -> AsyncListIterator[CollabUser]:
        """`async for` every matching user."""
        return self._list("/users", CollabUser, checked(UserListParams, params, "users.list"))
