"""Resources mirroring the API. Each operation is described once as a `Call` (see `_calls`);
the sync and async classes differ only in how they run it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import quote

from ._core import Call, if_match_header, jsonable
from ._model import Model
from .models import (
    Delivery,
    Employee,
    Event,
    EventDetail,
    Kudos,
    Leave,
    LeaveBalance,
    StatusLogEntry,
    WebhookEndpoint,
    WebhookEndpointWithSecret,
    WorkloadCheckin,
)
from .pagination import AsyncListIterator, ListIterator, Page

if TYPE_CHECKING:
    from .client import AsyncPulse, Pulse

M = TypeVar("M", bound=Model)


class _Calls(Generic[M]):
    """The calls of one collection path (`/employees`) whose items read as `model`."""

    path: str
    model: type[Any]

    def _item(self, id: str) -> str:
        return f"{self.path}/{quote(id, safe='')}"

    def _list_call(self, filters: dict[str, Any], cursor: str | None) -> Call[Page[M]]:
        return Call("GET", self.path, Page.parser(self.model), params={**filters, "cursor": cursor})

    def _retrieve_call(self, id: str) -> Call[M]:
        return Call("GET", self._item(id), self.model.from_dict)

    def _create_call(self, fields: dict[str, Any], idempotency_key: str | None) -> Call[M]:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return Call("POST", self.path, self.model.from_dict, json=jsonable(fields), headers=headers)

    def _update_call(self, id: str, fields: dict[str, Any], if_match: int | str | None) -> Call[M]:
        return Call(
            "PATCH", self._item(id), self.model.from_dict, json=jsonable(fields), headers=if_match_header(if_match)
        )

    def _delete_call(self, id: str, if_match: int | str | None) -> Call[M]:
        return Call("DELETE", self._item(id), self.model.from_dict, headers=if_match_header(if_match))


# --- Sync ------------------------------------------------------------------------------------


class _SyncResource(_Calls[M]):
    def __init__(self, client: Pulse) -> None:
        self._client = client


class _SyncList(_SyncResource[M]):
    def list(self, **filters: Any) -> ListIterator[M]:
        """Every matching item, fetched page by page as iteration reaches it (`limit=` sets the page size)."""
        return ListIterator(lambda cursor: self._client._execute(self._list_call(filters, cursor)))


class _SyncRetrieve(_SyncResource[M]):
    def retrieve(self, id: str) -> M:
        return self._client._execute(self._retrieve_call(id))


class _SyncCreate(_SyncResource[M]):
    def create(self, *, idempotency_key: str | None = None, **fields: Any) -> M:
        """POST with an Idempotency-Key (yours, or a generated one), so retries never write twice."""
        return self._client._execute(self._create_call(fields, idempotency_key))


class _SyncUpdate(_SyncResource[M]):
    def update(self, id: str, *, if_match: int | str | None = None, **fields: Any) -> M:
        """PATCH the given fields; `if_match=<version>` makes a stale update raise ConflictError."""
        return self._client._execute(self._update_call(id, fields, if_match))


class _SyncDelete(_SyncResource[M]):
    def delete(self, id: str, *, if_match: int | str | None = None) -> M:
        return self._client._execute(self._delete_call(id, if_match))


class Employees(_SyncList[Employee], _SyncRetrieve[Employee], _SyncCreate[Employee], _SyncUpdate[Employee],
                _SyncDelete[Employee]):  # fmt: skip
    """`delete` offboards (end_date = today if unset) and returns the kept record."""

    path, model = "/employees", Employee


class StatusLog(_SyncList[StatusLogEntry], _SyncRetrieve[StatusLogEntry], _SyncCreate[StatusLogEntry]):
    path, model = "/status-log", StatusLogEntry


class KudosResource(_SyncList[Kudos], _SyncCreate[Kudos]):
    path, model = "/kudos", Kudos


class WorkloadCheckins(_SyncList[WorkloadCheckin], _SyncCreate[WorkloadCheckin]):
    path, model = "/workload-checkins", WorkloadCheckin


class LeaveResource(_SyncList[Leave], _SyncRetrieve[Leave], _SyncCreate[Leave], _SyncDelete[Leave]):
    """`delete` cancels the leave and returns it."""

    path, model = "/leave", Leave

    def balance(self, employee_id: str, year: int | None = None) -> LeaveBalance:
        return self._client._execute(_balance_call(employee_id, year))


class WebhookEndpoints(_SyncList[WebhookEndpoint], _SyncRetrieve[WebhookEndpoint], _SyncUpdate[WebhookEndpoint]):
    path, model = "/webhook-endpoints", WebhookEndpoint

    def create(self, *, idempotency_key: str | None = None, **fields: Any) -> WebhookEndpointWithSecret:
        """The new endpoint with its signing `secret`, shown only now and on `rotate_secret`."""
        return self._client._execute(_with_secret(self._create_call(fields, idempotency_key)))

    def delete(self, id: str, *, if_match: int | str | None = None) -> None:
        self._client._execute(Call("DELETE", self._item(id), _nothing, headers=if_match_header(if_match)))

    def rotate_secret(self, id: str) -> WebhookEndpointWithSecret:
        """A new secret; the old one keeps signing beside it for 24 hours."""
        return self._client._execute(_rotate_call(self._item(id)))

    def test(self, id: str) -> Delivery:
        """Send a `ping` event to this endpoint alone."""
        return self._client._execute(_test_call(self._item(id)))


class Events(_SyncList[Event]):
    path, model = "/events", Event

    def retrieve(self, id: str) -> EventDetail:
        """The event with its deliveries and their attempts."""
        return self._client._execute(Call("GET", self._item(id), EventDetail.from_dict))

    def replay(self, id: str, endpoint_id: str | None = None) -> list[Delivery]:
        """Deliver again, to `endpoint_id` or to every endpoint subscribed now; the new deliveries."""
        return self._client._execute(_replay_call(self._item(id), endpoint_id))


# --- Async -----------------------------------------------------------------------------------


class _AsyncResource(_Calls[M]):
    def __init__(self, client: AsyncPulse) -> None:
        self._client = client


class _AsyncList(_AsyncResource[M]):
    def list(self, **filters: Any) -> AsyncListIterator[M]:
        """`async for item in ….list(**filters)`: pages are fetched as iteration reaches them."""
        return AsyncListIterator(lambda cursor: self._client._execute(self._list_call(filters, cursor)))


class _AsyncRetrieve(_AsyncResource[M]):
    async def retrieve(self, id: str) -> M:
        return await self._client._execute(self._retrieve_call(id))


class _AsyncCreate(_AsyncResource[M]):
    async def create(self, *, idempotency_key: str | None = None, **fields: Any) -> M:
        return await self._client._execute(self._create_call(fields, idempotency_key))


class _AsyncUpdate(_AsyncResource[M]):
    async def update(self, id: str, *, if_match: int | str | None = None, **fields: Any) -> M:
        return await self._client._execute(self._update_call(id, fields, if_match))


class _AsyncDelete(_AsyncResource[M]):
    async def delete(self, id: str, *, if_match: int | str | None = None) -> M:
        return await self._client._execute(self._delete_call(id, if_match))


class AsyncEmployees(_AsyncList[Employee], _AsyncRetrieve[Employee], _AsyncCreate[Employee],
                     _AsyncUpdate[Employee], _AsyncDelete[Employee]):  # fmt: skip
    path, model = "/employees", Employee


class AsyncStatusLog(_AsyncList[StatusLogEntry], _AsyncRetrieve[StatusLogEntry], _AsyncCreate[StatusLogEntry]):
    path, model = "/status-log", StatusLogEntry


class AsyncKudos(_AsyncList[Kudos], _AsyncCreate[Kudos]):
    path, model = "/kudos", Kudos


class AsyncWorkloadCheckins(_AsyncList[WorkloadCheckin], _AsyncCreate[WorkloadCheckin]):
    path, model = "/workload-checkins", WorkloadCheckin


class AsyncLeave(_AsyncList[Leave], _AsyncRetrieve[Leave], _AsyncCreate[Leave], _AsyncDelete[Leave]):
    path, model = "/leave", Leave

    async def balance(self, employee_id: str, year: int | None = None) -> LeaveBalance:
        return await self._client._execute(_balance_call(employee_id, year))


class AsyncWebhookEndpoints(_AsyncList[WebhookEndpoint], _AsyncRetrieve[WebhookEndpoint],
                            _AsyncUpdate[WebhookEndpoint]):  # fmt: skip
    path, model = "/webhook-endpoints", WebhookEndpoint

    async def create(self, *, idempotency_key: str | None = None, **fields: Any) -> WebhookEndpointWithSecret:
        return await self._client._execute(_with_secret(self._create_call(fields, idempotency_key)))

    async def delete(self, id: str, *, if_match: int | str | None = None) -> None:
        await self._client._execute(Call("DELETE", self._item(id), _nothing, headers=if_match_header(if_match)))

    async def rotate_secret(self, id: str) -> WebhookEndpointWithSecret:
        return await self._client._execute(_rotate_call(self._item(id)))

    async def test(self, id: str) -> Delivery:
        return await self._client._execute(_test_call(self._item(id)))


class AsyncEvents(_AsyncList[Event]):
    path, model = "/events", Event

    async def retrieve(self, id: str) -> EventDetail:
        return await self._client._execute(Call("GET", self._item(id), EventDetail.from_dict))

    async def replay(self, id: str, endpoint_id: str | None = None) -> list[Delivery]:
        return await self._client._execute(_replay_call(self._item(id), endpoint_id))


# --- Calls of the operations that are not plain CRUD -----------------------------------------


def _nothing(body: Any) -> None:
    return None


def _with_secret(call: Call[Any]) -> Call[WebhookEndpointWithSecret]:
    return Call(call.method, call.path, WebhookEndpointWithSecret.from_dict, json=call.json, headers=call.headers)


def _balance_call(employee_id: str, year: int | None) -> Call[LeaveBalance]:
    path = f"/leave/balance/{quote(employee_id, safe='')}"
    return Call("GET", path, LeaveBalance.from_dict, params={"year": year})


def _rotate_call(item: str) -> Call[WebhookEndpointWithSecret]:
    return Call("POST", f"{item}/rotate-secret", WebhookEndpointWithSecret.from_dict)


def _test_call(item: str) -> Call[Delivery]:
    return Call("POST", f"{item}/test", Delivery.from_dict)


def _replay_call(item: str, endpoint_id: str | None) -> Call[list[Delivery]]:
    body = {"endpoint_id": endpoint_id} if endpoint_id else {}
    return Call("POST", f"{item}/replay", lambda data: [Delivery.from_dict(d) for d in data["data"]], json=body)
