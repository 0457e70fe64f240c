"""Room tokens: minted by an API key for one room and one active person; the browser holding
one reads and writes collab in that room only, as that person only, and nothing else of /v1."""

import time
from datetime import datetime

import pytest

from collab.models import Thread
from collab.tokens import room_token_mint
from pulsehr.api.models import IdempotencyRecord
from webhooks.models import Event

from .conftest import TokenApi

pytestmark = pytest.mark.django_db

ROOM = "standup:2024-05-15"


@pytest.fixture
def as_alice(token_api, alice):
    return token_api(ROOM, alice)


def test_minting_answers_the_token_its_expiry_room_and_user(api, alice):
    response = api.post(f"/v1/rooms/{ROOM}/tokens", {"user_id": alice.pk, "ttl_seconds": 600})
    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("rt_")
    assert (body["room_id"], body["user_id"]) == (ROOM, alice.pk)
    expires = datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
    assert abs(expires.timestamp() - (time.time() + 600)) < 5
    default = api.post(f"/v1/rooms/{ROOM}/tokens", {"user_id": alice.pk}).json()
    assert abs(datetime.fromisoformat(default["expires_at"]).timestamp() - (time.time() + 3600)) < 5


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"ttl_seconds": 59}, 400, "ttl_seconds"),
        ({"ttl_seconds": 86_401}, 400, "ttl_seconds"),
        ({"ttl_seconds": "60"}, 400, "ttl_seconds"),
        ({"user_id": None}, 400, "user_id"),
        ({"user_id": "emp_nobody"}, 422, "user_id"),
    ],
)
def test_a_bad_mint_is_refused(api, alice, body, status, field):
    response = api.post(f"/v1/rooms/{ROOM}/tokens", {"user_id": alice.pk, **body})
    assert response.status_code == status, response.json()
    assert response.json()["error"]["fields"] == [field]


def test_a_former_employee_or_a_malformed_room_gets_no_token(api, alice, make_employee):
    former = make_employee(end_date="2023-01-31")
    assert api.post(f"/v1/rooms/{ROOM}/tokens", {"user_id": former.pk}).status_code == 422
    assert api.post("/v1/rooms/bad room/tokens", {"user_id": alice.pk}).status_code == 400


def test_minting_needs_write_collab_on_an_api_key(make_api, workspace, alice, as_alice):
    reader = make_api(workspace, scopes="read:collab")
    assert reader.post(f"/v1/rooms/{ROOM}/tokens", {"user_id": alice.pk}).status_code == 403
    assert as_alice.post(f"/v1/rooms/{ROOM}/tokens", {"user_id": alice.pk}).status_code == 403


def test_a_token_opens_threads_and_comments_as_its_user(as_alice, alice, open_thread):
    response = as_alice.post(f"/v1/rooms/{ROOM}/threads", {"comment": {"body": "From the browser"}})
    assert response.status_code == 201, response.json()
    thread = response.json()
    assert thread["created_by"] == alice.pk and thread["comments"][0]["author_id"] == alice.pk
    assert Event.objects.get(type="thread.created").actor == f"room_token:{alice.pk}"
    comment = as_alice.post(f"/v1/threads/{thread['id']}/comments", {"body": "And more"})
    assert comment.status_code == 201 and comment.json()["author_id"] == alice.pk
    reaction = as_alice.post(f"/v1/comments/{comment.json()['id']}/reactions", {"emoji": "👍"})
    assert reaction.status_code == 201 and reaction.json()["user_id"] == alice.pk
    resolved = as_alice.patch(f"/v1/threads/{thread['id']}", {"resolved": True})
    assert resolved.json()["resolved_by"] == alice.pk
    assert as_alice.get(f"/v1/rooms/{ROOM}").json()["thread_count"] == 1
    assert as_alice.get(f"/v1/rooms/{ROOM}/threads").json()["total_count"] == 1


def test_a_token_cannot_write_as_anyone_else(as_alice, bob, open_thread):
    for_bob = {"comment": {"body": "forged", "author_id": bob.pk}}
    assert as_alice.post(f"/v1/rooms/{ROOM}/threads", for_bob).status_code == 403
    forged = as_alice.post(f"/v1/rooms/{ROOM}/threads", {"comment": {"body": "x"}, "created_by": bob.pk})
    assert forged.status_code == 403
    thread = open_thread(room=ROOM, author=bob)
    bobs_comment = thread["comments"][0]
    responses = [
        as_alice.post(f"/v1/threads/{thread['id']}/comments", {"body": "x", "author_id": bob.pk}),
        as_alice.post(f"/v1/comments/{bobs_comment['id']}/reactions", {"emoji": "👍", "user_id": bob.pk}),
        as_alice.patch(f"/v1/threads/{thread['id']}", {"resolved": True, "resolved_by": bob.pk}),
        as_alice.patch(f"/v1/comments/{bobs_comment['id']}", {"body": "rewritten"}),
        as_alice.delete(f"/v1/comments/{bobs_comment['id']}"),
        as_alice.delete(f"/v1/threads/{thread['id']}"),
    ]
    for response in responses:
        assert response.status_code == 403, response.json()
        assert response.json()["error"]["code"] == "permission_denied"
    assert Thread.objects.get().version == 1
    assert Event.objects.count() == 2  # the key's thread.created and comment.created only


def test_a_token_deletes_only_its_users_reactions(api, as_alice, bob, open_thread):
    thread = open_thread(room=ROOM)
    comment_id = thread["comments"][0]["id"]
    bobs = api.post(f"/v1/comments/{comment_id}/reactions", {"emoji": "👍", "user_id": bob.pk}).json()
    own = as_alice.post(f"/v1/comments/{comment_id}/reactions", {"emoji": "👍"}).json()
    assert as_alice.delete(f"/v1/reactions/{bobs['id']}").status_code == 403
    assert as_alice.delete(f"/v1/reactions/{own['id']}").status_code == 204


def test_another_rooms_objects_do_not_exist_for_a_token(as_alice, open_thread):
    other = open_thread(room="elsewhere")
    comment_id = other["comments"][0]["id"]
    for response in (
        as_alice.get("/v1/rooms/elsewhere"),
        as_alice.get("/v1/rooms/elsewhere/threads"),
        as_alice.get("/v1/rooms/elsewhere/presence"),
        as_alice.post("/v1/rooms/elsewhere/threads", {"comment": {"body": "x"}}),
        as_alice.get(f"/v1/threads/{other['id']}"),
        as_alice.patch(f"/v1/threads/{other['id']}", {"resolved": True}),
        as_alice.delete(f"/v1/threads/{other['id']}"),
        as_alice.get(f"/v1/threads/{other['id']}/comments"),
        as_alice.post(f"/v1/threads/{other['id']}/comments", {"body": "x"}),
        as_alice.get(f"/v1/comments/{comment_id}"),
        as_alice.patch(f"/v1/comments/{comment_id}", {"body": "x"}),
        as_alice.delete(f"/v1/comments/{comment_id}"),
        as_alice.post(f"/v1/comments/{comment_id}/reactions", {"emoji": "👍"}),
    ):
        assert response.status_code == 404, response.json()
    assert Thread.objects.get().version == 1 and Event.objects.count() == 2


def test_another_rooms_reaction_does_not_exist_for_a_token(api, alice, as_alice, open_thread):
    other = open_thread(room="elsewhere")
    reaction = api.post(
        f"/v1/comments/{other['comments'][0]['id']}/reactions", {"emoji": "👍", "user_id": alice.pk}
    ).json()
    assert as_alice.delete(f"/v1/reactions/{reaction['id']}").status_code == 404


def test_a_token_reaches_nothing_outside_collab(as_alice, alice):
    for path in ("/v1/employees", f"/v1/employees/{alice.pk}", "/v1/kudos", "/v1/webhook-endpoints", "/v1/events"):
        response = as_alice.get(path)
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "unauthenticated"
    assert as_alice.get("/v1/rooms").status_code == 403  # the room list spans every room
    users = as_alice.get("/v1/users")
    assert users.status_code == 200 and users.json()["total_count"] == 1


def test_an_expired_token_is_401_saying_so(workspace, alice):
    token, _ = room_token_mint(
        workspace_id=workspace.pk, environment="live", room_key=ROOM, user_id=alice.pk, ttl_seconds=-1
    )
    response = TokenApi(token).get(f"/v1/rooms/{ROOM}/threads")
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "unauthenticated",
        "message": "The room token has expired; ask your backend for a new one.",
        "request_id": response["X-Request-Id"],
    }


def test_a_token_lives_at_least_as_long_as_it_was_minted_for(workspace, alice):
    """The expiry is whole seconds; rounding it down let a 1-second token expire milliseconds
    after it was minted."""
    for _ in range(20):
        before = time.time()
        token, expires_at = room_token_mint(
            workspace_id=workspace.pk, environment="live", room_key=ROOM, user_id=alice.pk, ttl_seconds=1
        )
        assert expires_at.timestamp() >= before + 1
        assert TokenApi(token).get(f"/v1/rooms/{ROOM}/presence").status_code == 200


def test_a_tampered_token_is_401(as_alice, bob):
    payload = as_alice.token[3:]
    forged = "rt_" + payload[:-2] + ("AA" if not payload.endswith("AA") else "BB")
    for token in (forged, "rt_", "rt_not-a-token"):
        response = TokenApi(token).get(f"/v1/rooms/{ROOM}/threads")
        assert response.status_code == 401, token
        assert response.json()["error"]["message"] == "The room token is invalid."


def test_a_token_of_another_workspace_or_environment_sees_nothing_here(
    make_api, workspace, other_workspace, open_thread
):
    thread = open_thread(room=ROOM)
    for api in (make_api(other_workspace, "live"), make_api(workspace, "test")):
        person = api.post("/v1/employees", {"full_name": "Out Sider", "start_date": "2022-01-01"}).json()
        token = api.post(f"/v1/rooms/{ROOM}/tokens", {"user_id": person["id"]}).json()["token"]
        outsider = TokenApi(token)
        assert outsider.get(f"/v1/rooms/{ROOM}").status_code == 404
        assert outsider.get(f"/v1/threads/{thread['id']}").status_code == 404
        assert outsider.get("/v1/users").json()["data"] == [
            {"id": person["id"], "name": "Out Sider", "role": "", "department": ""}
        ]


def test_token_requests_are_rate_limited_per_room_and_user(settings, as_alice, token_api, bob):
    settings.PULSEHR_RATE_LIMIT = 2
    assert as_alice.get(f"/v1/rooms/{ROOM}/presence")["X-RateLimit-Remaining"] == "1"
    as_alice.get(f"/v1/rooms/{ROOM}/presence")
    limited = as_alice.get(f"/v1/rooms/{ROOM}/presence")
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
    assert token_api(ROOM, bob).get(f"/v1/rooms/{ROOM}/presence").status_code == 200


def test_idempotency_keys_replay_for_a_token(as_alice, token_api, bob):
    body = {"comment": {"body": "Only once"}}
    first = as_alice.post(f"/v1/rooms/{ROOM}/threads", body, headers={"Idempotency-Key": "k1"})
    again = as_alice.post(f"/v1/rooms/{ROOM}/threads", body, headers={"Idempotency-Key": "k1"})
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Thread.objects.count() == 1
    record = IdempotencyRecord.objects.get()
    assert record.api_key is None and as_alice.token not in record.principal
    # The same key from another user is theirs alone.
    other = token_api(ROOM, bob).post(f"/v1/rooms/{ROOM}/threads", body, headers={"Idempotency-Key": "k1"})
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    conflict = as_alice.post(
        f"/v1/rooms/{ROOM}/threads", {"comment": {"body": "Else"}}, headers={"Idempotency-Key": "k1"}
    )
    assert conflict.status_code == 409


def test_presence_lists_nobody_in_a_quiet_room(as_alice):
    response = as_alice.get(f"/v1/rooms/{ROOM}/presence")
    assert response.status_code == 200 and response.json() == {"data": []}
