"""The room socket at /v1/realtime, driven through the real ASGI application (origin check,
routing, consumer) with Channels' WebsocketCommunicator, over the configured channel layer
(in memory, or Redis when REDIS_URL is set) and a real database.

Changes are made through the collab services, as the REST API makes them; people are
offboarded through `DELETE /v1/employees/{id}` with an API key.

Every wait is for a message, with a deadline that only a broken server reaches; that nothing
was sent is shown by a later message arriving first (a pong, or the room's next change),
never by waiting a while and seeing nothing."""

import time
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction

from collab.consumers import NOT_ACTIVE, RoomConsumer
from collab.models import Comment, RoomEvent, Thread
from collab.services import comment_create, thread_create
from collab.tokens import room_token_mint
from pulsehr.asgi import application
from pulsehr.tenancy.context import SYSTEM, Tenant
from tests.conftest import Api
from tests.factories import EmployeeFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOM = "doc:q3-plan"
ORIGIN = (b"origin", b"http://testserver")
# How long a message that is coming may take on a loaded machine; reached only on failure.
DEADLINE = 10
# What a socket of someone no longer employed is told before it is closed 4401.
OFFBOARDED = {"type": "error", "code": "unauthenticated", "message": NOT_ACTIVE}


def run(scenario):
    """Run an async scenario from a sync test: the database work it hands to
    database_sync_to_async happens on this thread, in the test's database."""
    async_to_sync(scenario)()


def token_for(employee, room_key=ROOM, ttl_seconds=600):
    token, _ = room_token_mint(
        workspace_id=employee.workspace_id,
        environment=employee.environment,
        room_key=room_key,
        user_id=employee.pk,
        ttl_seconds=ttl_seconds,
    )
    return token


def thread_open(author, body="Looks good", room_key=ROOM) -> Thread:
    """A new thread: two changes in its room, thread.created then comment.created."""
    tenant = Tenant(workspace=author.workspace, environment=author.environment)
    return thread_create(tenant=tenant, actor=SYSTEM, room_key=room_key, author_id=author.pk, body=body)


def reply(thread, author, body="Agreed") -> Comment:
    """One change: comment.created."""
    tenant = Tenant(workspace=author.workspace, environment=author.environment)
    return comment_create(tenant=tenant, actor=SYSTEM, thread=thread, author_id=author.pk, body=body)


async def socket(origin=ORIGIN) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, "/v1/realtime", headers=[origin] if origin else [])
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def authenticated(employee, room_key=ROOM, last_sequence=None):
    """A socket past `ready`; returns it and the ready message."""
    communicator = await socket()
    auth = {"type": "auth", "token": token_for(employee, room_key)}
    if last_sequence is not None:
        auth["last_sequence"] = last_sequence
    await communicator.send_json_to(auth)
    ready = await communicator.receive_json_from(DEADLINE)
    assert ready["type"] == "ready", ready
    return communicator, ready


async def next_message(communicator, timeout=DEADLINE) -> dict:
    """The next message that is not a presence push. Over the Redis pub/sub layer a socket can
    also get a presence push published just before it joined; these tests look at changes."""
    while True:
        message = await communicator.receive_json_from(timeout)
        if message["type"] != "presence":
            return message


async def pong_is_next(communicator) -> bool:
    """Nothing but presence pushes is waiting to be sent: the socket answers a ping in order,
    so anything it had to send before (a replay) would come first."""
    await communicator.send_json_to({"type": "ping"})
    return await next_message(communicator) == {"type": "pong"}


async def presence_push(communicator, event: str, user_id: str) -> dict:
    """The push of `user_id` joining or leaving; other presence pushes before it are skipped."""
    while True:
        message = await communicator.receive_json_from(DEADLINE)
        if message["type"] == "presence" and (message["event"], message["user_id"]) == (event, user_id):
            return message
        assert message["type"] == "presence", message


async def closed_with(communicator) -> int:
    output = await communicator.receive_output(DEADLINE)
    assert output["type"] == "websocket.close", output
    return output["code"]


def offboard_through_the_api(employee):
    response = Api(employee.workspace, employee.environment).delete(f"/v1/employees/{employee.pk}")
    assert response.status_code == 200, response.json()


def end_date_through_the_api(employee, end_date):
    response = Api(employee.workspace, employee.environment).patch(
        f"/v1/employees/{employee.pk}", {"end_date": end_date.isoformat()}
    )
    assert response.status_code == 200, response.json()


def workspace_today(employee):
    return Tenant(employee.workspace, employee.environment).today()


@pytest.fixture
def ada():
    return EmployeeFactory(full_name="Ada Lovelace", role="Engineer", department="R&D")


@pytest.fixture
def grace(ada):
    return EmployeeFactory(workspace=ada.workspace, full_name="Grace Hopper")


def test_valid_token_gets_ready_with_user_sequence_and_presence(ada):
    thread_open(ada)

    async def scenario():
        communicator, ready = await authenticated(ada)
        assert ready["room_id"] == ROOM
        assert ready["user"] == {"id": ada.pk, "name": "Ada Lovelace", "role": "Engineer", "department": "R&D"}
        assert ready["sequence"] == 2
        assert [(p["user_id"], p["name"], p["connections"]) for p in ready["presence"]] == [(ada.pk, "Ada Lovelace", 1)]
        assert await pong_is_next(communicator)
        await communicator.disconnect()

    run(scenario)


@pytest.mark.parametrize(
    "auth, message",
    [
        ({"type": "auth", "token": "rt_forged"}, "invalid"),
        ({"type": "auth", "token": "pk_live_not_a_room_token"}, "Not a room token"),
        ({"type": "auth"}, "Not a room token"),
        ({"type": "ping"}, "first message must be"),
    ],
)
def test_bad_first_message_is_unauthenticated_and_closes_4401(ada, auth, message):
    async def scenario():
        communicator = await socket()
        await communicator.send_json_to(auth)
        error = await communicator.receive_json_from(DEADLINE)
        assert error["type"] == "error" and error["code"] == "unauthenticated"
        assert message in error["message"]
        assert await closed_with(communicator) == 4401

    run(scenario)


def test_tampered_token_is_refused(ada):
    token = token_for(ada)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")

    async def scenario():
        communicator = await socket()
        await communicator.send_json_to({"type": "auth", "token": tampered})
        assert (await communicator.receive_json_from(DEADLINE))["code"] == "unauthenticated"
        assert await closed_with(communicator) == 4401

    run(scenario)


def test_expired_token_is_refused_with_a_clear_message(ada):
    async def scenario():
        communicator = await socket()
        await communicator.send_json_to({"type": "auth", "token": token_for(ada, ttl_seconds=-1)})
        error = await communicator.receive_json_from(DEADLINE)
        assert error["code"] == "unauthenticated" and "expired" in error["message"]
        assert await closed_with(communicator) == 4401

    run(scenario)


def test_an_open_socket_is_closed_when_its_token_expires(ada):
    # A token lives at least its ttl (tokens.py rounds its expiry up), and `ready` goes out
    # before the expiry is watched: two seconds are room enough for a busy machine to answer.
    token, expires_at = room_token_mint(
        workspace_id=ada.workspace_id, environment=ada.environment, room_key=ROOM, user_id=ada.pk, ttl_seconds=2
    )

    async def scenario():
        communicator = await socket()
        await communicator.send_json_to({"type": "auth", "token": token})
        assert (await communicator.receive_json_from(DEADLINE))["type"] == "ready"
        error = await next_message(communicator)
        assert error["code"] == "unauthenticated" and "expired" in error["message"]
        assert time.time() >= expires_at.timestamp()
        assert await closed_with(communicator) == 4401

    run(scenario)


def test_token_of_an_offboarded_employee_is_refused(ada):
    token = token_for(ada)
    offboard_through_the_api(ada)

    async def scenario():
        communicator = await socket()
        await communicator.send_json_to({"type": "auth", "token": token})
        assert await communicator.receive_json_from(DEADLINE) == OFFBOARDED
        assert await closed_with(communicator) == 4401

    run(scenario)


def test_token_of_a_deleted_workspace_is_refused(ada):
    token = token_for(ada)
    ada.workspace.delete()

    async def scenario():
        communicator = await socket()
        await communicator.send_json_to({"type": "auth", "token": token})
        assert (await communicator.receive_json_from(DEADLINE))["code"] == "unauthenticated"
        assert await closed_with(communicator) == 4401

    run(scenario)


def test_socket_that_does_not_authenticate_in_time_is_closed_4408(ada, monkeypatch):
    monkeypatch.setattr(RoomConsumer, "auth_timeout_seconds", 0.2)

    async def scenario():
        communicator = await socket()
        assert await closed_with(communicator) == 4408

    run(scenario)


@pytest.mark.parametrize("origin", [(b"origin", b"https://evil.example"), None])
def test_socket_from_a_foreign_or_missing_origin_is_refused(origin):
    async def scenario():
        communicator = WebsocketCommunicator(application, "/v1/realtime", headers=[origin] if origin else [])
        connected, _ = await communicator.connect()
        assert not connected

    run(scenario)


def test_socket_from_a_site_listed_in_realtime_allowed_origins_is_accepted(ada, settings):
    settings.PULSEHR_REALTIME_ALLOWED_ORIGINS = ["https://app.example.com", ".partner.example"]

    async def scenario():
        for origin in (b"https://app.example.com", b"https://eu.partner.example"):
            communicator = await socket(origin=(b"origin", origin))
            await communicator.send_json_to({"type": "auth", "token": token_for(ada)})
            assert (await communicator.receive_json_from(DEADLINE))["type"] == "ready"
            await communicator.disconnect()
        # Scheme and port count: the http page of the same site is another origin.
        refused = WebsocketCommunicator(application, "/v1/realtime", headers=[(b"origin", b"http://app.example.com")])
        assert (await refused.connect())[0] is False

    run(scenario)


def test_committed_change_reaches_the_rooms_sockets_with_its_sequence(ada, grace):
    async def scenario():
        ada_socket, _ = await authenticated(ada)
        grace_socket, _ = await authenticated(grace)

        thread = await database_sync_to_async(thread_open)(grace, "First!")
        comment = await database_sync_to_async(reply)(thread, ada, "Second")

        for communicator in (ada_socket, grace_socket):
            created = await next_message(communicator)
            assert (created["type"], created["sequence"], created["room_id"]) == ("thread.created", 1, ROOM)
            assert created["data"]["id"] == thread.pk
            first = await next_message(communicator)
            assert (first["type"], first["sequence"], first["data"]["body"]) == ("comment.created", 2, "First!")
            second = await next_message(communicator)
            assert (second["type"], second["sequence"], second["data"]["id"]) == ("comment.created", 3, comment.pk)
        await ada_socket.disconnect()
        await grace_socket.disconnect()

    run(scenario)


def test_a_room_without_threads_yet_receives_its_first_change(ada):
    async def scenario():
        communicator, ready = await authenticated(ada, room_key="brand-new")
        assert ready["sequence"] == 0
        thread = await database_sync_to_async(thread_open)(ada, room_key="brand-new")
        message = await next_message(communicator)
        assert (message["type"], message["sequence"], message["room_id"]) == ("thread.created", 1, "brand-new")
        assert message["data"]["id"] == thread.pk
        await communicator.disconnect()

    run(scenario)


def test_rolled_back_change_pushes_nothing(ada):
    def failing_post():
        with transaction.atomic():
            thread_open(ada)
            raise RuntimeError("the write failed after publishing")

    async def scenario():
        communicator, _ = await authenticated(ada)
        with pytest.raises(RuntimeError):
            await database_sync_to_async(failing_post)()
        # The room's next committed change is the first one the socket hears of.
        thread = await database_sync_to_async(thread_open)(ada)
        first = await next_message(communicator)
        assert (first["type"], first["sequence"], first["data"]["id"]) == ("thread.created", 1, thread.pk)
        await communicator.disconnect()

    run(scenario)


def test_sockets_of_another_room_workspace_or_environment_receive_nothing(ada):
    outsider = EmployeeFactory(workspace=WorkspaceFactory())
    test_twin = EmployeeFactory(workspace=ada.workspace, environment="test")

    async def scenario():
        watching = await authenticated(ada)
        others = [
            await authenticated(outsider),  # same room key, another workspace
            await authenticated(test_twin),  # same room key and workspace, the test environment
            await authenticated(ada, room_key="another-room"),
        ]
        await database_sync_to_async(thread_open)(ada)
        assert (await next_message(watching[0]))["type"] == "thread.created"
        # Each of the others hears first of a change in its own room, made after Ada's.
        for (communicator, ready), author in zip(others, (outsider, test_twin, ada), strict=True):
            own = await database_sync_to_async(thread_open)(author, room_key=ready["room_id"])
            first = await next_message(communicator)
            assert (first["type"], first["data"]["id"]) == ("thread.created", own.pk)
        # Nor do they share presence with Ada's room.
        for communicator, ready in [watching, *others]:
            assert [p["user_id"] for p in ready["presence"]] == [ready["user"]["id"]]
            await communicator.disconnect()

    run(scenario)


def test_reconnecting_client_gets_the_missed_changes_after_ready(ada):
    thread = thread_open(ada, "one")
    missed = [reply(thread, ada, "two"), reply(thread, ada, "three")]

    async def scenario():
        communicator, ready = await authenticated(ada, last_sequence=2)
        assert ready["sequence"] == 4
        replayed = [await next_message(communicator), await next_message(communicator)]
        assert [(m["sequence"], m["data"]["id"]) for m in replayed] == [(3, missed[0].pk), (4, missed[1].pk)]
        assert await pong_is_next(communicator)
        await communicator.disconnect()

    run(scenario)


def test_client_too_far_behind_the_room_log_is_told_to_refetch(ada):
    thread = thread_open(ada, "one")
    reply(thread, ada, "two")
    # The log was pruned below sequence 3.
    RoomEvent.objects.filter(sequence__lt=3).delete()

    async def scenario():
        communicator, ready = await authenticated(ada, last_sequence=1)
        assert ready["sequence"] == 3
        assert await next_message(communicator) == {"type": "refetch"}
        await communicator.disconnect()
        up_to_date, _ = await authenticated(ada, last_sequence=3)
        assert await pong_is_next(up_to_date)
        await up_to_date.disconnect()

    run(scenario)


def test_resume_after_a_gap_replays_the_missed_changes_or_refetch(ada):
    async def scenario():
        communicator, _ = await authenticated(ada)
        thread = await database_sync_to_async(thread_open)(ada, "a")
        posted = [await database_sync_to_async(reply)(thread, ada, body) for body in ("b", "c")]
        assert [(await next_message(communicator))["sequence"] for _ in range(4)] == [1, 2, 3, 4]

        await communicator.send_json_to({"type": "resume", "last_sequence": 2})
        assert [(await next_message(communicator))["data"]["id"] for _ in posted] == [c.pk for c in posted]

        await communicator.send_json_to({"type": "resume", "last_sequence": 99})
        assert await next_message(communicator) == {"type": "refetch"}

        await communicator.send_json_to({"type": "resume", "last_sequence": "1"})
        assert (await next_message(communicator))["code"] == "invalid_request"
        await communicator.disconnect()

    run(scenario)


def test_presence_joined_and_left_are_pushed_once_per_user(ada, grace):
    async def scenario():
        ada_socket, _ = await authenticated(ada)
        grace_socket, ready = await authenticated(grace)
        assert [(p["user_id"], p["connections"]) for p in ready["presence"]] == [(ada.pk, 1), (grace.pk, 1)]

        joined = await ada_socket.receive_json_from(DEADLINE)
        assert (joined["type"], joined["event"], joined["user_id"]) == ("presence", "joined", grace.pk)
        assert [p["user_id"] for p in joined["presence"]] == [ada.pk, grace.pk]

        # Grace's second tab: no push, but it counts.
        second_tab, ready = await authenticated(grace)
        assert [(p["user_id"], p["connections"]) for p in ready["presence"]] == [(ada.pk, 1), (grace.pk, 2)]
        await second_tab.disconnect()

        # The next push Ada gets is Grace's last socket leaving: the tab came and went unheard.
        await grace_socket.disconnect()
        left = await ada_socket.receive_json_from(DEADLINE)
        assert (left["type"], left["event"], left["user_id"]) == ("presence", "left", grace.pk)
        assert [p["user_id"] for p in left["presence"]] == [ada.pk]
        await ada_socket.disconnect()

    run(scenario)


def test_ping_gets_pong_and_unknown_messages_an_error(ada):
    async def scenario():
        communicator, _ = await authenticated(ada)
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from(DEADLINE) == {"type": "pong"}
        await communicator.send_json_to({"type": "comment.create", "body": "sockets are read-only"})
        assert (await communicator.receive_json_from(DEADLINE))["code"] == "invalid_request"
        await communicator.send_to(text_data="not json")
        assert (await communicator.receive_json_from(DEADLINE))["code"] == "invalid_request"
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from(DEADLINE) == {"type": "pong"}
        await communicator.disconnect()

    run(scenario)


def test_offboarding_through_the_api_closes_the_persons_sockets_in_every_room(ada, grace):
    async def scenario():
        in_room, _ = await authenticated(ada)
        elsewhere, _ = await authenticated(ada, room_key="another-room")
        colleague, _ = await authenticated(grace)

        await database_sync_to_async(offboard_through_the_api)(ada)

        for communicator in (in_room, elsewhere):
            assert await next_message(communicator) == OFFBOARDED
            assert await closed_with(communicator) == 4401
        # Her colleague stays and goes on receiving the room's changes; her closed socket is
        # sent nothing more while the close is on its way to her browser.
        thread = await database_sync_to_async(thread_open)(grace)
        created = [await next_message(colleague), await next_message(colleague)]
        assert [(m["type"], m["sequence"]) for m in created] == [("thread.created", 1), ("comment.created", 2)]
        assert created[0]["data"]["id"] == thread.pk
        for communicator in (in_room, elsewhere):
            await communicator.disconnect()
            assert communicator.output_queue.empty()
        # Once her browser has gone, the colleague sees her leave.
        await presence_push(colleague, "left", ada.pk)
        await colleague.disconnect()

    run(scenario)


def test_an_end_date_ahead_keeps_the_socket_open_and_an_end_date_of_today_closes_it(ada):
    async def scenario():
        communicator, _ = await authenticated(ada)

        tomorrow = await database_sync_to_async(workspace_today)(ada) + timedelta(days=1)
        await database_sync_to_async(end_date_through_the_api)(ada, tomorrow)
        # Still open: the room's next change arrives, and no close came before it.
        thread = await database_sync_to_async(thread_open)(ada)
        assert (await next_message(communicator))["data"]["id"] == thread.pk

        today = await database_sync_to_async(workspace_today)(ada)
        await database_sync_to_async(end_date_through_the_api)(ada, today)
        assert (await next_message(communicator))["type"] == "comment.created"  # the rest of the thread
        assert await next_message(communicator) == OFFBOARDED
        assert await closed_with(communicator) == 4401

    run(scenario)
