"""Every collaboration write publishes through room_publish inside its transaction: one room
event with the room's next sequence and one webhook event per change, the same data in both,
and a push to the room's sockets only after commit. A write that fails records neither; writes
racing in one room still number their changes without gaps or repeats."""

import pytest

from collab.models import Reaction, Room, RoomEvent, Thread
from tests.conftest import Api
from tests.factories import EmployeeFactory, WorkspaceFactory
from tests.helpers import race
from webhooks.models import Event

ROOM = "retro:7"


@pytest.mark.django_db
def test_every_kind_of_write_publishes_one_change_after_commit_matching_its_events(
    api, alice, bob, broadcasts, django_capture_on_commit_callbacks
):
    def write(method, path, body=None):
        with django_capture_on_commit_callbacks(execute=True):
            response = getattr(api, method)(path, body)
        assert response.status_code < 300, response.content
        return response.json() if response.status_code != 204 else None

    thread = write("post", f"/v1/rooms/{ROOM}/threads", {"comment": {"body": "Start", "author_id": alice.pk}})
    comment = write("post", f"/v1/threads/{thread['id']}/comments", {"body": "Reply", "author_id": bob.pk})
    write("patch", f"/v1/comments/{comment['id']}", {"body": "Reply, edited"})
    reaction = write("post", f"/v1/comments/{comment['id']}/reactions", {"emoji": "👍", "user_id": alice.pk})
    write("delete", f"/v1/reactions/{reaction['id']}")
    write("patch", f"/v1/threads/{thread['id']}", {"resolved": True, "resolved_by": bob.pk})
    write("delete", f"/v1/comments/{comment['id']}")
    write("delete", f"/v1/threads/{thread['id']}")

    expected_types = [
        "thread.created",
        "comment.created",  # the thread's first comment
        "comment.created",
        "comment.edited",
        "reaction.added",
        "reaction.removed",
        "thread.updated",
        "comment.deleted",
        "thread.deleted",
    ]
    logged = list(RoomEvent.objects.order_by("sequence").values_list("sequence", "type", "data"))
    assert [(seq, kind) for seq, kind, _ in logged] == list(enumerate(expected_types, start=1))
    pushed = [message for _, message in broadcasts]
    assert pushed == [{"type": t, "sequence": s, "room_id": ROOM, "data": d} for s, t, d in logged]
    webhook_events = list(Event.objects.order_by("created_at", "id").values_list("type", "data"))
    assert webhook_events == [(kind, data) for _, kind, data in logged]
    assert Room.objects.get().last_sequence == 9


@pytest.mark.django_db
def test_a_write_that_fails_after_publishing_records_neither_event_and_pushes_nothing(
    api, alice, broadcasts, monkeypatch, django_capture_on_commit_callbacks
):
    def outbox_down(**kwargs):
        raise RuntimeError("the outbox is down")

    monkeypatch.setattr("collab.realtime.event_record", outbox_down)
    api.client.raise_request_exception = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api.post(f"/v1/rooms/{ROOM}/threads", {"comment": {"body": "Lost", "author_id": alice.pk}})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert not Room.objects.exists() and not Thread.objects.exists()
    assert not RoomEvent.objects.exists() and not Event.objects.exists()
    assert callbacks == [] and broadcasts == []


@pytest.mark.django_db(transaction=True)
def test_racing_first_threads_share_one_room_and_number_their_changes_in_order():
    workspace = WorkspaceFactory()
    people = [EmployeeFactory(workspace=workspace) for _ in range(4)]
    clients = [Api(workspace) for _ in people]
    responses = race(
        [
            lambda c=c, p=p: c.post(f"/v1/rooms/{ROOM}/threads", {"comment": {"body": "me first", "author_id": p.pk}})
            for c, p in zip(clients, people, strict=True)
        ]
    )
    assert [r.status_code for r in responses] == [201] * 4, [r.content for r in responses]
    room = Room.objects.get()
    assert Thread.objects.filter(room=room).count() == 4
    assert list(RoomEvent.objects.filter(room=room).values_list("sequence", flat=True)) == list(range(1, 9))
    assert room.last_sequence == 8


@pytest.mark.django_db(transaction=True)
def test_racing_identical_reactions_make_one_reaction_and_one_event():
    workspace = WorkspaceFactory()
    person = EmployeeFactory(workspace=workspace)
    clients = [Api(workspace) for _ in range(4)]
    thread = clients[0].post(f"/v1/rooms/{ROOM}/threads", {"comment": {"body": "hi", "author_id": person.pk}}).json()
    path = f"/v1/comments/{thread['comments'][0]['id']}/reactions"
    responses = race([lambda c=c: c.post(path, {"emoji": "🎉", "user_id": person.pk}) for c in clients])
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 201], [r.content for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert Reaction.objects.count() == 1
    assert Event.objects.filter(type="reaction.added").count() == 1
