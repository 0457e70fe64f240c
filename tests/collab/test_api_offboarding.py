"""A room token stands for an active employee only: once its user is offboarded
(`DELETE /v1/employees/{id}` with an API key, or an end date of today set by an edit) every
collaboration request with it is a 401, checked on each request. An end date still ahead
changes nothing until it comes. And a token changes a thread's metadata only where its user
opened the thread; an API key, the integrator's backend, may change any."""

from datetime import timedelta

import pytest

from collab.models import Thread
from pulsehr.tenancy.context import Tenant

pytestmark = pytest.mark.django_db

ROOM = "standup:2024-05-15"
GONE = "The room token's user is no longer an active employee of its workspace."


def today(workspace):
    return Tenant(workspace, "live").today()


def what_a_token_does(as_user, thread, comment_id):
    """Every kind of collab request a browser makes: reading the room, its threads and the
    user directory, and editing its user's own comment."""
    return {
        "room": as_user.get(f"/v1/rooms/{ROOM}"),
        "threads": as_user.get(f"/v1/rooms/{ROOM}/threads"),
        "thread": as_user.get(f"/v1/threads/{thread['id']}"),
        "users": as_user.get("/v1/users"),
        "presence": as_user.get(f"/v1/rooms/{ROOM}/presence"),
        "edit": as_user.patch(f"/v1/comments/{comment_id}", {"body": "edited"}),
        "reply": as_user.post(f"/v1/threads/{thread['id']}/comments", {"body": "one more"}),
    }


def test_after_offboarding_through_the_api_the_token_is_401_on_every_collab_route(api, alice, token_api, open_thread):
    as_alice = token_api(ROOM, alice)
    thread = open_thread(room=ROOM, author=alice)
    comment_id = thread["comments"][0]["id"]
    before = what_a_token_does(as_alice, thread, comment_id)
    assert {name: r.status_code for name, r in before.items()} == {
        **dict.fromkeys(before, 200),
        "reply": 201,
    }

    assert api.delete(f"/v1/employees/{alice.pk}").status_code == 200

    after = what_a_token_does(as_alice, thread, comment_id)
    for name, response in after.items():
        assert response.status_code == 401, name
        assert response.json()["error"] == {
            "code": "unauthenticated",
            "message": GONE,
            "request_id": response["X-Request-Id"],
        }, name
    # Nothing was written with the dead token.
    assert api.get(f"/v1/threads/{thread['id']}").json()["comments"][0]["body"] == "edited"
    assert len(api.get(f"/v1/threads/{thread['id']}").json()["comments"]) == 2


def test_the_offboarded_persons_token_is_refused_while_a_colleagues_works_on(api, alice, bob, token_api, open_thread):
    as_alice, as_bob = token_api(ROOM, alice), token_api(ROOM, bob)
    open_thread(room=ROOM, author=alice)

    api.delete(f"/v1/employees/{alice.pk}")

    assert as_alice.get(f"/v1/rooms/{ROOM}").status_code == 401
    assert as_bob.get(f"/v1/rooms/{ROOM}").status_code == 200
    # The directory a colleague sees no longer lists her.
    assert alice.pk not in [user["id"] for user in as_bob.get("/v1/users").json()["data"]]


def test_an_end_date_ahead_keeps_the_token_working_until_that_day(api, alice, token_api, open_thread):
    as_alice = token_api(ROOM, alice)
    open_thread(room=ROOM, author=alice)
    tomorrow = today(api.workspace) + timedelta(days=1)

    assert api.patch(f"/v1/employees/{alice.pk}", {"end_date": tomorrow.isoformat()}).status_code == 200
    assert as_alice.get(f"/v1/rooms/{ROOM}").status_code == 200

    # The day comes (an edit to today stands for it): the token stops working.
    assert api.patch(f"/v1/employees/{alice.pk}", {"end_date": today(api.workspace).isoformat()}).status_code == 200
    response = as_alice.get(f"/v1/rooms/{ROOM}")
    assert response.status_code == 401 and response.json()["error"]["message"] == GONE


def test_a_token_changes_metadata_only_on_threads_its_user_opened(api, alice, bob, token_api, open_thread):
    thread = open_thread(room=ROOM, author=alice, metadata={"section": "blockers"})
    as_alice, as_bob = token_api(ROOM, alice), token_api(ROOM, bob)

    refused = as_bob.patch(f"/v1/threads/{thread['id']}", {"metadata": {"section": "hijacked"}})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    # Not even together with a resolve, which alone he may do.
    both = as_bob.patch(f"/v1/threads/{thread['id']}", {"resolved": True, "metadata": {}})
    assert both.status_code == 403
    assert Thread.objects.get(pk=thread["id"]).metadata == {"section": "blockers"}
    assert Thread.objects.get(pk=thread["id"]).resolved is False

    resolved = as_bob.patch(f"/v1/threads/{thread['id']}", {"resolved": True})
    assert resolved.status_code == 200 and resolved.json()["resolved_by"] == bob.pk

    own = as_alice.patch(f"/v1/threads/{thread['id']}", {"metadata": {"section": "done"}})
    assert own.status_code == 200 and own.json()["metadata"] == {"section": "done"}
    by_key = api.patch(f"/v1/threads/{thread['id']}", {"metadata": {"section": "archived"}})
    assert by_key.status_code == 200 and by_key.json()["metadata"] == {"section": "archived"}
