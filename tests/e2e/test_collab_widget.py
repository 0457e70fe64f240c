"""The collaboration widget in real browsers, and room tokens and sockets against the live server.

The integrator's path throughout: the test is the integrator's backend, holding the API key; it
mints room tokens through POST /v1/rooms/{roomId}/tokens and hands them to a page that mounts
the widget. That page is the integrator's own, not PulseHR's: the test writes it into a document
of the stack's origin (the origin the widget's REST and socket calls go to), and the widget's
script and stylesheet in it are the real ones, served by the stack from /static/collab/."""

import json
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import requests
from playwright.sync_api import Page, expect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from ..live.webhook_stack import Api
from .browser import DESKTOP
from .stack import unique

# Collected by a MutationObserver in each page: when (Date.now(), ms) each comment body first showed.
WATCH_COMMENTS = """() => {
  window.commentsSeenAt = {};
  const record = () => {
    for (const node of document.querySelectorAll('[data-testid="comment-body"]')) {
      if (!(node.textContent in window.commentsSeenAt)) window.commentsSeenAt[node.textContent] = Date.now();
    }
  };
  new MutationObserver(record).observe(document.body, {childList: true, subtree: true, characterData: true});
  record();
}"""
PUSH_BUDGET_SECONDS = 1.0
QUIET_SECONDS = 1.0


def integrator_page(*, room_id: str, token: str, user_id: str) -> str:
    """The integrator's page: its own content, and the widget mounted with a room token."""
    options = json.dumps({"roomId": room_id, "token": token, "userId": user_id, "title": "Standup comments"})
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Standup · Integrator</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/collab/widget.css">
<script src="/static/collab/widget.js"></script>
</head><body style="margin:0;font-family:system-ui,sans-serif">
<main style="max-width:46rem;margin:2rem auto;padding:0 1rem">
<h1>Daily standup</h1><p>Yesterday's notes, and the team's comments on them.</p>
<div id="comments"></div></main>
<script>window.collab = PulseCollab.mount(document.getElementById("comments"), {options});</script>
</body></html>"""


def open_widget(page: Page, *, room_id: str, token: str, user_id: str) -> Page:
    """The integrator's page in `page`, with the widget live on its socket. The page is written
    into a document the stack served (its health check), so it has the stack's origin, as a
    page Chromium fetched from that address: Chromium lets such a page open the loopback socket,
    where one Playwright made up is blocked as a public page reaching a local address."""
    served = []
    page.on("response", lambda response: "/static/collab/" in response.url and served.append(response.status))
    page.goto("/healthz")
    page.set_content(integrator_page(room_id=room_id, token=token, user_id=user_id))
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "live")
    assert served == [200, 200], f"the widget's stylesheet and script from the stack: {served}"
    page.evaluate(WATCH_COMMENTS)
    return page


def employee(api: Api, name: str) -> str:
    return api.post("/v1/employees", {"full_name": name, "start_date": "2024-01-02"}).json()["id"]


def room_token(api: Api, room_id: str, user_id: str) -> str:
    token = api.post(f"/v1/rooms/{room_id}/tokens", {"user_id": user_id}).json()["token"]
    assert token.startswith("rt_"), token
    return token


def thread_open(api: Api, room_id: str, author_id: str, body: str) -> dict:
    return api.post(f"/v1/rooms/{room_id}/threads", {"comment": {"body": body, "author_id": author_id}}).json()


def presence_users(page: Page):
    return page.get_by_test_id("presence-user")


def comment_body(page: Page, body: str):
    return page.get_by_test_id("comment-body").filter(has_text=body)


def seconds_until_seen(page: Page, body: str, since: float) -> float:
    """How long after `since` (time.time()) the page first showed a comment with `body`."""
    expect(comment_body(page, body)).to_be_visible()
    return page.evaluate("body => window.commentsSeenAt[body]", body) / 1000 - since


def test_two_people_in_one_room_see_every_change_at_once_through_the_widget(stack, browser, page, shot):
    workspace = stack.create_workspace(name="Standup Co")
    api = stack.api(workspace, "live")
    ada, bruno = employee(api, "Ada Lovelace"), employee(api, "Bruno Ferri")
    room_id = unique("standup")
    first = thread_open(api, room_id, ada, "Release notes are drafted.")

    ada_page = open_widget(page, room_id=room_id, token=room_token(api, room_id, ada), user_id=ada)
    # Bruno reads in New York: the widget shows times in the reader's zone, and names it.
    bruno_context = browser.new_context(base_url=stack.url, viewport=DESKTOP, timezone_id="America/New_York")
    script_errors: list[str] = []
    try:
        bruno_page = bruno_context.new_page()
        bruno_page.on("pageerror", lambda error: script_errors.append(str(error)))
        open_widget(bruno_page, room_id=room_id, token=room_token(api, room_id, bruno), user_id=bruno)
        for viewer in (ada_page, bruno_page):
            expect(presence_users(viewer)).to_have_count(2)
            assert sorted(presence_users(viewer).evaluate_all("us => us.map(u => u.dataset.userId)")) == sorted(
                [ada, bruno]
            )
            expect(comment_body(viewer, "Release notes are drafted.")).to_be_visible()
        expect(presence_users(ada_page).filter(has_text="Ada Lovelace (you)")).to_have_attribute("data-user-id", ada)
        expect(presence_users(bruno_page).filter(has_text="Bruno Ferri (you)")).to_have_attribute("data-user-id", bruno)
        shot(ada_page, "ada-both-present")
        shot(bruno_page, "bruno-both-present")
        ada_time = ada_page.get_by_test_id("comment-time").first.inner_text()
        bruno_time = bruno_page.get_by_test_id("comment-time").first.inner_text()
        assert ada_time.endswith("UTC"), ada_time  # the browser's default zone here
        assert bruno_time.endswith(("EST", "EDT")), bruno_time

        # The integrator's backend comments with its key: both browsers show it within a second of
        # the 201. Timed from the moment the request leaves, which bounds the time from the 201 (the
        # push may well beat the response back).
        sent_at = time.time()
        posted = api.post(f"/v1/threads/{first['id']}/comments", {"body": "Changelog linked.", "author_id": bruno})
        answered_at = time.time()
        delays = {
            name: seconds_until_seen(viewer, "Changelog linked.", sent_at)
            for name, viewer in (("ada", ada_page), ("bruno", bruno_page))
        }
        print(
            f"POST sent → 201: {(answered_at - sent_at) * 1000:.0f} ms; sent → visible: "
            + ", ".join(f"{name} {delay * 1000:.0f} ms" for name, delay in delays.items())
        )
        assert all(delay <= PUSH_BUDGET_SECONDS for delay in delays.values()), delays
        pushed_comment = posted.json()["id"]

        # Ada replies in her browser; Bruno sees it, under her name.
        ada_thread = ada_page.locator(f'[data-thread-id="{first["id"]}"]')
        ada_thread.get_by_test_id("reply-composer").locator("textarea").fill("I'll post it at noon.")
        ada_thread.get_by_test_id("reply-composer").get_by_role("button", name="Reply").click()
        typed = bruno_page.get_by_test_id("comment").filter(has_text="I'll post it at noon.")
        expect(typed.get_by_test_id("comment-author")).to_have_text("Ada Lovelace")
        expect(ada_thread.get_by_test_id("reply-composer").locator("textarea")).to_have_value("")

        # Ada reacts to Bruno's comment; Bruno sees the count, then adds his own.
        ada_page.locator(f'[data-comment-id="{pushed_comment}"]').get_by_test_id("add-reaction-button").click()
        ada_page.locator(f'[data-comment-id="{pushed_comment}"] [data-testid="pick-reaction"][data-emoji="🎉"]').click()
        bruno_reaction = bruno_page.locator(
            f'[data-comment-id="{pushed_comment}"] [data-testid="reaction-button"][data-emoji="🎉"]'
        )
        expect(bruno_reaction).to_have_text("🎉1")
        expect(bruno_reaction).to_have_attribute("aria-pressed", "false")
        bruno_reaction.click()
        ada_reaction = ada_page.locator(
            f'[data-comment-id="{pushed_comment}"] [data-testid="reaction-button"][data-emoji="🎉"]'
        )
        expect(ada_reaction).to_have_text("🎉2")
        expect(ada_reaction).to_have_attribute("aria-pressed", "true")
        shot(ada_page, "ada-reply-and-reactions")
        shot(bruno_page, "bruno-reply-and-reactions")

        # A second thread through REST shows in both, then its DELETE takes it away from both.
        second = thread_open(api, room_id, bruno, "Who takes the retro?")
        for viewer in (ada_page, bruno_page):
            expect(viewer.get_by_test_id("thread")).to_have_count(2)
            expect(comment_body(viewer, "Who takes the retro?")).to_be_visible()
        api.request("DELETE", f"/v1/threads/{second['id']}", expect=204)
        for viewer in (ada_page, bruno_page):
            expect(viewer.locator(f'[data-thread-id="{second["id"]}"]')).to_have_count(0)
            expect(viewer.get_by_test_id("thread")).to_have_count(1)

        # A resolve through REST shows as resolved in both.
        api.request("PATCH", f"/v1/threads/{first['id']}", json={"resolved": True, "resolved_by": ada}, expect=200)
        for viewer in (ada_page, bruno_page):
            resolved = viewer.locator(f'[data-thread-id="{first["id"]}"]')
            expect(resolved).to_have_attribute("data-resolved", "true")
            expect(resolved.get_by_test_id("resolved-badge")).to_have_text("Resolved by Ada Lovelace")
            expect(resolved.get_by_test_id("resolve-button")).to_have_text("Reopen")
        shot(ada_page, "ada-resolved")
        shot(bruno_page, "bruno-resolved")
    finally:
        bruno_context.close()
    assert not script_errors, script_errors

    # Bruno gone, Ada's presence shows her alone.
    expect(presence_users(ada_page)).to_have_count(1)
    expect(presence_users(ada_page)).to_contain_text(["Ada Lovelace (you)"])
    shot(ada_page, "ada-alone")


def mint_directly(stack, *, workspace_id: str, room_id: str, user_id: str, ttl_seconds: int) -> str:
    """A room token minted in the stack's own Django (same SECRET_KEY), with any lifetime: the
    API allows no less than a minute, too long to wait for one to expire."""
    code = (
        "from collab.tokens import room_token_mint; "
        f"print('token:' + room_token_mint(workspace_id={workspace_id!r}, environment='live', "
        f"room_key={room_id!r}, user_id={user_id!r}, ttl_seconds={ttl_seconds})[0])"
    )
    output = stack.manage("shell", "-c", code)
    return next(line for line in output.splitlines() if line.startswith("token:")).removeprefix("token:")


def as_token(stack, token: str, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(
        method, f"{stack.url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=30, **kwargs
    )


def test_a_room_token_reaches_only_its_room_only_in_time_and_only_as_its_user(stack):
    workspace = stack.create_workspace(name="Tokens Co")
    api = stack.api(workspace, "live")
    ada, bruno = employee(api, "Ada Token"), employee(api, "Bruno Token")
    room_x, room_y = unique("room-x"), unique("room-y")
    thread_x = thread_open(api, room_x, bruno, "In room X.")
    thread_y = thread_open(api, room_y, bruno, "In room Y.")
    token = room_token(api, room_x, ada)

    # Its own room, and nothing of another.
    assert as_token(stack, token, "GET", f"/v1/rooms/{room_x}").json()["threads"][0]["id"] == thread_x["id"]
    for path in (
        f"/v1/rooms/{room_y}",
        f"/v1/rooms/{room_y}/threads",
        f"/v1/threads/{thread_y['id']}",
        f"/v1/threads/{thread_y['id']}/comments",
    ):
        refused = as_token(stack, token, "GET", path)
        assert (refused.status_code, refused.json()["error"]["code"]) == (404, "not_found"), (path, refused.text)
    comment_y = thread_y["comments"][0]["id"]
    refused = as_token(stack, token, "POST", f"/v1/comments/{comment_y}/reactions", json={"emoji": "👍"})
    assert refused.status_code == 404, refused.text
    assert as_token(stack, token, "POST", f"/v1/rooms/{room_y}/tokens", json={"user_id": ada}).status_code == 403

    # As its user: writing as itself works, as anyone else is a 403.
    mine = as_token(stack, token, "POST", f"/v1/threads/{thread_x['id']}/comments", json={"body": "Mine."})
    assert (mine.status_code, mine.json()["author_id"]) == (201, ada), mine.text
    for method, path, body in (
        ("POST", f"/v1/threads/{thread_x['id']}/comments", {"body": "Forged.", "author_id": bruno}),
        ("POST", f"/v1/rooms/{room_x}/threads", {"comment": {"body": "Forged.", "author_id": bruno}}),
        ("POST", f"/v1/comments/{thread_x['comments'][0]['id']}/reactions", {"emoji": "👍", "user_id": bruno}),
        ("PATCH", f"/v1/threads/{thread_x['id']}", {"resolved": True, "resolved_by": bruno}),
        ("DELETE", f"/v1/comments/{thread_x['comments'][0]['id']}", None),  # Bruno's comment
    ):
        refused = as_token(stack, token, method, path, json=body)
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "permission_denied"), (
            path,
            refused.text,
        )
    bodies = [c["body"] for c in api.get(f"/v1/threads/{thread_x['id']}")["comments"]]
    assert bodies == ["In room X.", "Mine."], bodies

    # Expired: refused by REST and by the socket; the same mint with time left passes.
    fresh = mint_directly(stack, workspace_id=workspace.id, room_id=room_x, user_id=ada, ttl_seconds=300)
    expired = mint_directly(stack, workspace_id=workspace.id, room_id=room_x, user_id=ada, ttl_seconds=-1)
    assert as_token(stack, fresh, "GET", f"/v1/rooms/{room_x}").status_code == 200
    refused = as_token(stack, expired, "GET", f"/v1/rooms/{room_x}")
    assert (refused.status_code, refused.json()["error"]["code"]) == (401, "unauthenticated"), refused.text
    error, code = socket_refusal(stack, expired)
    assert (error["type"], error["code"], code) == ("error", "unauthenticated", 4401), (error, code)


def socket_url(stack) -> str:
    return stack.url.replace("http://", "ws://") + "/v1/realtime"


def socket_refusal(stack, token: str) -> tuple[dict, int]:
    with connect(socket_url(stack), origin=stack.url) as socket:
        socket.send(json.dumps({"type": "auth", "token": token}))
        error = json.loads(socket.recv(timeout=10))
        try:
            socket.recv(timeout=10)
        except ConnectionClosed as closed:
            return error, closed.rcvd.code
    raise AssertionError("the socket stayed open")


@contextmanager
def room_socket(stack, token: str) -> Iterator[ClientConnection]:
    """A socket authenticated in its room, past `ready` and the presence pushes it set off."""
    with connect(socket_url(stack), origin=stack.url) as socket:
        socket.send(json.dumps({"type": "auth", "token": token}))
        ready = json.loads(socket.recv(timeout=10))
        assert ready["type"] == "ready", ready
        received_within(socket, 0.3)
        yield socket


def received_within(socket: ClientConnection, seconds: float) -> list[dict]:
    messages = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            messages.append(json.loads(socket.recv(timeout=left)))
        except TimeoutError:
            break
    return messages


def until_type(socket: ClientConnection, wanted: str, seconds: float = 10) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        message = json.loads(socket.recv(timeout=max(deadline - time.monotonic(), 0)))
        if message["type"] == wanted:
            return message


def test_sockets_of_another_workspace_or_environment_on_the_same_room_id_receive_nothing(stack):
    room_id = unique("shared-room")
    home = stack.create_workspace(name="Home Co")
    live, test_env = stack.api(home, "live"), stack.api(home, "test")
    other = stack.api(stack.create_workspace(name="Other Co"), "live")
    author = employee(live, "Ada Home")
    tokens = {
        "home live": room_token(live, room_id, author),
        "home test": room_token(test_env, room_id, employee(test_env, "Tess Test")),
        "other workspace": room_token(other, room_id, employee(other, "Otto Other")),
    }

    with ExitStack() as opened:
        sockets = {name: opened.enter_context(room_socket(stack, token)) for name, token in tokens.items()}
        thread = thread_open(live, room_id, author, "Only for Home Co, live.")
        pushed = until_type(sockets["home live"], "comment.created")
        assert pushed["data"]["thread_id"] == thread["id"], pushed
        time.sleep(QUIET_SECONDS)  # the client reads in the background: whatever came is queued by now
        heard = {name: received_within(sockets[name], 0.05) for name in tokens if name != "home live"}
    assert heard == {"home test": [], "other workspace": []}, heard

    # And a page of another origin cannot open the socket at all.
    try:
        with connect(socket_url(stack), origin="http://evil.example"):
            refused_with = None
    except InvalidStatus as refused:
        refused_with = refused.response.status_code
    assert refused_with == 403
