"""Who gets into /developers, and what they see there: staff of a workspace see its keys and
endpoints only; another workspace's ids answer 404; viewers look but cannot change anything."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse

from pulsehr.tenancy.context import SYSTEM, Tenant
from pulsehr.tenancy.models import ApiKey, Membership
from pulsehr.tenancy.services import api_key_create
from pulsehr.tenancy.staff import SESSION_WORKSPACE
from webhooks import services as webhook_services
from webhooks.models import Delivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

KEYS = reverse("developers:api_keys")
ENDPOINTS = reverse("developers:endpoints")


def make_key(workspace, environment="live", name="backend"):
    return api_key_create(workspace=workspace, environment=environment, scopes="read:*", name=name)[0]


def make_endpoint(workspace, environment="live", url="https://hooks.example.com/pulse"):
    return webhook_services.endpoint_create(tenant=Tenant(workspace, environment), url=url, enabled_events=["*"])


def make_delivery(endpoint):
    with transaction.atomic():
        return webhook_services.endpoint_send_test(
            tenant=Tenant(endpoint.workspace, endpoint.environment), endpoint=endpoint, actor=SYSTEM
        )


def every_page(key, endpoint, delivery):
    """(method, url) of every /developers page about these objects."""
    return [
        ("get", reverse("developers:api_key_revoke", args=[key.pk])),
        ("post", reverse("developers:api_key_revoke", args=[key.pk])),
        ("get", reverse("developers:endpoint", args=[endpoint.pk])),
        ("get", reverse("developers:endpoint_edit", args=[endpoint.pk])),
        ("post", reverse("developers:endpoint_edit", args=[endpoint.pk])),
        ("get", reverse("developers:endpoint_rotate", args=[endpoint.pk])),
        ("post", reverse("developers:endpoint_rotate", args=[endpoint.pk])),
        ("post", reverse("developers:endpoint_disable", args=[endpoint.pk])),
        ("post", reverse("developers:endpoint_enable", args=[endpoint.pk])),
        ("post", reverse("developers:endpoint_test", args=[endpoint.pk])),
        ("get", reverse("developers:delivery", args=[endpoint.pk, delivery.pk])),
        ("post", reverse("developers:delivery_replay", args=[endpoint.pk, delivery.pk])),
    ]


@pytest.mark.parametrize("path", [KEYS, ENDPOINTS, reverse("developers:endpoint_create")])
def test_anonymous_visitors_are_sent_to_the_admin_login_and_back(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={path}"


def test_users_who_are_staff_of_no_workspace_are_told_why_they_cannot_enter(workspace):
    user_model = get_user_model()
    member_not_staff = user_model.objects.create_user("member-not-staff")
    Membership.objects.create(user=member_not_staff, workspace=workspace, role="owner")
    for user in (user_model.objects.create_user("staff-without-workspace", is_staff=True), member_not_staff):
        client = Client()
        client.force_login(user)
        response = client.get(KEYS)
        assert response.status_code == 403
        assert "not a staff member of any workspace" in response.content.decode()
    make_key(workspace)  # nothing of the workspace leaks onto that page
    assert "backend" not in response.content.decode()


def test_staff_see_their_workspaces_keys_and_endpoints_of_both_environments_and_nothing_else(
    hr_client, workspace, other_workspace
):
    own_live, own_test = make_key(workspace, "live", "own-live"), make_key(workspace, "test", "own-test")
    foreign = make_key(other_workspace, "live", "foreign-key")
    live_hook = make_endpoint(workspace, "live", "https://hooks.example.com/own-live")
    test_hook = make_endpoint(workspace, "test", "https://hooks.example.com/own-test")
    make_endpoint(other_workspace, "live", "https://hooks.example.com/foreign")

    keys_page = hr_client.get(KEYS).content.decode()
    assert "own-live" in keys_page and "own-test" in keys_page
    assert own_live.display_prefix in keys_page and own_test.display_prefix in keys_page
    assert "foreign-key" not in keys_page and foreign.display_prefix not in keys_page

    endpoints_page = hr_client.get(ENDPOINTS).content.decode()
    assert live_hook.url in endpoints_page and test_hook.url in endpoints_page
    assert 'class="dev-badge dev-env-live"' in endpoints_page and 'class="dev-badge dev-env-test"' in endpoints_page
    assert "foreign" not in endpoints_page


def test_another_workspaces_keys_endpoints_and_deliveries_answer_404_and_stay_untouched(hr_client, other_workspace):
    key = make_key(other_workspace)
    endpoint = make_endpoint(other_workspace)
    delivery = make_delivery(endpoint)

    for method, path in every_page(key, endpoint, delivery):
        assert getattr(hr_client, method)(path).status_code == 404, (method, path)

    key.refresh_from_db()
    endpoint.refresh_from_db()
    assert key.revoked_at is None
    assert (endpoint.version, endpoint.disabled) == (1, False)
    assert Delivery.objects.count() == 1


def test_a_delivery_of_another_endpoint_is_404_under_ones_own_endpoint(hr_client, workspace, other_workspace):
    own = make_endpoint(workspace)
    foreign_delivery = make_delivery(make_endpoint(other_workspace))
    sibling_delivery = make_delivery(make_endpoint(workspace, "test"))
    for delivery in (foreign_delivery, sibling_delivery):
        assert hr_client.get(reverse("developers:delivery", args=[own.pk, delivery.pk])).status_code == 404
        replay = reverse("developers:delivery_replay", args=[own.pk, delivery.pk])
        assert hr_client.post(replay).status_code == 404
    assert Delivery.objects.count() == 2


def test_viewers_see_everything_but_no_write_buttons_and_every_write_is_403(viewer_client, workspace):
    key = make_key(workspace)
    endpoint = make_endpoint(workspace)
    delivery = make_delivery(endpoint)

    keys_page = viewer_client.get(KEYS)
    assert keys_page.status_code == 200
    html = keys_page.content.decode()
    assert key.display_prefix in html and "read-only" in html
    assert "Create key" not in html and "Revoke" not in html

    endpoint_page = viewer_client.get(reverse("developers:endpoint", args=[endpoint.pk])).content.decode()
    assert endpoint.url in endpoint_page and delivery.event_id in endpoint_page
    for label in ("Edit", "Rotate secret", "Send a test event", "Disable"):
        assert f">{label}<" not in endpoint_page
    assert "Add an endpoint" not in viewer_client.get(ENDPOINTS).content.decode()
    delivery_page = viewer_client.get(reverse("developers:delivery", args=[endpoint.pk, delivery.pk]))
    assert delivery_page.status_code == 200 and "Replay" not in delivery_page.content.decode()

    writes = [(m, p) for m, p in every_page(key, endpoint, delivery) if m == "post" or "edit" in p or "rotate" in p]
    writes += [("get", reverse("developers:endpoint_create")), ("post", reverse("developers:endpoint_create"))]
    writes += [("post", KEYS)]
    for method, path in writes:
        response = getattr(viewer_client, method)(path, {"name": "x", "environment": "live", "scopes": ["read:*"]})
        assert response.status_code == 403, (method, path)
        assert "read-only" in response.content.decode()

    key.refresh_from_db()
    endpoint.refresh_from_db()
    assert key.revoked_at is None and ApiKey.objects.count() == 1
    assert (endpoint.version, endpoint.disabled) == (1, False)
    assert WebhookEndpoint.objects.count() == 1 and Delivery.objects.count() == 1


def test_the_workspace_is_the_one_the_session_switched_to(make_staff_client, workspace, other_workspace):
    client, user = make_staff_client(workspace, "hr")
    Membership.objects.create(user=user, workspace=other_workspace, role="viewer")
    make_key(workspace, name="first-workspace-key")
    make_key(other_workspace, name="second-workspace-key")

    session = client.session
    session[SESSION_WORKSPACE] = other_workspace.pk
    session.save()
    html = client.get(KEYS).content.decode()
    assert "second-workspace-key" in html and "first-workspace-key" not in html
    assert "read-only" in html  # the role is the one held in that workspace


@pytest.mark.parametrize(
    "typed, target, status",
    [
        ("/developers/", "/developers", 301),
        ("/developers/webhooks/?environment=test", "/developers/webhooks?environment=test", 301),
        ("/ecosystem/", "/ecosystem", 301),
    ],
)
def test_a_trailing_slash_leads_to_the_page(client, typed, target, status):
    response = client.get(typed)
    assert (response.status_code, response["Location"]) == (status, target)


def test_a_form_posted_to_a_trailing_slash_keeps_its_method():
    response = Client().post("/developers/webhooks/new/", {"url": "https://hooks.example.com"})
    assert (response.status_code, response["Location"]) == (308, "/developers/webhooks/new")
