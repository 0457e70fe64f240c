"""A signing secret made in the admin (a new endpoint, a rotation) is shown once, in the page
that answers the POST, as /developers does, and never put in a Django message: messages ride
in a signed, not encrypted, cookie, or in the session, and outlive the page."""

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest
from django.urls import reverse

from pulsehr.tenancy.context import Tenant
from tests.staff import member_client
from webhooks import services
from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db

ENDPOINT_ADD = reverse("admin:webhooks_webhookendpoint_add")
ENDPOINTS = reverse("admin:webhooks_webhookendpoint_changelist")
STORAGES = [
    "django.contrib.messages.storage.fallback.FallbackStorage",  # the default: cookie, then session
    "django.contrib.messages.storage.cookie.CookieStorage",
    "django.contrib.messages.storage.session.SessionStorage",
]


@pytest.fixture(params=STORAGES, ids=["fallback", "cookie", "session"])
def hr(request, workspace, settings):
    settings.MESSAGE_STORAGE = request.param
    return member_client(workspace, "hr")


def stored_messages(client) -> str:
    """Everything the client's message storage holds for later pages: the messages cookie,
    decoded as Django reads it, and the whole session."""
    held = []
    cookie = client.cookies.get("messages")
    if cookie and cookie.value:
        held += [str(message) for message in CookieStorage(HttpRequest())._decode(cookie.value) or []]
    session_key = client.cookies.get("sessionid")
    if session_key:
        held += [repr(SessionStore(session_key=session_key.value).load())]
    return "\n".join(held)


def test_a_new_endpoints_secret_is_in_its_page_once_and_in_no_message(hr):
    response = hr.post(ENDPOINT_ADD, {"url": "https://hooks.example.com/in", "enabled_events": ["*"]})
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret not in stored_messages(hr)
    assert response.status_code == 200
    assert response.content.decode().count(endpoint.secret) == 1
    assert endpoint.secret not in hr.get(ENDPOINTS).content.decode()  # the next page shows nothing of it


def test_a_rotated_secret_is_in_the_actions_page_once_and_in_no_message(hr, workspace):
    tenant = Tenant(workspace, "live")
    first = services.endpoint_create(tenant=tenant, url="https://one.example.com/in", enabled_events=["*"])
    second = services.endpoint_create(tenant=tenant, url="https://two.example.com/in", enabled_events=["*"])
    response = hr.post(ENDPOINTS, {"action": "rotate_secret", "_selected_action": [first.pk, second.pk]})
    page = response.content.decode()
    for endpoint in (first, second):
        rotated = WebhookEndpoint.objects.get(pk=endpoint.pk)
        assert rotated.previous_secret == endpoint.secret and rotated.secret != endpoint.secret
        assert rotated.secret not in stored_messages(hr)
        assert response.status_code == 200
        assert page.count(rotated.secret) == 1 and endpoint.secret not in page
        assert rotated.secret not in hr.get(ENDPOINTS).content.decode()
