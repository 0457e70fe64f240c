"""Collaboration tenancy beyond the contract every resource keeps (tests/api/test_resource_contract.py):
a room key names a separate room per workspace environment, presence and users stay within one,
and POSTs replay under an Idempotency-Key."""

import pytest

from collab.models import Room, RoomEvent
from collab.presence import PresenceUser, presence_join, reset_presence_store
from collab.realtime import room_group_name
from webhooks.models import Event

pytestmark = pytest.mark.django_db

ROOM = "review:42"


@pytest.fixture
def world(api, alice, bob, open_thread):
    """A room with a thread, a second comment and a reaction, made with `api`'s key."""
    thread = open_thread(room=ROOM)
    comment = api.post(f"/v1/threads/{thread['id']}/comments", {"body": "Two", "author_id": bob.pk}).json()
    reaction = api.post(f"/v1/comments/{comment['id']}/reactions", {"emoji": "👍", "user_id": alice.pk}).json()
    return {"thread": thread["id"], "comment": comment["id"], "reaction": reaction["id"]}


def test_the_same_room_id_is_a_separate_room_per_workspace_and_environment(world, outsiders):
    for outsider in outsiders.values():
        person = outsider.post("/v1/employees", {"full_name": "Own Person", "start_date": "2022-01-01"}).json()
        body = {"comment": {"body": "Mine", "author_id": person["id"]}}
        assert outsider.post(f"/v1/rooms/{ROOM}/threads", body).status_code == 201
        room = outsider.get(f"/v1/rooms/{ROOM}").json()
        assert room["thread_count"] == 1 and room["sequence"] == 2  # its own sequence, from 1
    assert Room.objects.filter(key=ROOM).count() == 4


def test_presence_is_per_workspace_environment_and_room(api, outsiders, alice, workspace, settings, tmp_path):
    settings.PULSEHR_PRESENCE_FILE = tmp_path / "presence.sqlite3"
    settings.REDIS_URL = ""
    reset_presence_store()
    try:
        group = room_group_name(workspace_id=workspace.pk, environment="live", room_key=ROOM)
        presence_join(group=group, connection_id="c1", user=PresenceUser(alice.pk, alice.full_name))
        [entry] = api.get(f"/v1/rooms/{ROOM}/presence").json()["data"]
        assert (entry["user_id"], entry["name"], entry["connections"]) == (alice.pk, "Alice Author", 1)
        assert api.get("/v1/rooms/other-room/presence").json() == {"data": []}
        for outsider in outsiders.values():
            assert outsider.get(f"/v1/rooms/{ROOM}/presence").json() == {"data": []}
    finally:
        reset_presence_store()


def test_users_are_the_active_employees_with_a_name_filter(api, alice, bob, make_employee):
    make_employee(full_name="Former Person", end_date="2023-01-31")
    users = api.get("/v1/users").json()
    assert users["total_count"] == 2
    assert {user["id"]: user for user in users["data"]}[alice.pk] == {
        "id": alice.pk,
        "name": "Alice Author",
        "role": "Engineer",
        "department": "Engineering",
    }
    assert [user["name"] for user in api.get("/v1/users", {"q": "BUILD"}).json()["data"]] == ["Bob Builder"]


@pytest.mark.parametrize("route", ["thread", "comment", "reaction", "token"])
def test_posts_replay_under_an_idempotency_key(api, world, alice, route):
    path, body = {
        "thread": (f"/v1/rooms/{ROOM}/threads", {"comment": {"body": "once", "author_id": alice.pk}}),
        "comment": (f"/v1/threads/{world['thread']}/comments", {"body": "once", "author_id": alice.pk}),
        "reaction": (f"/v1/comments/{world['comment']}/reactions", {"emoji": "🎉", "user_id": alice.pk}),
        "token": (f"/v1/rooms/{ROOM}/tokens", {"user_id": alice.pk}),
    }[route]
    before = (RoomEvent.objects.count(), Event.objects.count())
    first = api.post(path, body, headers={"Idempotency-Key": f"once-{route}"})
    again = api.post(path, body, headers={"Idempotency-Key": f"once-{route}"})
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    written = 0 if route == "token" else (2 if route == "thread" else 1)
    assert (RoomEvent.objects.count(), Event.objects.count()) == (before[0] + written, before[1] + written)
