"""/v1/events through HTTP with real keys: the event log with its filters, an event with its
deliveries and their attempts, and replays."""

from datetime import UTC, datetime

import pytest

from webhooks import delivery as engine
from webhooks.models import Delivery, Event, WebhookEndpoint
from webhooks.representations import event_as_dict

pytestmark = pytest.mark.django_db

NEW_EMPLOYEE = {"full_name": "Eve", "start_date": "2024-01-01"}


def error(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


def make_endpoint(api, enabled_events=("*",), url="https://hooks.example.com/pulse"):
    response = api.post("/v1/webhook-endpoints", {"url": url, "enabled_events": list(enabled_events)})
    assert response.status_code == 201, response.content
    return response.json()


def hire(api, name="Eve"):
    response = api.post("/v1/employees", {**NEW_EMPLOYEE, "full_name": name})
    assert response.status_code == 201, response.content
    return response.json()


def event_of(employee_id, type="employee.created"):
    return Event.objects.get(type=type, data__id=employee_id)


# --- The log ---------------------------------------------------------------------------------


def test_the_event_list_shows_each_event_as_webhooks_deliver_it(api):
    employee = hire(api)
    body = api.get("/v1/events").json()
    assert body["total_count"] == 1 and body["next_cursor"] is None
    (shown,) = body["data"]
    event = Event.objects.get()
    assert shown == {"id": event.pk, "type": "employee.created", "created_at": shown["created_at"], "data": employee}
    assert shown["id"].startswith("evt_") and shown["created_at"].endswith("Z")
    assert shown == event_as_dict(vars(event))


def test_the_event_list_is_cursor_paginated_in_creation_order(api):
    ids = [hire(api, name=f"P{n}")["id"] for n in range(3)]
    first = api.get("/v1/events", {"limit": 2}).json()
    second = api.get("/v1/events", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [e["data"]["id"] for e in first["data"] + second["data"]] == ids
    assert first["total_count"] == 3 and second["next_cursor"] is None


def test_events_filter_by_type(api):
    employee = hire(api)
    api.delete(f"/v1/employees/{employee['id']}")
    offboarded = api.get("/v1/events", {"type": "employee.offboarded"}).json()
    assert [e["type"] for e in offboarded["data"]] == ["employee.offboarded"] and offboarded["total_count"] == 1
    assert api.get("/v1/events", {"type": "kudos.awarded"}).json()["total_count"] == 0


def test_events_filter_by_created_after_inclusive_and_created_before_exclusive(api):
    old, middle, new = (hire(api, name=name) for name in ("Old", "Middle", "New"))
    instants = {
        old["id"]: datetime(2024, 1, 1, tzinfo=UTC),
        middle["id"]: datetime(2024, 2, 1, tzinfo=UTC),
        new["id"]: datetime(2024, 3, 1, tzinfo=UTC),
    }
    for employee_id, instant in instants.items():
        Event.objects.filter(data__id=employee_id).update(created_at=instant)

    def names(params):
        return [e["data"]["full_name"] for e in api.get("/v1/events", params).json()["data"]]

    assert names({"created_after": "2024-02-01T00:00:00Z"}) == ["Middle", "New"]
    assert names({"created_before": "2024-02-01T00:00:00Z"}) == ["Old"]
    assert names({"created_after": "2024-01-15T00:00:00Z", "created_before": "2024-02-15"}) == ["Middle"]
    assert names({"created_after": "2024-02-01T01:00:00+01:00"}) == ["Middle", "New"]


@pytest.mark.parametrize("param", ["created_after", "created_before"])
@pytest.mark.parametrize("value", ["yesterday", "2024-13-01T00:00:00Z", "0001-01-01T00:00:00+01:00"])
def test_a_bad_datetime_filter_is_400_naming_it(api, param, value):
    problem = error(api.get("/v1/events", {param: value}), 400)
    assert (problem["code"], problem["fields"]) == ("invalid_request", [param])


def test_events_cannot_be_written_through_the_api(api):
    hire(api)
    event = Event.objects.get()
    assert error(api.post("/v1/events", {"type": "ping", "data": {}}), 405)["code"] == "method_not_allowed"
    assert error(api.patch(f"/v1/events/{event.pk}", {"type": "ping"}), 405)["code"] == "method_not_allowed"
    assert error(api.delete(f"/v1/events/{event.pk}"), 405)["code"] == "method_not_allowed"
    assert Event.objects.get().type == "employee.created"


# --- One event -------------------------------------------------------------------------------


def test_an_event_shows_its_deliveries_with_their_attempts(api, settings, monkeypatch):
    endpoint = make_endpoint(api)
    employee = hire(api)
    event = event_of(employee["id"])
    delivery = Delivery.objects.get()
    monkeypatch.setattr(
        "webhooks.delivery.transport.post",
        lambda url, body, headers: engine.transport.SendResult(status_code=500, duration_ms=12, response_body="oops"),
    )
    engine.delivery_attempt(delivery.pk)

    response = api.get(f"/v1/events/{event.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert {k: body[k] for k in ("id", "type", "data")} == {
        "id": event.pk,
        "type": "employee.created",
        "data": employee,
    }
    (shown,) = body["deliveries"]
    assert (shown["id"], shown["event_id"], shown["endpoint_id"]) == (delivery.pk, event.pk, endpoint["id"])
    assert (shown["url"], shown["status"], shown["attempt_count"]) == (endpoint["url"], "pending", 1)
    assert shown["last_status_code"] == 500 and shown["next_attempt_at"] is not None
    assert shown["completed_at"] is None and shown["failure_reason"] == ""
    (attempt,) = shown["attempts"]
    assert {k: attempt[k] for k in ("number", "status_code", "response_body", "duration_ms", "error", "succeeded")} == {
        "number": 1,
        "status_code": 500,
        "response_body": "oops",
        "duration_ms": 12,
        "error": "",
        "succeeded": False,
    }
    assert attempt["started_at"].endswith("Z")


def test_an_event_without_subscribers_has_no_deliveries(api):
    hire(api)
    assert api.get(f"/v1/events/{Event.objects.get().pk}").json()["deliveries"] == []


def test_an_unknown_event_is_404(api):
    assert error(api.get("/v1/events/evt_01J0000000000000000000000Z"), 404)["code"] == "not_found"
    assert error(api.post("/v1/events/evt_01J0000000000000000000000Z/replay"), 404)["code"] == "not_found"


# --- Replays ---------------------------------------------------------------------------------


def test_a_replay_is_201_with_a_new_delivery_to_every_enabled_subscriber(api):
    everything = make_endpoint(api, ["*"])
    hires = make_endpoint(api, ["employee.created"])
    make_endpoint(api, ["kudos.awarded"])
    disabled = make_endpoint(api, ["*"])
    api.patch(f"/v1/webhook-endpoints/{disabled['id']}", {"disabled": True})
    event = event_of(hire(api)["id"])
    first = set(Delivery.objects.values_list("pk", flat=True))

    response = api.post(f"/v1/events/{event.pk}/replay")
    assert response.status_code == 201, response.content
    replayed = response.json()["data"]
    assert sorted(d["endpoint_id"] for d in replayed) == sorted([everything["id"], hires["id"]])
    assert all(d["event_id"] == event.pk and d["status"] == "pending" and d["attempts"] == [] for d in replayed)
    assert not first & {d["id"] for d in replayed}, "a replay is a delivery of its own"
    assert Delivery.objects.count() == 4
    assert Event.objects.count() == 1, "a replay records no new event"


def test_a_replay_to_one_endpoint_delivers_to_it_alone_even_if_it_does_not_subscribe(api):
    make_endpoint(api, ["*"])
    other = make_endpoint(api, ["kudos.awarded"])
    event = event_of(hire(api)["id"])
    response = api.post(f"/v1/events/{event.pk}/replay", {"endpoint_id": other["id"]})
    assert response.status_code == 201, response.content
    assert [d["endpoint_id"] for d in response.json()["data"]] == [other["id"]]


def test_a_replay_to_a_disabled_endpoint_is_422(api):
    endpoint = make_endpoint(api)
    event = event_of(hire(api)["id"])
    api.patch(f"/v1/webhook-endpoints/{endpoint['id']}", {"disabled": True})
    problem = error(api.post(f"/v1/events/{event.pk}/replay", {"endpoint_id": endpoint["id"]}), 422)
    assert problem["fields"] == ["endpoint_id"]
    assert Delivery.objects.count() == 1


def test_a_replay_to_an_unknown_or_another_tenants_endpoint_is_422(api, outsiders):
    event = event_of(hire(api)["id"])
    foreign = [make_endpoint(outsider)["id"] for outsider in outsiders.values()]
    for endpoint_id in ["whe_01J0000000000000000000000Z", "nonsense", *foreign]:
        problem = error(api.post(f"/v1/events/{event.pk}/replay", {"endpoint_id": endpoint_id}), 422)
        assert (problem["code"], problem["fields"]) == ("unprocessable_entity", ["endpoint_id"]), endpoint_id
    assert not Delivery.objects.exists()


def test_a_replay_with_no_subscriber_and_no_endpoint_id_is_422(api):
    make_endpoint(api, ["kudos.awarded"])
    event = event_of(hire(api)["id"])
    problem = error(api.post(f"/v1/events/{event.pk}/replay"), 422)
    assert problem["code"] == "unprocessable_entity"
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("body,field", [({"endpoint": "whe_x"}, "endpoint"), ({"endpoint_id": 5}, "endpoint_id")])
def test_a_malformed_replay_body_is_400(api, body, field):
    make_endpoint(api)
    event = event_of(hire(api)["id"])
    assert error(api.post(f"/v1/events/{event.pk}/replay", body), 400)["fields"] == [field]
    assert Delivery.objects.count() == 1


def test_a_replay_queues_its_deliveries_once_the_request_commits(api, queued, django_capture_on_commit_callbacks):
    make_endpoint(api)
    event = event_of(hire(api)["id"])
    with django_capture_on_commit_callbacks(execute=True):
        replayed = api.post(f"/v1/events/{event.pk}/replay").json()["data"]
    assert queued == [("webhooks.tasks.deliver", replayed[0]["id"])]


def test_a_replay_of_an_event_whose_endpoint_was_deleted_reaches_the_remaining_subscribers(api):
    gone, kept = make_endpoint(api), make_endpoint(api)
    event = event_of(hire(api)["id"])
    api.delete(f"/v1/webhook-endpoints/{gone['id']}")
    assert not WebhookEndpoint.objects.filter(pk=gone["id"]).exists()
    assert [d["endpoint_id"] for d in api.post(f"/v1/events/{event.pk}/replay").json()["data"]] == [kept["id"]]
    assert len(api.get(f"/v1/events/{event.pk}").json()["deliveries"]) == 2
