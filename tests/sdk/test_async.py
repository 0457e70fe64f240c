"""AsyncPulse runs the same calls through the same core: CRUD, errors, retries, async iteration."""

import asyncio
import datetime as dt
import uuid

import httpx
import pytest
from pulsehr_sdk import AsyncListIterator, ConflictError, NotFoundError

from .test_errors_and_retries import LoseFirstPostResponse

# A working day, whatever day the suite runs on (a leave of only weekend days is a 422).
A_MONDAY = dt.date(2025, 3, 3)


def test_async_client_crud_pagination_and_errors(sdk_site):
    async def scenario():
        department = f"async-{uuid.uuid4().hex[:10]}"
        async with sdk_site.async_client() as pulse:
            created = [
                await pulse.employees.create(
                    full_name=f"Async {i}", start_date=dt.date(2024, 1, 8), department=department
                )
                for i in range(3)
            ]
            employee = created[0]
            assert await pulse.employees.retrieve(employee.id) == employee

            updated = await pulse.employees.update(employee.id, role="Lead", if_match=employee.version)
            assert updated.version == employee.version + 1
            with pytest.raises(ConflictError) as stale:
                await pulse.employees.update(employee.id, role="Nope", if_match=employee.version)
            assert stale.value.status == 409 and stale.value.request_id.startswith("req_")
            with pytest.raises(NotFoundError):
                await pulse.employees.retrieve("emp_01HR3AAAAAAAAAAAAAAAAAAAAA")

            employees = pulse.employees.list(department=department, limit=2)
            assert isinstance(employees, AsyncListIterator)
            assert employees.total_count is None  # nothing fetched yet
            ids = [e.id async for e in employees]
            assert sorted(ids) == sorted(e.id for e in created)
            assert employees.total_count == 3
            assert await employees.get_total_count() == 3

            entry = await pulse.status_log.create(employee_id=employee.id, lines=["Async standup."])
            assert await pulse.status_log.retrieve(entry.id) == entry
            kudos = await pulse.kudos.create(from_employee_id=employee.id, to_employee_id=created[1].id, coins=3)
            assert [k.id async for k in pulse.kudos.list(to_employee_id=created[1].id)] == [kudos.id]
            leave = await pulse.leave.create(employee_id=employee.id, kind="sick", start_date=A_MONDAY)
            balance = await pulse.leave.balance(employee.id)
            assert {b.kind for b in balance.balances} >= {"sick", "vacation"}
            assert (await pulse.leave.delete(leave.id)).status == "cancelled"
            assert (await pulse.employees.delete(employee.id)).end_date is not None

    asyncio.run(scenario())


class AsyncLoseFirstPostResponse(httpx.AsyncBaseTransport):
    """The sync transport's behaviour for AsyncClient (run in a thread: it is blocking I/O)."""

    def __init__(self):
        self.sync = LoseFirstPostResponse("drop")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        response = await asyncio.to_thread(self.sync.handle_request, request)
        return httpx.Response(response.status_code, headers=response.headers, content=response.content)


def test_async_retried_post_is_written_once(sdk_site):
    name = f"Async idem {uuid.uuid4().hex[:10]}"
    transport = AsyncLoseFirstPostResponse()

    async def scenario():
        async with sdk_site.async_client(http_client=httpx.AsyncClient(transport=transport)) as pulse:
            employee = await pulse.employees.create(full_name=name, start_date="2024-01-08")
        async with sdk_site.async_client() as pulse:
            assert [e.id async for e in pulse.employees.list(q=name)] == [employee.id]

    asyncio.run(scenario())
    posts = [r for r in transport.sync.requests if r.method == "POST"]
    assert len(posts) == 2 and posts[0].headers["Idempotency-Key"] == posts[1].headers["Idempotency-Key"]
