"""Rooms and threads through /v1 with an API key: opening a thread creates its room, its first
comment, two room events and two webhook events in one transaction; resolving, reopening,
metadata and deleting each publish exactly one change."""

import pytest

from collab.models import Comment, Room, RoomEvent, Thread
from collab.realtime import room_group_name
from webhooks.models import Event

pytestmark = pytest.mark.django_db


def room_events(room_key="standup:2024-05-15"):
    return list(RoomEvent.objects.filter(room__key=room_key).values_list("sequence", "type"))


def test_opening_a_thread_creates_the_room_thread_and_first_comment(api, alice, bob, open_thread):
    thread = open_thread(body=f"Can you review, @{bob.pk}?", metadata={"section": "blockers", "points": 3})
    assert thread["room_id"] == "standup:2024-05-15"
    assert thread["id"].startswith("thr_")
    assert (thread["resolved"], thread["resolved_at"], thread["resolved_by"]) == (False, None, None)
    assert thread["metadata"] == {"section": "blockers", "points": 3}
    assert thread["created_by"] == alice.pk
    [comment] = thread["comments"]
    assert comment["author_id"] == alice.pk
    assert comment["mentions"] == [bob.pk]
    assert comment["reactions"] == []
    assert comment["edited_at"] is None
    room = Room.objects.get()
    assert (room.key, room.linked_type, room.workspace_id, room.environment) == (
        "standup:2024-05-15",
        "",
        api.workspace.pk,
        "live",
    )
    assert api.get(f"/v1/threads/{thread['id']}").json() == thread


def test_opening_a_thread_answers_201_with_location_and_etag(api, alice):
    response = api.post("/v1/rooms/r1/threads", {"comment": {"body": "hi", "author_id": alice.pk}})
    assert response.status_code == 201
    assert response["Location"] == f"/v1/threads/{response.json()['id']}"
    assert response["ETag"] == '"1"'


def test_opening_a_thread_records_two_room_events_and_two_webhook_events(api, open_thread):
    thread = open_thread()
    assert room_events() == [(1, "thread.created"), (2, "comment.created")]
    events = {event.type: event.data for event in Event.objects.all()}
    assert events == {"thread.created": thread, "comment.created": thread["comments"][0]}
    assert Event.objects.get(type="thread.created").actor == f"api_key:{api.key.pk}"


def test_the_broadcast_is_sent_after_commit_with_the_sequence_and_the_object(
    api, alice, broadcasts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.post("/v1/rooms/r1/threads", {"comment": {"body": "hi", "author_id": alice.pk}})
        assert broadcasts == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    thread = response.json()
    group = room_group_name(workspace_id=api.workspace.pk, environment="live", room_key="r1")
    assert broadcasts == [
        (group, {"type": "thread.created", "sequence": 1, "room_id": "r1", "data": thread}),
        (group, {"type": "comment.created", "sequence": 2, "room_id": "r1", "data": thread["comments"][0]}),
    ]


def test_a_second_thread_joins_the_room_and_continues_its_sequence(open_thread):
    open_thread()
    open_thread(body="And another")
    assert Room.objects.count() == 1
    assert [seq for seq, _ in room_events()] == [1, 2, 3, 4]


@pytest.mark.parametrize(("room", "linked"), [("emp_01HX", "employee"), ("sl_01HX", "status_log"), ("lv_x", "leave")])
def test_a_room_named_after_a_pulsehr_object_is_linked_to_it(api, open_thread, room, linked):
    open_thread(room=room)
    assert api.get(f"/v1/rooms/{room}").json()["linked_object"] == {"type": linked, "id": room}


@pytest.mark.parametrize("room", ["has space", "x" * 129, "emoji😀", "semi;colon"])
def test_a_malformed_room_id_is_400(api, alice, room):
    body = {"comment": {"body": "hi", "author_id": alice.pk}}
    for response in (
        api.post(f"/v1/rooms/{room}/threads", body),
        api.get(f"/v1/rooms/{room}"),
        api.get(f"/v1/rooms/{room}/threads"),
    ):
        assert response.status_code == 400, response.json()
        assert response.json()["error"]["fields"] == ["roomId"]
    assert not Room.objects.exists()


def test_an_unknown_room_is_404(api):
    assert api.get("/v1/rooms/nobody-here").status_code == 404
    assert api.get("/v1/rooms/nobody-here/threads").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"comment": {"author_id": "x"}}, "comment.body"),
        ({"comment": {"body": "x" * 10_001, "author_id": "x"}}, "comment.body"),
        ({"comment": {"body": 7, "author_id": "x"}}, "comment.body"),
        ({}, "comment"),
        ({"comment": {"body": "hi"}}, "comment.author_id"),
        ({"comment": {"body": "hi", "author_id": "x"}, "colour": "red"}, "colour"),
        ({"comment": {"body": "hi", "author_id": "x"}, "metadata": {f"k{i}": i for i in range(51)}}, "metadata"),
        ({"comment": {"body": "hi", "author_id": "x"}, "metadata": {"nested": {"a": 1}}}, "metadata.nested"),
        ({"comment": {"body": "hi", "author_id": "x"}, "metadata": {"list": [1]}}, "metadata.list"),
        ({"comment": {"body": "hi", "author_id": "x"}, "metadata": {"null": None}}, "metadata.null"),
        ({"comment": {"body": "hi", "author_id": "x"}, "metadata": {"long": "v" * 1001}}, "metadata.long"),
        ({"comment": {"body": "hi", "author_id": "x"}, "metadata": {"k" * 65: 1}}, "metadata." + "k" * 65),
        ({"comment": {"body": "hi", "author_id": "x"}, "metadata": "flat"}, "metadata"),
    ],
)
def test_a_malformed_thread_is_400_naming_the_field(api, body, field):
    response = api.post("/v1/rooms/r1/threads", body)
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert not Thread.objects.exists()
    assert not Event.objects.exists()


def test_metadata_of_fifty_flat_values_is_accepted(open_thread):
    metadata = {f"k{i}": [f"v{i}", i, i / 2, i % 2 == 0][i % 4] for i in range(50)}
    assert open_thread(metadata=metadata)["metadata"] == metadata


def test_an_author_who_is_not_an_active_employee_here_is_422_and_writes_nothing(
    api, make_employee, other_workspace, open_thread
):
    former = make_employee(end_date="2023-01-31")
    elsewhere = make_employee(workspace=other_workspace)
    other_environment = make_employee(environment="test")
    for author_id in (former.pk, elsewhere.pk, other_environment.pk, "emp_nobody"):
        response = api.post("/v1/rooms/r1/threads", {"comment": {"body": "hi", "author_id": author_id}})
        assert response.status_code == 422, author_id
        assert response.json()["error"]["fields"] == ["comment.author_id"]
    assert not Room.objects.exists()
    assert not Event.objects.exists()
    assert not RoomEvent.objects.exists()


def test_an_unknown_mention_is_422_naming_it_and_writes_nothing(api, alice, other_workspace, make_employee):
    stranger = make_employee(workspace=other_workspace)
    body = {"comment": {"body": f"ping @{stranger.pk} and @emp_typo", "author_id": alice.pk}}
    response = api.post("/v1/rooms/r1/threads", body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["fields"] == ["comment.body"]
    assert stranger.pk in error["message"] and "emp_typo" in error["message"]
    assert not Thread.objects.exists() and not Event.objects.exists()


def test_created_by_must_be_the_first_comments_author(api, alice, bob):
    body = {"comment": {"body": "hi", "author_id": alice.pk}, "created_by": bob.pk}
    response = api.post("/v1/rooms/r1/threads", body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == ["created_by"]
    same = api.post("/v1/rooms/r1/threads", {**body, "created_by": alice.pk})
    assert same.status_code == 201


def test_rooms_list_and_detail(api, open_thread):
    first = open_thread(room="a")
    open_thread(room="a", body="second")
    open_thread(room="b")
    rooms = api.get("/v1/rooms").json()
    assert rooms["total_count"] == 2
    assert [(room["id"], room["thread_count"]) for room in rooms["data"]] == [("a", 2), ("b", 1)]
    assert rooms["data"][0]["linked_object"] is None
    detail = api.get("/v1/rooms/a").json()
    assert detail["thread_count"] == 2
    assert detail["sequence"] == 4
    assert [thread["id"] for thread in detail["threads"]][0] == first["id"]
    assert detail["threads"][0] == api.get(f"/v1/threads/{first['id']}").json()


def test_a_rooms_threads_page_oldest_first(api, open_thread):
    ids = [open_thread(room="paged", body=f"n{i}")["id"] for i in range(3)]
    first = api.get("/v1/rooms/paged/threads", {"limit": 2}).json()
    assert [t["id"] for t in first["data"]] == ids[:2] and first["total_count"] == 3
    second = api.get("/v1/rooms/paged/threads", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [t["id"] for t in second["data"]] == ids[2:] and second["next_cursor"] is None


def test_resolving_sets_resolved_at_and_by_and_reopening_clears_them(api, bob, open_thread):
    thread = open_thread()
    resolved = api.patch(
        f"/v1/threads/{thread['id']}", {"resolved": True, "resolved_by": bob.pk}, headers={"If-Match": '"1"'}
    )
    assert resolved.status_code == 200, resolved.json()
    body = resolved.json()
    assert (body["resolved"], body["resolved_by"], body["version"]) == (True, bob.pk, 2)
    assert body["resolved_at"] is not None and resolved["ETag"] == '"2"'
    reopened = api.patch(f"/v1/threads/{thread['id']}", {"resolved": False}).json()
    assert (reopened["resolved"], reopened["resolved_at"], reopened["resolved_by"]) == (False, None, None)
    assert room_events()[2:] == [(3, "thread.updated"), (4, "thread.updated")]
    assert Event.objects.filter(type="thread.updated").order_by("created_at").last().data == reopened


def test_metadata_is_replaced_whole(api, open_thread):
    thread = open_thread(metadata={"a": 1, "b": 2})
    updated = api.patch(f"/v1/threads/{thread['id']}", {"metadata": {"c": True}}).json()
    assert updated["metadata"] == {"c": True}


def test_an_update_that_changes_nothing_records_nothing(api, open_thread):
    thread = open_thread(metadata={"a": 1})
    response = api.patch(f"/v1/threads/{thread['id']}", {"resolved": False, "metadata": {"a": 1}})
    assert response.status_code == 200 and response.json()["version"] == 1
    assert len(room_events()) == 2 and Event.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 400, None),
        ({"resolved": "yes"}, 400, "resolved"),
        ({"resolved": False, "resolved_by": "emp_x"}, 400, "resolved_by"),
        ({"resolved": True, "resolved_by": "emp_nobody"}, 422, "resolved_by"),
        ({"room_id": "elsewhere"}, 400, "room_id"),
    ],
)
def test_a_bad_thread_update_is_refused(api, open_thread, body, status, field):
    thread = open_thread()
    response = api.patch(f"/v1/threads/{thread['id']}", body)
    assert response.status_code == status, response.json()
    if field:
        assert response.json()["error"]["fields"] == [field]
    assert Thread.objects.get().version == 1


def test_a_stale_if_match_is_409_and_changes_nothing(api, open_thread):
    thread = open_thread()
    api.patch(f"/v1/threads/{thread['id']}", {"metadata": {"v": 2}})
    stale = api.patch(f"/v1/threads/{thread['id']}", {"resolved": True}, headers={"If-Match": '"1"'})
    assert stale.status_code == 409
    assert stale.json()["error"]["fields"] == ["If-Match"]
    assert not Thread.objects.get().resolved
    assert api.delete(f"/v1/threads/{thread['id']}", headers={"If-Match": '"1"'}).status_code == 409
    assert Thread.objects.exists()


def test_deleting_a_thread_removes_it_with_its_comments_and_publishes_it_as_it_was(api, open_thread):
    thread = open_thread()
    assert api.delete(f"/v1/threads/{thread['id']}").status_code == 204
    assert not Thread.objects.exists() and not Comment.objects.exists()
    assert api.get(f"/v1/threads/{thread['id']}").status_code == 404
    assert room_events()[-1] == (3, "thread.deleted")
    assert Event.objects.get(type="thread.deleted").data == thread
    assert api.get("/v1/rooms/standup:2024-05-15").json()["thread_count"] == 0
