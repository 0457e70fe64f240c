"""The public /ecosystem page: every catalogue event type, when it fires, and a sample event
built in memory by the same serializers as the API, plus how to verify signatures."""

import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from webhooks.catalogue import EVENT_TYPES
from webhooks.models import Event
from webhooks.representations import event_as_dict
from webhooks.samples import event_sample

ECOSYSTEM = reverse("developers:ecosystem")

# Which API read each event type's `data` is: the resource as GET returns it.
RESOURCE_OF_TYPE_PREFIX = {
    "employee": "employees",
    "status_log": "status-log",
    "kudos": "kudos",
    "workload": "workload-checkins",
    "leave": "leave",
}
# Event types whose data is another resource than their prefix's.
RESOURCE_OF_TYPE = {"leave.balance_adjusted": "leave/ledger"}


def samples_on_the_page(page: str) -> dict[str, dict]:
    """Event type → the JSON sample printed under it."""
    found = re.findall(r'<pre class="dev-code" id="([\w.]+)-sample"[^>]*>(.*?)</pre>', page, re.S)
    return {event_type: json.loads(html.unescape(text)) for event_type, text in found}


def test_every_catalogue_type_names_a_sample_builder():
    for event_type in EVENT_TYPES:
        sample = event_sample(event_type)
        assert set(sample) == {"id", "type", "created_at", "data"}
        assert sample["type"] == event_type and sample["id"].startswith("evt_")


@pytest.mark.django_db
def test_the_page_is_public_lists_every_type_with_its_sample_and_touches_no_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ECOSYSTEM)

    assert response.status_code == 200
    assert queries.captured_queries == []  # no workspace needed, nothing read or written
    page = response.content.decode()
    samples = samples_on_the_page(page)
    assert list(samples) == list(EVENT_TYPES)
    for event_type, entry in EVENT_TYPES.items():
        assert html.escape(entry.description) in page
        assert samples[event_type] == event_sample(event_type)
    assert 'href="/v1/docs"' in page and 'href="/v1/openapi.json"' in page
    for header in ("X-Pulse-Signature", "X-Pulse-Delivery", "X-Pulse-Event", "webhook-signature"):
        assert header in page


def make_one_of_each(api) -> dict[str, dict]:
    """Real objects made through the API, as a GET of each returns them, by resource path."""
    ada = api.post("/v1/employees", {"full_name": "Ada", "start_date": "2023-01-09"}).json()
    grace = api.post("/v1/employees", {"full_name": "Grace", "start_date": "2023-01-09"}).json()
    made = {
        "employees": ada,
        "status-log": api.post("/v1/status-log", {"employee_id": ada["id"], "lines": ["Shipped it."]}).json(),
        "kudos": api.post(
            "/v1/kudos", {"from_employee_id": grace["id"], "to_employee_id": ada["id"], "coins": 5}
        ).json(),
        "workload-checkins": api.post("/v1/workload-checkins", {"employee_id": ada["id"], "level": "heavy"}).json(),
        "leave": api.post(
            "/v1/leave",
            {"employee_id": ada["id"], "kind": "vacation", "start_date": "2030-03-04", "end_date": "2030-03-05"},
        ).json(),
    }
    made["leave/ledger"] = api.post(
        "/v1/leave/adjustments", {"employee_id": ada["id"], "kind": "vacation", "amount": 1, "reason": "Overtime"}
    ).json()
    read = {}
    for path, created in made.items():
        assert "id" in created, created
        listed = api.get(f"/v1/{path}").json()["data"]
        read[path] = next(row for row in listed if row["id"] == created["id"])
    return read


@pytest.mark.django_db
def test_each_hr_sample_has_the_keys_and_value_types_the_api_returns_for_a_real_object(client, api):
    read = make_one_of_each(api)
    samples = samples_on_the_page(client.get(ECOSYSTEM).content.decode())
    # The collaboration types (thread.*, comment.*, reaction.*) are checked by tests/collab.
    # employee.score_changed carries no employee but a score change (checked by tests/scores).
    hr_types = [
        name
        for name in EVENT_TYPES
        if name.split(".")[0] in RESOURCE_OF_TYPE_PREFIX and name != "employee.score_changed"
    ]
    assert len(hr_types) == 11

    for event_type in hr_types:
        sample = samples[event_type]["data"]
        real = read[RESOURCE_OF_TYPE.get(event_type) or RESOURCE_OF_TYPE_PREFIX[event_type.split(".")[0]]]
        assert list(sample) == list(real), event_type
        for key, value in sample.items():
            if value is not None and real[key] is not None:
                assert type(value) is type(real[key]), (event_type, key)


@pytest.mark.django_db
def test_the_sample_envelope_and_ping_match_real_events(client, api):
    endpoint = api.post("/v1/webhook-endpoints", {"url": "https://hooks.example.com/x", "enabled_events": ["*"]})
    assert api.post(f"/v1/webhook-endpoints/{endpoint.json()['id']}/test").status_code in (200, 201, 202)
    api.post("/v1/employees", {"full_name": "Ada", "start_date": "2023-01-09"})
    samples = samples_on_the_page(client.get(ECOSYSTEM).content.decode())

    for event in Event.objects.all():
        real = api.get(f"/v1/events/{event.pk}").json()
        sample = samples[event.type]
        assert set(sample) <= set(real) and set(sample) == set(event_as_dict(vars(event)))
        # Sets: PostgreSQL's jsonb keeps an event's data keys in its own order.
        assert set(sample["data"]) == set(real["data"]), event.type


def test_a_table_of_contents_links_every_section_and_event_type(client):
    page = client.get(ECOSYSTEM).content.decode()
    toc = re.search(r'<nav class="dev-toc".*?</nav>', page, re.S).group(0)
    targets = re.findall(r'<a href="#([\w.-]+)"', toc)
    assert targets == ["delivery-heading", "types-heading", *EVENT_TYPES]
    for target in targets:
        assert f'id="{target}"' in page
    # Each event type's heading links to itself, for sharing.
    for event_type in EVENT_TYPES:
        assert f'<h3 id="{event_type}-heading"><a href="#{event_type}"' in page
