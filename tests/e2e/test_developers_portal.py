"""/developers and /ecosystem in a real browser: an integrator mints a key and sees its secret
once, uses it against /v1 and revokes it; wires a webhook endpoint to a local receiver, sends a
test event, reads the delivery log and replays a delivery; and anyone reads the event catalogue
and the API reference, served without a CDN."""

import json
import re
import socket
from urllib.parse import urlsplit

import requests
from playwright.sync_api import expect

from webhooks.catalogue import EVENT_TYPES

from ..live.webhook_stack import verify_both
from .browser import MOBILE, login
from .pages import reload_until

SECRET_SHOWN_ONCE = "shown only this once"


def test_an_api_key_is_minted_shown_once_works_against_v1_and_answers_401_once_revoked(stack, page, shot):
    workspace = stack.create_workspace(name="Keys Co")
    stack.api(workspace, "live").post("/v1/employees", {"full_name": "Liam Live", "start_date": "2024-01-02"})
    tess = stack.api(workspace, "test").post("/v1/employees", {"full_name": "Tess Test", "start_date": "2024-01-02"})
    login(page, stack.create_staff_user(workspace, "hr"))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=stack.url)

    page.goto("/developers")
    expect(page.locator("#keys-heading")).to_contain_text("Keys of Keys Co")
    shot(page, "keys")

    page.fill("#id_name", "Payroll sync")
    page.get_by_role("radio", name="Test").check()
    page.get_by_role("checkbox", name="read:employees", exact=True).check()
    page.get_by_label("Acts as").select_option(tess.json()["id"])  # offered under "Test", with the live people
    page.click("input[type=submit][value='Create key']")

    secret_box = page.locator(".dev-secret")
    expect(secret_box).to_contain_text(SECRET_SHOWN_ONCE)
    secret = page.locator("#new-key-secret").input_value()
    assert secret.startswith("pk_test_"), secret
    page.click(".dev-secret .dev-copy-button")
    expect(secret_box.locator(".dev-copy-status")).to_have_text("Copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == secret
    shot(page, "key-minted")

    # The secret works against /v1 on its environment's data, within its scopes and only within them.
    bearer = {"Authorization": f"Bearer {secret}"}
    listed = requests.get(f"{stack.url}/v1/employees", headers=bearer, timeout=30)
    assert listed.status_code == 200, listed.text
    assert [person["full_name"] for person in listed.json()["data"]] == ["Tess Test"]
    refused = requests.post(f"{stack.url}/v1/employees", json={"full_name": "X"}, headers=bearer, timeout=30)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "permission_denied")

    # Opened again, the page lists the key but never shows the secret.
    page.goto("/developers")
    expect(page.locator(".dev-secret")).to_have_count(0)
    assert secret not in page.content()
    row = page.locator(".dev-table tbody tr", has_text="Payroll sync")
    expect(row.locator("[data-label=Environment]")).to_have_text("Test")
    expect(row.locator("[data-label=Scopes]")).to_have_text("read:employees")
    expect(row.locator("[data-label='Acts as']")).to_contain_text("Tess Test")
    prefix = row.locator("[data-label=Key]").inner_text().rstrip("…")
    assert secret.startswith(prefix) and len(prefix) < len(secret) / 2, prefix
    expect(row.locator("[data-label='Last used']")).not_to_have_text("never")
    expect(row.locator("[data-label=Status]")).to_have_text("active")
    shot(page, "keys-after-reload")

    row.locator("a.button", has_text="Revoke").click()
    expect(page.locator("#revoke-heading")).to_contain_text("Payroll sync")
    shot(page, "revoke-confirm")
    page.click("input[type=submit][value='Yes, revoke the key']")
    expect(page.locator(".messagelist .success")).to_contain_text("is revoked")
    expect(row.locator("[data-label=Status]")).to_contain_text("revoked")
    expect(row.locator("a.button", has_text="Revoke")).to_have_count(0)
    shot(page, "key-revoked")

    gone = requests.get(f"{stack.url}/v1/employees", headers=bearer, timeout=30)
    assert (gone.status_code, gone.json()["error"]["code"]) == (401, "unauthenticated")


def test_a_webhook_endpoint_gets_a_signed_test_event_logged_with_its_attempt_and_a_replay(stack, page, shot):
    workspace = stack.create_workspace(name="Hooks Co")
    stack.ensure_worker()
    path = stack.receiver.new_path()
    login(page, stack.create_staff_user(workspace, "hr"))

    page.goto("/developers/webhooks")
    expect(page.locator(".dev-empty")).to_have_text("No webhook endpoints yet.")
    shot(page, "no-endpoints")
    page.click("a.button:text-is('Add an endpoint')")
    page.get_by_role("radio", name="Live").check()
    page.fill("#id_url", stack.receiver.url(path))
    page.fill("#id_description", "Local receiver")
    shot(page, "new-endpoint-form")
    page.click("input[type=submit][value='Create endpoint']")

    expect(page.locator(".dev-secret")).to_contain_text(SECRET_SHOWN_ONCE)
    expect(page.locator(".dev-secret .dev-copy-button")).to_be_visible()
    secret = page.locator("#endpoint-secret").input_value()
    assert secret.startswith("whsec_"), secret
    shot(page, "endpoint-secret")
    page.click("a.button:has-text('Done: go to the endpoint')")

    endpoint_url = page.url
    assert secret not in page.content()
    expect(page.locator(".dev-empty")).to_contain_text("Nothing delivered yet.")
    shot(page, "endpoint-empty-log")
    page.click("button:text-is('Send a test event')")
    expect(page.locator(".messagelist .success")).to_contain_text("A test event (ping) is on its way.")

    [request] = stack.receiver.wait_for(path, 1, diagnose=stack.diagnose)
    ping = verify_both(request, secret)
    assert ping["type"] == "ping"
    delivery_id = request.headers["X-Pulse-Delivery"]
    assert delivery_id.startswith("del_")

    # The endpoint's log shows the delivery once the worker has recorded the attempt.
    page.goto(endpoint_url)
    log_row = page.locator("#log-heading ~ .dev-table-wrap tbody tr")
    reload_until(page, log_row.locator("[data-label=Status]"), "Succeeded")
    expect(log_row).to_have_count(1)
    expect(log_row.locator("[data-label=Event]")).to_contain_text("ping")
    expect(log_row.locator("[data-label=Event]")).to_contain_text(ping["id"])
    expect(log_row.locator("[data-label=Attempts]")).to_have_text("1")
    expect(log_row.locator("[data-label=Response]")).to_have_text("200")
    expect(log_row.locator("[data-label=Duration]")).to_contain_text("ms")
    shot(page, "endpoint-log")

    log_row.locator("[data-label=Event] a").click()
    expect(page.locator(".dev-facts")).to_contain_text(delivery_id)
    attempt = page.locator("#attempts-heading ~ .dev-table-wrap tbody tr")
    expect(attempt).to_have_count(1)
    expect(attempt.locator("[data-label='Status code']")).to_have_text("200")
    expect(attempt.locator("[data-label='Response body']")).to_have_text("ok")
    shown_payload = json.loads(page.locator("#payload-heading ~ pre.dev-code").inner_text())
    assert shown_payload == ping
    shot(page, "delivery")

    page.click("button:text-is('Replay to this endpoint')")
    expect(page.locator(".messagelist .success")).to_contain_text("Replayed as a new delivery")
    replay_id = page.locator(".dev-facts dd code").first.inner_text()
    assert replay_id.startswith("del_") and replay_id != delivery_id
    shot(page, "replayed-delivery")

    first, second = stack.receiver.wait_for(path, 2, diagnose=stack.diagnose)
    assert verify_both(second, secret) == ping  # the same event, id and all
    assert second.headers["X-Pulse-Delivery"] == replay_id

    page.goto(endpoint_url)
    reload_until(page, log_row.first.locator("[data-label=Status]"), "Succeeded")
    expect(log_row).to_have_count(2)
    shot(page, "endpoint-log-after-replay")


def test_the_public_event_catalogue_lists_every_type_with_a_sample_and_links_to_the_api_reference(stack, page, shot):
    here = urlsplit(stack.url).netloc
    outside_requests: list[str] = []  # the docs' scripts and styles come from this server, not a CDN
    page.on("request", lambda request: urlsplit(request.url).netloc == here or outside_requests.append(request.url))

    response = page.goto("/ecosystem")
    assert response.status == 200  # no login asked for
    expect(page.locator(".dev-type-index li")).to_have_count(len(EVENT_TYPES))
    for event_type, entry in EVENT_TYPES.items():
        article = page.locator(f"article.dev-event[id='{event_type}']")
        expect(article.locator("h3")).to_have_text(event_type)
        expect(article).to_contain_text(entry.description)
        sample = json.loads(article.locator("pre.dev-code").inner_text())
        assert sample["type"] == event_type and sample["id"].startswith("evt_"), sample
        assert isinstance(sample["data"], dict) and sample["data"], sample
    expect(page.locator(".dev-copy-button").first).to_be_visible()
    shot(page, "ecosystem")

    openapi_link = page.locator(".dev-lead a[href='/v1/openapi.json']")
    expect(openapi_link).to_have_count(1)
    schema = requests.get(f"{stack.url}/v1/openapi.json", timeout=30)
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.1"), schema.text[:200]

    page.click(".dev-lead a[href='/v1/docs']")
    expect(page).to_have_url(f"{stack.url}/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text(schema.json()["info"]["title"])
    expect(page.locator(".swagger-ui .opblock-summary-path[data-path='/v1/employees']").first).to_be_visible()
    shot(page, "api-docs")
    assert outside_requests == [], outside_requests


def test_on_a_phone_the_developer_pages_and_the_catalogue_fit_the_screen_width(stack, mobile_page, shot):
    workspace = stack.create_workspace(name="Pocket Integrations Co")
    api = stack.api(workspace)
    endpoint = api.post(
        "/v1/webhook-endpoints",
        {"url": stack.receiver.url(stack.receiver.new_path()), "enabled_events": ["employee.created"]},
    ).json()
    person = api.post("/v1/employees", {"full_name": "Pia Pocket", "start_date": "2024-01-02"}).json()
    [created] = [e for e in api.get("/v1/events")["data"] if e["data"].get("id") == person["id"]]
    [delivery] = api.get(f"/v1/events/{created['id']}")["deliveries"]
    login(mobile_page, stack.create_staff_user(workspace, "hr"))

    for path, name in [
        ("/developers", "keys"),
        ("/developers/webhooks", "endpoints"),
        (f"/developers/webhooks/{endpoint['id']}", "endpoint"),
        (f"/developers/webhooks/{endpoint['id']}/deliveries/{delivery['id']}", "delivery"),
        ("/developers/webhooks/new", "new-endpoint"),
        ("/ecosystem", "ecosystem"),
    ]:
        mobile_page.goto(path)
        expect(mobile_page.locator("#content")).to_be_visible()
        shot(mobile_page, name)
        # Tables become cards and code scrolls in its own box: the page itself never scrolls sideways.
        page_width = mobile_page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= MOBILE["width"], f"{path} is {page_width}px wide on a {MOBILE['width']}px screen"


def test_a_failing_endpoint_shows_the_error_in_words_and_the_next_retry(stack, page, shot):
    """An endpoint nothing listens on: the worker's attempt fails, and the endpoint's log says so
    in words, with when it will try again (in the workspace's time zone, named) while it retries."""
    workspace = stack.create_workspace(name="Failing Co", timezone="Europe/Rome")
    stack.ensure_worker()
    with socket.socket() as probe:  # a port nothing listens on: the connection is refused
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    api = stack.api(workspace)
    endpoint = api.post(
        "/v1/webhook-endpoints", {"url": f"http://127.0.0.1:{closed_port}/hook", "enabled_events": ["employee.created"]}
    ).json()
    api.post(f"/v1/webhook-endpoints/{endpoint['id']}/test", expect=202)
    login(page, stack.create_staff_user(workspace, "hr"))

    page.goto(f"/developers/webhooks/{endpoint['id']}")
    row = page.locator("#log-heading ~ .dev-table-wrap tbody tr").first
    reload_until(page, row.locator("[data-label=Response]"), "refused")
    status = row.locator("[data-label=Status]").inner_text()
    next_retry = row.locator("[data-label='Next retry']").inner_text()
    if "Retrying" in status or "Pending" in status:  # the schedule here is seconds long: it may be over
        assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d CES?T", next_retry), next_retry
    else:
        assert "Failed" in status and next_retry == "—", (status, next_retry)
    assert row.locator("[data-label=Response]").inner_text() == (
        "Could not connect: the connection was refused or the host is unreachable."
    )
    shot(page, "failing-endpoint")
