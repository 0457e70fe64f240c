"""Comments and reactions through /v1 with an API key: each write publishes exactly one change
(deleting a thread's only comment publishes two), mentions are checked, reactions dedupe."""

import pytest

from collab.models import Comment, Reaction, RoomEvent, Thread
from webhooks.models import Event

pytestmark = pytest.mark.django_db


def last_room_event():
    return RoomEvent.objects.order_by("-sequence").values_list("sequence", "type", "data").first()


@pytest.fixture
def thread(open_thread):
    return open_thread()


@pytest.fixture
def comment(api, thread, bob):
    response = api.post(f"/v1/threads/{thread['id']}/comments", {"body": "On it.", "author_id": bob.pk})
    assert response.status_code == 201
    return response.json()


def test_commenting_publishes_comment_created_with_the_next_sequence(api, thread, bob, comment):
    assert comment["thread_id"] == thread["id"] and comment["room_id"] == thread["room_id"]
    assert comment["author_id"] == bob.pk and comment["version"] == 1
    assert last_room_event() == (3, "comment.created", comment)
    assert Event.objects.filter(type="comment.created").order_by("created_at").last().data == comment
    listed = api.get(f"/v1/threads/{thread['id']}/comments").json()
    assert [c["id"] for c in listed["data"]] == [thread["comments"][0]["id"], comment["id"]]
    assert api.get(f"/v1/comments/{comment['id']}").json() == comment
    assert api.get(f"/v1/threads/{thread['id']}").json()["comments"][1] == comment


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"author_id": "x"}, 400, "body"),
        ({"body": "hi"}, 400, "author_id"),
        ({"body": "hi", "author_id": "emp_nobody"}, 422, "author_id"),
        ({"body": "hi @emp_nobody", "author_id": None}, 422, "body"),
    ],
)
def test_a_bad_comment_is_refused_and_writes_nothing(api, thread, alice, body, status, field):
    if body.get("author_id", "") is None:
        body["author_id"] = alice.pk
    response = api.post(f"/v1/threads/{thread['id']}/comments", body)
    assert response.status_code == status, response.json()
    assert response.json()["error"]["fields"] == [field]
    assert Comment.objects.count() == 1 and RoomEvent.objects.count() == 2


def test_editing_sets_edited_at_recomputes_mentions_and_publishes_comment_edited(api, alice, comment):
    edited = api.patch(f"/v1/comments/{comment['id']}", {"body": f"Done, @{alice.pk}"}, headers={"If-Match": '"1"'})
    assert edited.status_code == 200, edited.json()
    body = edited.json()
    assert body["mentions"] == [alice.pk] and body["edited_at"] is not None and body["version"] == 2
    assert edited["ETag"] == '"2"'
    assert last_room_event() == (4, "comment.edited", body)
    assert Event.objects.get(type="comment.edited").data == body


def test_an_edit_with_a_stale_if_match_is_409(api, comment):
    api.patch(f"/v1/comments/{comment['id']}", {"body": "v2"})
    response = api.patch(f"/v1/comments/{comment['id']}", {"body": "v3"}, headers={"If-Match": '"1"'})
    assert response.status_code == 409
    assert Comment.objects.get(pk=comment["id"]).body == "v2"


def test_an_edit_mentioning_a_stranger_is_422(api, comment):
    response = api.patch(f"/v1/comments/{comment['id']}", {"body": "@emp_01HXSTRANGER"})
    assert response.status_code == 422 and response.json()["error"]["fields"] == ["body"]
    assert Comment.objects.get(pk=comment["id"]).body == "On it."


def test_deleting_a_comment_publishes_it_as_it_was(api, thread, comment):
    assert api.delete(f"/v1/comments/{comment['id']}").status_code == 204
    assert last_room_event() == (4, "comment.deleted", comment)
    assert api.get(f"/v1/threads/{thread['id']}").json()["comments"] == thread["comments"]


def test_deleting_a_threads_only_comment_deletes_the_thread_too(api, thread):
    only = thread["comments"][0]
    assert api.delete(f"/v1/comments/{only['id']}").status_code == 204
    assert not Thread.objects.exists()
    events = list(RoomEvent.objects.order_by("sequence").values_list("sequence", "type", "data"))
    assert events[2:] == [(3, "comment.deleted", only), (4, "thread.deleted", thread)]
    assert list(Event.objects.order_by("created_at").values_list("type", flat=True))[2:] == [
        "comment.deleted",
        "thread.deleted",
    ]


def test_reacting_publishes_reaction_added_and_groups_by_emoji(api, alice, bob, comment):
    first = api.post(f"/v1/comments/{comment['id']}/reactions", {"emoji": "👍", "user_id": alice.pk})
    assert first.status_code == 201, first.json()
    reaction = first.json()
    assert reaction["comment_id"] == comment["id"] and reaction["thread_id"] == comment["thread_id"]
    assert (reaction["emoji"], reaction["user_id"], reaction["room_id"]) == ("👍", alice.pk, comment["room_id"])
    assert last_room_event() == (4, "reaction.added", reaction)
    second = api.post(f"/v1/comments/{comment['id']}/reactions", {"emoji": "👍", "user_id": bob.pk}).json()
    party = api.post(f"/v1/comments/{comment['id']}/reactions", {"emoji": "🎉", "user_id": bob.pk}).json()
    assert api.get(f"/v1/comments/{comment['id']}").json()["reactions"] == [
        {
            "emoji": "👍",
            "count": 2,
            "user_ids": [alice.pk, bob.pk],
            "reactions": [{"id": reaction["id"], "user_id": alice.pk}, {"id": second["id"], "user_id": bob.pk}],
        },
        {"emoji": "🎉", "count": 1, "user_ids": [bob.pk], "reactions": [{"id": party["id"], "user_id": bob.pk}]},
    ]


def test_the_same_user_and_emoji_again_is_200_with_the_existing_reaction_and_no_event(api, alice, comment):
    first = api.post(f"/v1/comments/{comment['id']}/reactions", {"emoji": "👍", "user_id": alice.pk}).json()
    events_before = (RoomEvent.objects.count(), Event.objects.count())
    again = api.post(f"/v1/comments/{comment['id']}/reactions", {"emoji": "👍", "user_id": alice.pk})
    assert again.status_code == 200 and again.json() == first
    assert Reaction.objects.count() == 1
    assert (RoomEvent.objects.count(), Event.objects.count()) == events_before


@pytest.mark.parametrize("emoji", ["", "👍 👍", "a\tb", "x" * 33, "\u202e", 7, "\x00"])
def test_a_malformed_emoji_is_400(api, alice, comment, emoji):
    response = api.post(f"/v1/comments/{comment['id']}/reactions", {"emoji": emoji, "user_id": alice.pk})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == ["emoji"]
    assert not Reaction.objects.exists()


@pytest.mark.parametrize("emoji", ["👩‍💻", ":+1:", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "❤️"])
def test_emoji_sequences_and_shortcodes_are_accepted(api, alice, comment, emoji):
    response = api.post(f"/v1/comments/{comment['id']}/reactions", {"emoji": emoji, "user_id": alice.pk})
    assert response.status_code == 201, response.json()


def test_a_reacting_user_must_be_an_active_employee_here(api, make_employee, comment):
    former = make_employee(end_date="2023-01-31")
    response = api.post(f"/v1/comments/{comment['id']}/reactions", {"emoji": "👍", "user_id": former.pk})
    assert response.status_code == 422 and response.json()["error"]["fields"] == ["user_id"]


def test_removing_a_reaction_publishes_reaction_removed(api, alice, comment):
    reaction = api.post(f"/v1/comments/{comment['id']}/reactions", {"emoji": "👍", "user_id": alice.pk}).json()
    assert api.delete(f"/v1/reactions/{reaction['id']}").status_code == 204
    assert last_room_event() == (5, "reaction.removed", reaction)
    assert api.get(f"/v1/comments/{comment['id']}").json()["reactions"] == []
    assert api.delete(f"/v1/reactions/{reaction['id']}").status_code == 404


def test_each_answer_carries_the_headers_of_what_it_returns(api, thread, bob):
    """A new comment names its own route and version; a reaction has neither (no GET of its
    own, no version); a room has no version, and a room token is no resource."""
    created = api.post(f"/v1/threads/{thread['id']}/comments", {"body": "On it.", "author_id": bob.pk})
    comment_id = created.json()["id"]
    assert (created["Location"], created["ETag"]) == (f"/v1/comments/{comment_id}", '"1"')
    for status in (201, 200):  # a new reaction, then the same one again
        reacted = api.post(f"/v1/comments/{comment_id}/reactions", {"emoji": "👍", "user_id": bob.pk})
        assert reacted.status_code == status
        assert "ETag" not in reacted and "Location" not in reacted
    room = api.get(f"/v1/rooms/{thread['room_id']}")
    assert room.status_code == 200 and "ETag" not in room
    token = api.post(f"/v1/rooms/{thread['room_id']}/tokens", {"user_id": bob.pk})
    assert token.status_code == 201 and "Location" not in token and "ETag" not in token
