"""/v1/webhook-endpoints through HTTP with real keys: creation and its secret (shown once),
the URL and event rules, reads, updates with optimistic locking, deletion, secret rotation
and test sends."""

import base64
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from webhooks.models import Delivery, Event, WebhookEndpoint

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.com/pulse"


def error(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


def create(api, **overrides):
    response = api.post("/v1/webhook-endpoints", {"url": URL, "enabled_events": ["employee.created"], **overrides})
    assert response.status_code == 201, response.content
    return response.json()


def assert_is_a_fresh_secret(secret):
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 32


# --- Create ----------------------------------------------------------------------------------


def test_creating_an_endpoint_returns_201_with_the_secret_an_etag_and_a_location(api):
    response = api.post(
        "/v1/webhook-endpoints", {"url": URL, "enabled_events": ["employee.created"], "description": " HRIS sync "}
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert set(created) == {
        "id",
        "url",
        "description",
        "enabled_events",
        "disabled",
        "disabled_reason",
        "disabled_at",
        "previous_secret_expires_at",
        "version",
        "created_at",
        "updated_at",
        "secret",
    }
    assert created["id"].startswith("whe_") and len(created["id"]) == 30
    assert (created["url"], created["description"], created["enabled_events"]) == (
        URL,
        "HRIS sync",
        ["employee.created"],
    )
    assert (created["disabled"], created["disabled_reason"], created["disabled_at"]) == (False, "", None)
    assert created["previous_secret_expires_at"] is None
    assert created["version"] == 1
    assert_is_a_fresh_secret(created["secret"])
    assert response["ETag"] == '"1"'
    assert response["Location"] == f"/v1/webhook-endpoints/{created['id']}"
    row = WebhookEndpoint.objects.get()
    assert (row.workspace_id, row.environment, row.secret) == (api.workspace.pk, "live", created["secret"])


def test_every_endpoint_gets_its_own_secret(api):
    assert create(api)["secret"] != create(api)["secret"]


def test_the_secret_is_never_shown_again(api):
    created = create(api)
    path = f"/v1/webhook-endpoints/{created['id']}"
    shown = [
        api.get(path).json(),
        api.get("/v1/webhook-endpoints").json()["data"][0],
        api.patch(path, {"description": "Renamed"}).json(),
    ]
    for body in shown:
        assert "secret" not in body and "previous_secret" not in body
        assert created["secret"] not in str(body)


def test_enabled_events_may_be_every_type_with_a_star(api):
    assert create(api, enabled_events=["*"])["enabled_events"] == ["*"]


def test_enabled_events_may_list_several_catalogue_types_and_repeats_are_dropped(api):
    events = ["employee.created", "leave.logged", "employee.created", "kudos.awarded"]
    assert create(api, enabled_events=events)["enabled_events"] == ["employee.created", "leave.logged", "kudos.awarded"]


@pytest.mark.parametrize(
    "enabled_events",
    [
        ["employee.hired"],
        ["employee.created", "nonsense"],
        ["ping"],
        [],
        ["*", "employee.created"],
        ["employee.created", "*"],
        "employee.created",
        None,
    ],
)
def test_enabled_events_outside_the_catalogue_or_malformed_are_400(api, enabled_events):
    problem = error(api.post("/v1/webhook-endpoints", {"url": URL, "enabled_events": enabled_events}), 400)
    assert problem["code"] == "invalid_request"
    assert problem["fields"] == ["enabled_events"]
    assert not WebhookEndpoint.objects.exists()


def test_an_event_type_that_is_not_a_string_is_400_naming_its_position(api):
    problem = error(api.post("/v1/webhook-endpoints", {"url": URL, "enabled_events": ["employee.created", 7]}), 400)
    assert problem["fields"] == ["enabled_events.1"]


def test_an_unknown_event_type_is_named_in_the_message(api):
    problem = error(api.post("/v1/webhook-endpoints", {"url": URL, "enabled_events": ["employee.hired"]}), 400)
    assert "employee.hired" in problem["message"]


@pytest.mark.parametrize(
    "url",
    [
        "ftp://hooks.example.com/x",
        "not a url",
        "javascript:alert(1)",
        "https://",
        "/relative/path",
        "",
        "https://h:99999/",
        "https://exa mple.com/hook",
        "https://a..b.example.com/hook",
        "https://" + "a" * 64 + ".example.com/hook",
        "https://user:secret@hooks.example.com/hook",  # credentials would show in logs and lists
        "https://bücher.example/hook",  # the punycode form is asked for
    ],
)
def test_a_url_that_is_not_absolute_http_or_https_is_400(api, url):
    problem = error(api.post("/v1/webhook-endpoints", {"url": url, "enabled_events": ["*"]}), 400)
    assert (problem["code"], problem["fields"]) == ("invalid_request", ["url"])
    assert not WebhookEndpoint.objects.exists()


def test_the_url_is_required(api):
    assert error(api.post("/v1/webhook-endpoints", {"enabled_events": ["*"]}), 400)["fields"] == ["url"]


def test_plain_http_is_refused_unless_the_server_allows_it(api, settings):
    settings.PULSEHR_WEBHOOK_ALLOW_HTTP = False
    problem = error(
        api.post("/v1/webhook-endpoints", {"url": "http://hooks.example.com/", "enabled_events": ["*"]}), 400
    )
    assert problem["fields"] == ["url"] and "https" in problem["message"]
    settings.PULSEHR_WEBHOOK_ALLOW_HTTP = True
    assert create(api, url="http://hooks.example.com/")["url"] == "http://hooks.example.com/"


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.0.0.1/hook",
        "https://192.168.1.20/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://localhost/hook",
        "https://api.localhost/hook",
        "https://0.0.0.0/hook",
    ],
)
def test_a_literal_private_loopback_or_metadata_address_is_422_unless_allowed(api, settings, url):
    settings.PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS = False
    problem = error(api.post("/v1/webhook-endpoints", {"url": url, "enabled_events": ["*"]}), 422)
    assert (problem["code"], problem["fields"]) == ("unprocessable_entity", ["url"])
    assert not WebhookEndpoint.objects.exists()
    settings.PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS = True
    assert create(api, url=url)["url"] == url


def test_unknown_body_keys_are_400(api):
    problem = error(api.post("/v1/webhook-endpoints", {"url": URL, "enabled_events": ["*"], "secret": "mine"}), 400)
    assert problem["fields"] == ["secret"]


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"url": 42}, "url"),
        ({"url": ["https://a.example.com"]}, "url"),
        ({"description": 5}, "description"),
        ({"description": "d" * 501}, "description"),
        ({"url": "https://example.com/" + "a" * 2048}, "url"),
    ],
)
def test_wrong_types_are_400_naming_the_field(api, overrides, field):
    body = {"url": URL, "enabled_events": ["*"], **overrides}
    assert error(api.post("/v1/webhook-endpoints", body), 400)["fields"] == [field]
    assert not WebhookEndpoint.objects.exists()


# --- Read ------------------------------------------------------------------------------------


def test_the_list_is_cursor_paginated_with_a_total_count(api):
    made = [create(api, description=f"n{n}")["id"] for n in range(3)]
    first = api.get("/v1/webhook-endpoints", {"limit": 2}).json()
    assert [row["id"] for row in first["data"]] == made[:2]
    assert first["total_count"] == 3 and first["next_cursor"]
    second = api.get("/v1/webhook-endpoints", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [row["id"] for row in second["data"]] == made[2:]
    assert second["next_cursor"] is None


def test_retrieving_an_endpoint_returns_it_with_its_etag(api):
    created = create(api)
    response = api.get(f"/v1/webhook-endpoints/{created['id']}")
    assert response.status_code == 200
    assert response.json() == {k: v for k, v in created.items() if k != "secret"}
    assert response["ETag"] == '"1"'


def test_an_unknown_endpoint_is_404(api):
    assert error(api.get("/v1/webhook-endpoints/whe_01J0000000000000000000000Z"), 404)["code"] == "not_found"


# --- Update ----------------------------------------------------------------------------------


def test_patch_changes_url_events_and_description_and_bumps_the_version(api):
    created = create(api)
    path = f"/v1/webhook-endpoints/{created['id']}"
    response = api.patch(
        path,
        {"url": "https://new.example.com/h", "enabled_events": ["leave.logged"], "description": "New"},
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 200, response.content
    updated = response.json()
    assert (updated["url"], updated["enabled_events"], updated["description"]) == (
        "https://new.example.com/h",
        ["leave.logged"],
        "New",
    )
    assert updated["version"] == 2 and response["ETag"] == '"2"'
    assert api.get(path).json() == updated
    assert WebhookEndpoint.objects.get().secret == created["secret"]


def test_patch_applies_the_same_url_and_event_rules_as_create(api, settings):
    settings.PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS = False
    path = f"/v1/webhook-endpoints/{create(api)['id']}"
    assert error(api.patch(path, {"url": "ftp://x.example.com"}), 400)["fields"] == ["url"]
    assert error(api.patch(path, {"url": "https://10.0.0.1/"}), 422)["fields"] == ["url"]
    assert error(api.patch(path, {"enabled_events": ["ping"]}), 400)["fields"] == ["enabled_events"]
    assert error(api.patch(path, {"enabled_events": []}), 400)["fields"] == ["enabled_events"]
    assert error(api.patch(path, {"secret": "whsec_x"}), 400)["fields"] == ["secret"]
    assert error(api.patch(path, {"disabled": "yes"}), 400)["fields"] == ["disabled"]
    row = WebhookEndpoint.objects.get()
    assert (row.url, row.enabled_events, row.version) == (URL, ["employee.created"], 1)


def test_a_patch_that_changes_nothing_keeps_the_version(api):
    created = create(api)
    response = api.patch(f"/v1/webhook-endpoints/{created['id']}", {"url": URL})
    assert response.status_code == 200 and response.json()["version"] == 1


def test_disabling_and_re_enabling_an_endpoint(api):
    path = f"/v1/webhook-endpoints/{create(api)['id']}"
    disabled = api.patch(path, {"disabled": True}).json()
    assert disabled["disabled"] is True
    assert disabled["disabled_reason"] == "Disabled by a user."
    assert abs(parse_datetime(disabled["disabled_at"]) - timezone.now()) < timedelta(seconds=10)
    enabled = api.patch(path, {"disabled": False}).json()
    assert (enabled["disabled"], enabled["disabled_reason"], enabled["disabled_at"]) == (False, "", None)
    assert enabled["version"] == 3


def test_re_enabling_clears_the_reason_the_machinery_disabled_it_and_the_failure_streak(api):
    path = f"/v1/webhook-endpoints/{create(api)['id']}"
    WebhookEndpoint.objects.update(
        disabled=True,
        disabled_reason="The endpoint answered 410 Gone.",
        disabled_at=timezone.now(),
        failing_since=timezone.now() - timedelta(days=6),
    )
    assert api.get(path).json()["disabled_reason"] == "The endpoint answered 410 Gone."
    enabled = api.patch(path, {"disabled": False}).json()
    assert (enabled["disabled"], enabled["disabled_reason"], enabled["disabled_at"]) == (False, "", None)
    assert WebhookEndpoint.objects.get().failing_since is None


def test_patch_with_a_stale_if_match_is_409_and_changes_nothing(api):
    path = f"/v1/webhook-endpoints/{create(api)['id']}"
    assert api.patch(path, {"description": "First"}, headers={"If-Match": '"1"'}).status_code == 200
    problem = error(api.patch(path, {"description": "Second"}, headers={"If-Match": '"1"'}), 409)
    assert problem["code"] == "conflict"
    assert WebhookEndpoint.objects.get().description == "First"


def test_delete_is_204_and_then_the_endpoint_is_gone_with_its_deliveries_but_not_its_events(api):
    created = create(api, enabled_events=["*"])
    path = f"/v1/webhook-endpoints/{created['id']}"
    api.post(f"{path}/test")
    assert Delivery.objects.count() == 1
    response = api.delete(path, headers={"If-Match": '"1"'})
    assert response.status_code == 204 and response.content == b""
    assert error(api.get(path), 404)["code"] == "not_found"
    assert error(api.delete(path), 404)["code"] == "not_found"
    assert not WebhookEndpoint.objects.exists() and not Delivery.objects.exists()
    assert Event.objects.filter(type="ping").count() == 1


def test_delete_with_a_stale_if_match_is_409(api):
    path = f"/v1/webhook-endpoints/{create(api)['id']}"
    api.patch(path, {"description": "Changed"})
    assert error(api.delete(path, headers={"If-Match": '"1"'}), 409)["code"] == "conflict"
    assert WebhookEndpoint.objects.exists()


# --- Rotate the secret -----------------------------------------------------------------------


def test_rotating_returns_a_new_secret_and_the_old_one_keeps_signing_for_24_hours(api):
    created = create(api)
    response = api.post(f"/v1/webhook-endpoints/{created['id']}/rotate-secret", headers={"If-Match": '"1"'})
    assert response.status_code == 200, response.content
    rotated = response.json()
    assert_is_a_fresh_secret(rotated["secret"])
    assert rotated["secret"] != created["secret"]
    assert rotated["version"] == 2 and response["ETag"] == '"2"'
    expires = parse_datetime(rotated["previous_secret_expires_at"])
    assert abs(expires - (timezone.now() + timedelta(hours=24))) < timedelta(seconds=10)

    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.signing_secrets(timezone.now()) == [rotated["secret"], created["secret"]]
    assert endpoint.signing_secrets(expires - timedelta(seconds=1)) == [rotated["secret"], created["secret"]]
    assert endpoint.signing_secrets(expires) == [rotated["secret"]]
    assert endpoint.signing_secrets(expires + timedelta(seconds=1)) == [rotated["secret"]]
    assert "secret" not in api.get(f"/v1/webhook-endpoints/{created['id']}").json()


def test_rotating_twice_keeps_only_the_latest_previous_secret(api):
    created = create(api)
    path = f"/v1/webhook-endpoints/{created['id']}/rotate-secret"
    second = api.post(path).json()["secret"]
    third = api.post(path).json()["secret"]
    assert len({created["secret"], second, third}) == 3
    assert WebhookEndpoint.objects.get().signing_secrets(timezone.now()) == [third, second]


def test_rotating_with_a_stale_if_match_is_409_and_keeps_the_secret(api):
    created = create(api)
    api.patch(f"/v1/webhook-endpoints/{created['id']}", {"description": "Changed"})
    response = api.post(f"/v1/webhook-endpoints/{created['id']}/rotate-secret", headers={"If-Match": '"1"'})
    assert error(response, 409)["code"] == "conflict"
    assert WebhookEndpoint.objects.get().secret == created["secret"]


# --- Test sends ------------------------------------------------------------------------------


def test_a_test_send_is_202_with_a_ping_delivery_to_that_endpoint_alone(api):
    target = create(api, enabled_events=["employee.created"])
    bystander = create(api, enabled_events=["*"])
    response = api.post(f"/v1/webhook-endpoints/{target['id']}/test")
    assert response.status_code == 202, response.content
    delivery = response.json()
    event = Event.objects.get()
    assert event.type == "ping"
    assert event.data == {"endpoint_id": target["id"], "message": "A test event from PulseHR."}
    assert event.actor == f"api_key:{api.key.pk}"
    assert delivery["id"].startswith("del_")
    assert (delivery["event_id"], delivery["endpoint_id"], delivery["url"]) == (event.pk, target["id"], URL)
    assert (delivery["status"], delivery["attempt_count"], delivery["attempts"]) == ("pending", 0, [])
    assert delivery["next_attempt_at"] is not None
    assert list(Delivery.objects.values_list("endpoint_id", flat=True)) == [target["id"]]
    assert bystander["id"] not in str(response.content)


def test_a_test_send_to_a_disabled_endpoint_is_422(api):
    created = create(api)
    api.patch(f"/v1/webhook-endpoints/{created['id']}", {"disabled": True})
    problem = error(api.post(f"/v1/webhook-endpoints/{created['id']}/test"), 422)
    assert problem["code"] == "unprocessable_entity"
    assert not Event.objects.exists() and not Delivery.objects.exists()


def test_a_test_send_queues_its_delivery_once_the_request_commits(api, queued, django_capture_on_commit_callbacks):
    created = create(api)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = api.post(f"/v1/webhook-endpoints/{created['id']}/test").json()
    assert queued == [("webhooks.tasks.deliver", delivery["id"])]


@pytest.mark.parametrize("action", ["rotate-secret", "test"])
def test_actions_without_parameters_refuse_unknown_body_keys(api, action):
    endpoint_id = api.post("/v1/webhook-endpoints", {"url": URL, "enabled_events": ["*"]}).json()["id"]
    problem = error(api.post(f"/v1/webhook-endpoints/{endpoint_id}/{action}", {"force": True}), 400)
    assert problem["fields"] == ["force"]


def test_a_new_url_starts_with_a_clean_failure_record(api):
    created = api.post("/v1/webhook-endpoints", {"url": URL, "enabled_events": ["*"]}).json()
    WebhookEndpoint.objects.filter(pk=created["id"]).update(failing_since=timezone.now() - timedelta(days=4))
    assert api.patch(f"/v1/webhook-endpoints/{created['id']}", {"url": URL + "/v2"}).status_code == 200
    assert WebhookEndpoint.objects.get(pk=created["id"]).failing_since is None


def test_a_test_ping_replayed_without_an_endpoint_goes_to_no_subscriber(api):
    tested = api.post("/v1/webhook-endpoints", {"url": URL, "enabled_events": ["*"]}).json()
    api.post("/v1/webhook-endpoints", {"url": URL + "/other", "enabled_events": ["*"]})
    ping = api.post(f"/v1/webhook-endpoints/{tested['id']}/test").json()
    assert error(api.post(f"/v1/events/{ping['event_id']}/replay", {}), 422)["code"] == "unprocessable_entity"
    assert Delivery.objects.filter(event_id=ping["event_id"]).count() == 1
