"""Webhook endpoints on /developers: create, edit, rotate, disable and test them through the
webhooks services, read each endpoint's delivery log and attempts, and replay a delivery."""

import json
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pulsehr.tenancy.context import SYSTEM, Tenant
from webhooks import services as webhook_services
from webhooks.delivery import delivery_attempt
from webhooks.models import Delivery, DeliveryAttempt, Event, WebhookEndpoint
from webhooks.outbox import event_record
from webhooks.representations import event_as_dict

pytestmark = pytest.mark.django_db

CREATE = reverse("developers:endpoint_create")


def secret_in(html: str) -> str:
    found = re.search(r'id="endpoint-secret" class="dev-copy-value" type="text" value="([^"]+)"', html)
    return found.group(1) if found else ""


def create(client, **data):
    data = {
        "environment": "live",
        "url": "https://hooks.example.com/pulse",
        "description": "CRM sync",
        "events_mode": "chosen",
        "enabled_events": ["employee.created", "leave.logged"],
        **data,
    }
    return client.post(CREATE, data)


def errors_of(html: str, element_id: str) -> str:
    found = re.search(rf'<ul class="errorlist" id="{element_id}">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


def make_endpoint(workspace, environment="live", url="https://hooks.example.com/pulse"):
    return webhook_services.endpoint_create(tenant=Tenant(workspace, environment), url=url, enabled_events=["*"])


def test_creating_an_endpoint_shows_its_signing_secret_once(hr_client):
    response = create(hr_client, environment="test")

    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.environment, endpoint.url, endpoint.description) == (
        "test",
        "https://hooks.example.com/pulse",
        "CRM sync",
    )
    assert endpoint.enabled_events == ["employee.created", "leave.logged"]
    assert secret_in(response.content.decode()) == endpoint.secret
    assert "no-store" in response["Cache-Control"]

    detail = hr_client.get(reverse("developers:endpoint", args=[endpoint.pk])).content.decode()
    assert endpoint.secret not in detail
    assert endpoint.secret not in hr_client.get(reverse("developers:endpoints")).content.decode()


def test_all_events_subscribes_to_every_type(hr_client):
    create(hr_client, events_mode="all", enabled_events=[])
    assert WebhookEndpoint.objects.get().enabled_events == ["*"]


def test_the_services_refusals_are_shown_next_to_the_field_at_fault(hr_client, settings):
    settings.PULSEHR_WEBHOOK_ALLOW_HTTP = False
    settings.PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS = False

    plain_http = create(hr_client, url="http://hooks.example.com/pulse")
    assert plain_http.status_code == 400
    assert "url must use https on this server." in errors_of(plain_http.content.decode(), "id_url_error")

    private = create(hr_client, url="https://127.0.0.1/pulse")
    assert "Webhooks cannot be sent to 127.0.0.1" in errors_of(private.content.decode(), "id_url_error")

    no_events = create(hr_client, events_mode="chosen", enabled_events=[])
    html = no_events.content.decode()
    assert "enabled_events must name at least one event type" in errors_of(html, "enabled-events-errors")
    assert errors_of(html, "id_url_error") == ""
    assert 'value="https://hooks.example.com/pulse"' in html  # what was typed is kept

    assert not WebhookEndpoint.objects.exists()


def test_editing_saves_through_the_service_and_a_stale_form_is_refused(hr_client, workspace):
    endpoint = make_endpoint(workspace)
    edit = reverse("developers:endpoint_edit", args=[endpoint.pk])
    form = hr_client.get(edit)
    assert form.status_code == 200 and 'name="version" value="1"' in form.content.decode()

    response = hr_client.post(
        edit,
        {
            "url": "https://hooks.example.com/v2",
            "description": "v2",
            "events_mode": "chosen",
            "enabled_events": ["kudos.awarded"],
            "version": 1,
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("developers:endpoint", args=[endpoint.pk])
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.description, endpoint.enabled_events, endpoint.version) == (
        "https://hooks.example.com/v2",
        "v2",
        ["kudos.awarded"],
        2,
    )

    stale = hr_client.post(
        edit, {"url": "https://hooks.example.com/v3", "description": "", "events_mode": "all", "version": 1}
    )
    assert stale.status_code == 400
    assert "The resource has changed" in stale.content.decode()
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.version) == ("https://hooks.example.com/v2", 2)


def test_rotating_asks_first_then_shows_the_new_secret_once(hr_client, workspace):
    endpoint = make_endpoint(workspace)
    old_secret = endpoint.secret
    rotate = reverse("developers:endpoint_rotate", args=[endpoint.pk])

    assert "Rotate the secret" in hr_client.get(rotate).content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret == old_secret

    response = hr_client.post(rotate)
    endpoint.refresh_from_db()
    assert endpoint.secret != old_secret and endpoint.previous_secret == old_secret
    assert secret_in(response.content.decode()) == endpoint.secret
    assert endpoint.secret not in hr_client.get(reverse("developers:endpoint", args=[endpoint.pk])).content.decode()


def test_disabling_stops_test_sends_and_enabling_allows_them_again(hr_client, workspace):
    endpoint = make_endpoint(workspace)
    detail = reverse("developers:endpoint", args=[endpoint.pk])
    send_test = reverse("developers:endpoint_test", args=[endpoint.pk])

    assert hr_client.post(reverse("developers:endpoint_disable", args=[endpoint.pk]))["Location"] == detail
    endpoint.refresh_from_db()
    assert endpoint.disabled and endpoint.disabled_reason == "Disabled by a user."
    refused = hr_client.post(send_test, follow=True)
    assert "enable it before sending a test event" in refused.content.decode()
    assert not Delivery.objects.exists()

    hr_client.post(reverse("developers:endpoint_enable", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert not endpoint.disabled and endpoint.disabled_reason == ""

    response = hr_client.post(send_test)
    delivery = Delivery.objects.get()
    assert (delivery.endpoint, delivery.event.type, delivery.status) == (endpoint, "ping", "pending")
    assert response["Location"] == reverse("developers:delivery", args=[endpoint.pk, delivery.pk])
    assert delivery.event.actor == f"user:{hr_client.session['_auth_user_id']}"


def test_the_delivery_log_and_detail_show_every_attempt_and_the_payload(hr_client, workspace, receiver):
    receiver.answer("/flaky", status=503, body=b"down for maintenance")
    endpoint = make_endpoint(workspace, url=receiver.url("/flaky"))
    hr_client.post(reverse("developers:endpoint_test", args=[endpoint.pk]))
    delivery = Delivery.objects.get()

    delivery_attempt(delivery.pk)  # what the worker runs: a real POST to the receiver
    receiver.answer("/flaky", status=200, body=b'{"ok": true}')
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.created_at)
    delivery_attempt(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count, delivery.last_status_code) == ("succeeded", 2, 200)

    log = hr_client.get(reverse("developers:endpoint", args=[endpoint.pk])).content.decode()
    row = re.search(r"<tbody>(.*?)</tbody>", log, re.S).group(1)
    assert "ping" in row and delivery.event_id in row and "Succeeded" in row
    assert '<td data-label="Attempts">2</td>' in row and '<td data-label="Response">200</td>' in row
    assert re.search(r'<td data-label="Duration">\d+ ms</td>', row)

    detail = hr_client.get(reverse("developers:delivery", args=[endpoint.pk, delivery.pk])).content.decode()
    attempts = re.search(r'id="attempts-heading".*?<tbody>(.*?)</tbody>', detail, re.S).group(1)
    assert attempts.count("<tr>") == 2
    assert ">503<" in attempts and "down for maintenance" in attempts
    assert ">200<" in attempts and "{&quot;ok&quot;: true}" in attempts
    payload = re.search(r'<pre class="dev-code"[^>]*>(.*?)</pre>', detail.split('id="payload-heading"')[1], re.S)
    event = json.loads(payload.group(1).replace("&quot;", '"').replace("&#x27;", "'"))
    assert event == event_as_dict(vars(Event.objects.get()))


def test_replaying_a_delivery_sends_its_event_again_as_a_new_delivery(hr_client, workspace):
    endpoint = make_endpoint(workspace)
    with transaction.atomic():
        event = event_record(
            tenant=Tenant(workspace, "live"), type="employee.created", data={"id": "emp_x"}, actor=SYSTEM
        )
    first = Delivery.objects.get()

    response = hr_client.post(reverse("developers:delivery_replay", args=[endpoint.pk, first.pk]))

    replayed = Delivery.objects.exclude(pk=first.pk).get()
    assert (replayed.event, replayed.endpoint, replayed.status) == (event, endpoint, "pending")
    assert response["Location"] == reverse("developers:delivery", args=[endpoint.pk, replayed.pk])
    log = hr_client.get(reverse("developers:endpoint", args=[endpoint.pk])).content.decode()
    for delivery in (first, replayed):  # the same event twice, told apart by the delivery id
        assert f'<span aria-hidden="true">…{delivery.pk[-8:]}</span>' in log


def test_the_delivery_log_is_paginated_newest_first(hr_client, workspace):
    endpoint = make_endpoint(workspace)
    tenant = Tenant(workspace, "live")
    deliveries = [
        webhook_services.endpoint_send_test(tenant=tenant, endpoint=endpoint, actor=SYSTEM) for _ in range(27)
    ]
    detail = reverse("developers:endpoint", args=[endpoint.pk])

    def listed(page):
        html = hr_client.get(detail, {"page": page}).content.decode()
        return re.findall(r"/deliveries/(del_\w+)\"", html)

    newest_first = [d.pk for d in reversed(deliveries)]
    assert listed(1) == newest_first[:25]
    assert listed(2) == newest_first[25:]
    assert "Page 2 of 2" in hr_client.get(detail, {"page": 2}).content.decode()


def test_replaying_to_a_disabled_endpoint_is_refused_with_the_reason(hr_client, workspace):
    endpoint = make_endpoint(workspace)
    delivery = webhook_services.endpoint_send_test(tenant=Tenant(workspace, "live"), endpoint=endpoint, actor=SYSTEM)
    webhook_services.endpoint_update(tenant=Tenant(workspace, "live"), endpoint=endpoint, disabled=True)

    response = hr_client.post(reverse("developers:delivery_replay", args=[endpoint.pk, delivery.pk]), follow=True)

    assert "enable it before replaying to it" in response.content.decode()
    assert Delivery.objects.count() == 1


def rows_by_delivery(html: str) -> dict[str, str]:
    return {
        found.group(1): row
        for row in re.findall(r"<tr>.*?</tr>", html, re.S)
        if (found := re.search(r"/deliveries/(del_\w+)\"", row))
    }


def test_a_failing_delivery_shows_its_last_error_in_words_and_its_next_retry(hr_client, workspace):
    """What the worker recorded, as the log shows it: a connection error in its own words with
    the next retry, a status code with its phrase, and nothing alarming for a success. The list
    shows the share of the last 24 hours' attempts that succeeded; older attempts do not count."""
    endpoint = make_endpoint(workspace)
    tenant = Tenant(workspace, "live")
    refused, server_error, delivered, yesterday = (
        webhook_services.endpoint_send_test(tenant=tenant, endpoint=endpoint, actor=SYSTEM) for _ in range(4)
    )
    now = timezone.now()
    retry_at = now + timedelta(minutes=5)
    outcomes = [
        (refused, {"error": "Connection refused by hooks.example.com."}, {"next_attempt_at": retry_at}),
        (server_error, {"status_code": 500}, {"status": "failed", "last_status_code": 500, "next_attempt_at": None}),
        (delivered, {"status_code": 200, "succeeded": True}, {"status": "succeeded", "last_status_code": 200}),
        (yesterday, {"status_code": 503, "started_at": now - timedelta(hours=25)}, {"status": "failed"}),
    ]
    for delivery, attempt, state in outcomes:
        DeliveryAttempt.objects.create(delivery=delivery, number=1, **{"started_at": now, **attempt})
        Delivery.objects.filter(pk=delivery.pk).update(attempt_count=1, **state)

    rows = rows_by_delivery(hr_client.get(reverse("developers:endpoint", args=[endpoint.pk])).content.decode())
    assert "Connection refused by hooks.example.com." in rows[refused.pk]
    # In the workspace's time zone, named.
    local = timezone.localtime(retry_at, ZoneInfo(workspace.timezone))
    assert local.strftime("%Y-%m-%d %H:%M:%S %Z") in rows[refused.pk]
    assert "HTTP 500 Internal Server Error" in rows[server_error.pk]
    assert '<td data-label="Response">200</td>' in rows[delivered.pk]
    assert "HTTP 503 Service Unavailable" in rows[yesterday.pk]
    listing = hr_client.get(reverse("developers:endpoints")).content.decode()
    assert re.search(r"33%<span class=\"help\"> of 3 attempts</span>", listing)
