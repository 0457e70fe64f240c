"""Tenancy is security: every collaboration route answers 404 for another workspace's or the
other environment's rooms, threads, comments and reactions; scopes gate reads and writes;
POSTs replay under an Idempotency-Key."""

import pytest

from collab.models import Comment, Reaction, Room, RoomEvent, Thread
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


def every_route(world, alice):
    thread, comment, reaction = world["thread"], world["comment"], world["reaction"]
    return [
        ("get", f"/v1/rooms/{ROOM}", None),
        ("get", f"/v1/rooms/{ROOM}/threads", None),
        ("get", f"/v1/threads/{thread}", None),
        ("patch", f"/v1/threads/{thread}", {"resolved": True}),
        ("delete", f"/v1/threads/{thread}", None),
        ("get", f"/v1/threads/{thread}/comments", None),
        ("post", f"/v1/threads/{thread}/comments", {"body": "x", "author_id": alice.pk}),
        ("get", f"/v1/comments/{comment}", None),
        ("patch", f"/v1/comments/{comment}", {"body": "x"}),
        ("delete", f"/v1/comments/{comment}", None),
        ("post", f"/v1/comments/{comment}/reactions", {"emoji": "🎉", "user_id": alice.pk}),
        ("delete", f"/v1/reactions/{reaction}", None),
    ]


def test_every_route_is_404_from_another_workspace_or_environment(world, outsiders, alice):
    counts = (Thread.objects.count(), Comment.objects.count(), Reaction.objects.count(), Event.objects.count())
    for name, outsider in outsiders.items():
        for method, path, body in every_route(world, alice):
            response = getattr(outsider, method)(path, body)
            assert response.status_code == 404, (name, method, path, response.json())
            assert response.json()["error"]["code"] == "not_found"
        assert outsider.get("/v1/rooms").json()["total_count"] == 0, name
        assert all(user["id"] != alice.pk for user in outsider.get("/v1/users").json()["data"]), name
    after = (Thread.objects.count(), Comment.objects.count(), Reaction.objects.count(), Event.objects.count())
    assert after == counts


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


READS = ["/v1/rooms", f"/v1/rooms/{ROOM}", f"/v1/rooms/{ROOM}/threads", f"/v1/rooms/{ROOM}/presence", "/v1/users"]


@pytest.mark.parametrize(
    ("scopes", "can_read", "can_write"),
    [
        ("read:collab", True, False),
        ("write:collab", True, True),
        ("read:*", True, False),
        ("write:*", True, True),
        ("read:employees,write:kudos", False, False),
    ],
)
def test_scopes_gate_reads_and_writes(world, make_api, workspace, alice, scopes, can_read, can_write):
    client = make_api(workspace, scopes=scopes)
    for path in READS + [f"/v1/threads/{world['thread']}", f"/v1/comments/{world['comment']}"]:
        assert client.get(path).status_code == (200 if can_read else 403), (scopes, path)
    writes = [
        ("post", f"/v1/rooms/{ROOM}/threads", {"comment": {"body": "x", "author_id": alice.pk}}, 201),
        ("post", f"/v1/rooms/{ROOM}/tokens", {"user_id": alice.pk}, 201),
        ("post", f"/v1/threads/{world['thread']}/comments", {"body": "x", "author_id": alice.pk}, 201),
        ("post", f"/v1/comments/{world['comment']}/reactions", {"emoji": "🎉", "user_id": alice.pk}, 201),
        ("patch", f"/v1/threads/{world['thread']}", {"resolved": True}, 200),
        ("patch", f"/v1/comments/{world['comment']}", {"body": "edited"}, 200),
        ("delete", f"/v1/reactions/{world['reaction']}", None, 204),
        ("delete", f"/v1/comments/{world['comment']}", None, 204),
        ("delete", f"/v1/threads/{world['thread']}", None, 204),
    ]
    for method, path, body, allowed in writes:
        response = getattr(client, method)(path, body)
        assert response.status_code == (allowed if can_write else 403), (scopes, method, path)


def test_no_key_is_401(client):
    for path in READS:
        response = client.get(path)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"


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
