"""Staff manage endpoints and look into events, deliveries and attempts in the admin, through
the same services as the API, and only within their own workspaces."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from pulsehr.tenancy.context import SYSTEM, Tenant
from pulsehr.tenancy.models import Membership
from tests.staff import member_client
from webhooks import services
from webhooks.delivery import endpoint_disable
from webhooks.models import Delivery, Event, WebhookEndpoint
from webhooks.outbox import event_record

pytestmark = pytest.mark.django_db

ENDPOINT_ADD = reverse("admin:webhooks_webhookendpoint_add")
ENDPOINTS = reverse("admin:webhooks_webhookendpoint_changelist")
EVENTS = reverse("admin:webhooks_event_changelist")
DELIVERIES = reverse("admin:webhooks_delivery_changelist")


@pytest.fixture
def hr_client(workspace):
    return member_client(workspace, "hr")


def make_endpoint(workspace, environment="live", **kwargs):
    kwargs.setdefault("url", "https://hooks.example.com/pulse")
    kwargs.setdefault("enabled_events", ["*"])
    return services.endpoint_create(tenant=Tenant(workspace, environment), **kwargs)


def record_ping(workspace, endpoint):
    from django.db import transaction

    with transaction.atomic():
        return event_record(tenant=Tenant(workspace, "live"), type="ping", data={}, actor=SYSTEM, endpoints=[endpoint])


def record_event(workspace, type="employee.created"):
    """An event fanned out to the workspace's subscribed endpoints, as a service records it."""
    from django.db import transaction

    with transaction.atomic():
        return event_record(tenant=Tenant(workspace, "live"), type=type, data={}, actor=SYSTEM)


def test_adding_an_endpoint_goes_through_the_service_and_shows_the_secret_once(hr_client, workspace):
    response = hr_client.post(
        ENDPOINT_ADD,
        {
            "workspace": workspace.pk,
            "environment": "live",
            "url": "https://hooks.example.com/in",
            "description": "CRM sync",
            "enabled_events": ["employee.created", "leave.logged"],
        },
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.enabled_events == ["employee.created", "leave.logged"]
    assert endpoint.secret.startswith("whsec_")
    assert response.content.decode().count(endpoint.secret) == 1  # the response page; see test_admin_signing_secrets
    change_page = hr_client.get(reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk]))
    assert endpoint.secret not in change_page.content.decode()


def test_the_admin_form_refuses_what_the_api_refuses(hr_client, workspace, settings):
    settings.PULSEHR_WEBHOOK_ALLOW_HTTP = False
    response = hr_client.post(
        ENDPOINT_ADD,
        {"workspace": workspace.pk, "environment": "live", "url": "http://10.0.0.1/in", "enabled_events": ["*"]},
    )
    assert response.status_code == 200
    assert "https" in str(response.context["adminform"].form.errors["url"])
    assert not WebhookEndpoint.objects.exists()


def test_changing_an_endpoint_bumps_its_version_and_reenabling_clears_the_reason(hr_client, workspace):
    endpoint = make_endpoint(workspace)
    endpoint_disable(endpoint=endpoint, reason="The endpoint answered 410 Gone.")
    response = hr_client.post(
        reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk]),
        {
            "url": endpoint.url,
            "description": "",
            "enabled_events": ["kudos.awarded"],
            "disabled": "",
            "version": "2",
        },
    )
    assert response.status_code == 302, response.content
    endpoint.refresh_from_db()
    assert endpoint.enabled_events == ["kudos.awarded"]
    assert endpoint.disabled is False and endpoint.disabled_reason == ""
    assert endpoint.version == 3  # disabled by the machinery, then changed here


def test_send_test_and_rotate_actions_use_the_services(hr_client, workspace, django_capture_on_commit_callbacks):
    endpoint = make_endpoint(workspace)
    old_secret = endpoint.secret
    hr_client.post(ENDPOINTS, {"action": "send_test_event", "_selected_action": [endpoint.pk]})
    ping = Event.objects.get(type="ping")
    assert ping.deliveries.get().endpoint == endpoint
    hr_client.post(ENDPOINTS, {"action": "rotate_secret", "_selected_action": [endpoint.pk]})
    endpoint.refresh_from_db()
    assert endpoint.secret != old_secret and endpoint.previous_secret == old_secret


def test_event_and_delivery_replay_actions_queue_new_deliveries(hr_client, workspace):
    endpoint = make_endpoint(workspace)
    event = record_event(workspace)
    first = event.deliveries.get()
    hr_client.post(DELIVERIES, {"action": "replay", "_selected_action": [first.pk]})
    assert event.deliveries.count() == 2
    hr_client.post(EVENTS, {"action": "replay", "_selected_action": [event.pk]})
    assert event.deliveries.count() == 3
    assert set(Delivery.objects.values_list("endpoint_id", flat=True)) == {endpoint.pk}


def test_event_delivery_and_endpoint_pages_render_with_their_history(hr_client, workspace):
    endpoint = make_endpoint(workspace)
    event = record_ping(workspace, endpoint)
    delivery = event.deliveries.get()
    for url in (
        ENDPOINTS,
        EVENTS,
        DELIVERIES,
        reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk]),
        reverse("admin:webhooks_event_change", args=[event.pk]),
        reverse("admin:webhooks_delivery_change", args=[delivery.pk]),
    ):
        response = hr_client.get(url)
        assert response.status_code == 200, url
        assert (
            delivery.pk in response.content.decode()
            or url in (ENDPOINTS, EVENTS)
            or "1 deliveries" in (response.content.decode())
        )


def test_staff_of_one_workspace_see_nothing_of_another(hr_client, other_workspace):
    endpoint = make_endpoint(other_workspace)
    event = record_ping(other_workspace, endpoint)
    delivery = event.deliveries.get()
    for changelist, secret_text in ((ENDPOINTS, endpoint.url), (EVENTS, event.pk), (DELIVERIES, delivery.pk)):
        assert secret_text not in hr_client.get(changelist).content.decode()
    for name, pk in (
        ("webhookendpoint", endpoint.pk),
        ("event", event.pk),
        ("delivery", delivery.pk),
    ):
        response = hr_client.get(reverse(f"admin:webhooks_{name}_change", args=[pk]))
        assert response.status_code == 302  # Django's "doesn't exist" redirect to the admin index
    # Actions on ids outside the workspace do nothing.
    hr_client.post(DELIVERIES, {"action": "replay", "_selected_action": [delivery.pk]})
    hr_client.post(ENDPOINTS, {"action": "rotate_secret", "_selected_action": [endpoint.pk]})
    assert event.deliveries.count() == 1
    assert WebhookEndpoint.objects.get().secret == endpoint.secret


def test_deliveries_and_attempts_cannot_be_edited_or_deleted(hr_client, workspace):
    endpoint = make_endpoint(workspace)
    delivery = record_ping(workspace, endpoint).deliveries.get()
    response = hr_client.post(reverse("admin:webhooks_delivery_change", args=[delivery.pk]), {"status": "succeeded"})
    assert response.status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert hr_client.get(reverse("admin:webhooks_delivery_delete", args=[delivery.pk])).status_code == 403


def test_saving_a_form_opened_before_a_newer_change_saves_nothing_and_says_why(hr_client, workspace):
    endpoint = make_endpoint(workspace)
    form = {"url": endpoint.url, "description": "", "enabled_events": ["*"], "disabled": "", "version": "1"}
    endpoint_disable(endpoint=endpoint, reason="The endpoint answered 410 Gone.")  # after the form opened
    form["description"] = "Changed on a stale page"
    response = hr_client.post(reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk]), form, follow=True)
    assert any("Nothing was saved" in str(message) for message in response.context["messages"])
    endpoint.refresh_from_db()
    assert endpoint.description == ""
    assert endpoint.disabled and endpoint.disabled_reason == "The endpoint answered 410 Gone."


def test_view_only_staff_can_look_but_not_rotate_send_or_replay(workspace):
    user = get_user_model().objects.create_user("viewer", "v@example.test", "pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="webhooks", codename__startswith="view_")
    )
    Membership.objects.create(user=user, workspace=workspace, role="viewer")
    client = Client()
    client.force_login(user)
    endpoint = make_endpoint(workspace)
    event = record_event(workspace)
    assert client.get(ENDPOINTS).status_code == 200
    for changelist, action, pk in (
        (ENDPOINTS, "rotate_secret", endpoint.pk),
        (ENDPOINTS, "send_test_event", endpoint.pk),
        (EVENTS, "replay", event.pk),
        (DELIVERIES, "replay", event.deliveries.get().pk),
    ):
        client.post(changelist, {"action": action, "_selected_action": [pk]})
    endpoint.refresh_from_db()
    assert endpoint.previous_secret == ""
    assert Event.objects.count() == 1 and Delivery.objects.count() == 1
