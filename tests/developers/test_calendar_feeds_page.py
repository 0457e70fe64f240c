"""/developers/calendars: staff make and revoke leave calendar feeds; viewers only look."""

import pytest
from django.test import Client
from django.urls import reverse

from leave.models import CalendarFeed

from ..staff import member_client, switch_to

pytestmark = pytest.mark.django_db

PAGE = reverse("developers:calendar_feeds")


def test_hr_staff_make_a_feed_see_its_url_and_revoke_it(workspace):
    client = member_client(workspace, "hr")
    switch_to(client, workspace)
    response = client.post(
        PAGE, {"name": "Engineering", "environment": "live", "department": "Engineering", "include_days_off": "on"}
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    feed = CalendarFeed.objects.get()
    assert (feed.workspace, feed.environment, feed.department, feed.show_kind) == (
        workspace,
        "live",
        "Engineering",
        False,
    )
    page = response.content.decode()
    url = next(part for part in page.split("<code>") if ".ics" in part).split("</code>")[0]
    path = url[url.index("/calendar/") :]
    assert Client().get(path).status_code == 200
    client.post(reverse("developers:calendar_feed_revoke", args=[feed.pk]))
    assert Client().get(path).status_code == 404


def test_viewers_see_feeds_but_cannot_make_or_revoke_them(workspace):
    client = member_client(workspace, "viewer")
    switch_to(client, workspace)
    assert client.get(PAGE).status_code == 200
    assert client.post(PAGE, {"name": "X", "environment": "live"}).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_another_workspaces_feed_cannot_be_revoked(workspace, other_workspace):
    from leave.feeds import calendar_feed_create
    from pulsehr.tenancy.context import SYSTEM, Tenant

    foreign = calendar_feed_create(tenant=Tenant(other_workspace, "live"), actor=SYSTEM, name="Theirs")
    client = member_client(workspace, "hr")
    switch_to(client, workspace)
    assert client.post(reverse("developers:calendar_feed_revoke", args=[foreign.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None
