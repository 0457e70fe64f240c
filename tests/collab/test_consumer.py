"""The room socket at /v1/realtime, driven through the real ASGI application (origin check,
routing, consumer) with Channels' WebsocketCommunicator, over the configured channel layer
(in memory, or Redis when REDIS_URL is set) and a real database.

Changes are made through the collab services, as the REST API makes them."""

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.utils import timezone

from collab.consumers import RoomConsumer
from collab.models import Comment, RoomEvent, Thread
from collab.services import comment_create, thread_create
from collab.tokens import room_token_mint
from pulsehr.asgi import application
from pulsehr.tenancy.context import SYSTEM, Tenant
from tests.factories import EmployeeFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOM = "doc:q3-plan"
ORIGIN = (b"origin", b"http://testserver")


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
    ready = await communicator.receive_json_from()
    assert ready["type"] == "ready", ready
    return communicator, ready


async def next_message(communicator, timeout=2) -> dict:
    """The next message that is not a presence push. Over the Redis pub/sub layer a socket can
    also get a presence push published just before it joined; these tests look at changes."""
    while True:
        message = await communicator.receive_json_from(timeout)
        if message["type"] != "presence":
            return message


async def receives_no_change(communicator, timeout=0.3) -> bool:
    """Nothing but presence pushes arrives within `timeout`."""
    while not await communicator.receive_nothing(timeout):
        if (await communicator.receive_json_from())["type"] != "presence":
            return False
    return True


async def closed_with(communicator) -> int:
    output = await communicator.receive_output()
    assert output["type"] == "websocket.close", output
    return output["code"]


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
        assert await receives_no_change(communicator)
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
        error = await communicator.receive_json_from()
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
        assert (await communicator.receive_json_from())["code"] == "unauthenticated"
        assert await closed_with(communicator) == 4401

    run(scenario)


def test_expired_token_is_refused_with_a_clear_message(ada):
    async def scenario():
        communicator = await socket()
        await communicator.send_json_to({"type": "auth", "token": token_for(ada, ttl_seconds=-1)})
        error = await communicator.receive_json_from()
        assert error["code"] == "unauthenticated" and "expired" in error["message"]
        assert await closed_with(communicator) == 4401

    run(scenario)


def test_an_open_socket_is_closed_when_its_token_expires(ada):
    async def scenario():
        communicator = await socket()
        await communicator.send_json_to({"type": "auth", "token": token_for(ada, ttl_seconds=1)})
        assert (await communicator.receive_json_from())["type"] == "ready"
        error = await next_message(communicator, timeout=5)
        assert error["code"] == "unauthenticated" and "expired" in error["message"]
        assert await closed_with(communicator) == 4401

    run(scenario)


def test_token_of_an_offboarded_employee_is_refused(ada):
    token = token_for(ada)
    ada.end_date = timezone.localdate() - timedelta(days=1)
    ada.save()

    async def scenario():
        communicator = await socket()
        await communicator.send_json_to({"type": "auth", "token": token})
        assert (await communicator.receive_json_from())["code"] == "unauthenticated"
        assert await closed_with(communicator) == 4401

    run(scenario)


def test_token_of_a_deleted_workspace_is_refused(ada):
    token = token_for(ada)
    ada.workspace.delete()

    async def scenario():
        communicator = await socket()
        await communicator.send_json_to({"type": "auth", "token": token})
        assert (await communicator.receive_json_from())["code"] == "unauthenticated"
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
            assert (await communicator.receive_json_from())["type"] == "ready"
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
        assert await receives_no_change(communicator)
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
        for communicator, _ in others:
            assert await receives_no_change(communicator)
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
        assert await receives_no_change(communicator)
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
        assert await receives_no_change(up_to_date)
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

        joined = await ada_socket.receive_json_from()
        assert (joined["type"], joined["event"], joined["user_id"]) == ("presence", "joined", grace.pk)
        assert [p["user_id"] for p in joined["presence"]] == [ada.pk, grace.pk]

        # Grace's second tab: no push, but it counts.
        second_tab, ready = await authenticated(grace)
        assert [(p["user_id"], p["connections"]) for p in ready["presence"]] == [(ada.pk, 1), (grace.pk, 2)]
        assert await ada_socket.receive_nothing()
        await second_tab.disconnect()
        assert await ada_socket.receive_nothing()

        await grace_socket.disconnect()
        left = await ada_socket.receive_json_from()
        assert (left["event"], left["user_id"]) == ("left", grace.pk)
        assert [p["user_id"] for p in left["presence"]] == [ada.pk]
        await ada_socket.disconnect()

    run(scenario)


def test_ping_gets_pong_and_unknown_messages_an_error(ada):
    async def scenario():
        communicator, _ = await authenticated(ada)
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from() == {"type": "pong"}
        await communicator.send_json_to({"type": "comment.create", "body": "sockets are read-only"})
        assert (await communicator.receive_json_from())["code"] == "invalid_request"
        await communicator.send_to(text_data="not json")
        assert (await communicator.receive_json_from())["code"] == "invalid_request"
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from() == {"type": "pong"}
        await communicator.disconnect()

    run(scenario)
