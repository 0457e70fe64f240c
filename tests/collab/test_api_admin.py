"""HR staff read collaboration threads in the admin, scoped to their current workspace
environment, and delete through the service so the room's sockets and webhooks hear it; the
threads of a PulseHR object are ready for its admin page."""

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from collab.models import RoomEvent, Thread
from collab.selectors import threads_for_object
from pulsehr.tenancy.context import Tenant
from pulsehr.tenancy.models import Membership
from webhooks.models import Event

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:collab_thread_changelist")


def staff_client(workspace, role="hr", username="hr"):
    user = get_user_model().objects.create_user(username, f"{username}@example.test", "pw", is_staff=True)
    Membership.objects.create(user=user, workspace=workspace, role=role)
    client = Client()
    client.force_login(user)
    return client


def test_the_list_shows_the_current_workspace_environments_threads_only(
    workspace, other_workspace, make_api, open_thread, make_employee
):
    mine = open_thread(room="ours", body="Visible here")
    outsider = make_api(other_workspace)
    person = make_employee(workspace=other_workspace)
    theirs = outsider.post("/v1/rooms/theirs/threads", {"comment": {"body": "Secret", "author_id": person.pk}}).json()
    page = staff_client(workspace).get(CHANGELIST)
    assert page.status_code == 200
    content = page.content.decode()
    assert mine["id"] in content and "Visible here" in content
    assert theirs["id"] not in content and "Secret" not in content
    assert staff_client(workspace, username="hr2").get(CHANGELIST, {"q": "ours"}).context["cl"].result_count == 1
    foreign = reverse("admin:collab_thread_change", args=[theirs["id"]])
    assert staff_client(workspace, username="hr3").get(foreign).status_code in (302, 404)


def test_the_thread_page_shows_its_comments(workspace, open_thread):
    thread = open_thread(body="First words")
    page = staff_client(workspace).get(reverse("admin:collab_thread_change", args=[thread["id"]]))
    assert page.status_code == 200
    assert "First words" in page.content.decode()


def test_deleting_in_the_admin_goes_through_the_service(
    workspace, open_thread, broadcasts, django_capture_on_commit_callbacks
):
    thread = open_thread()
    client = staff_client(workspace)
    delete = reverse("admin:collab_thread_delete", args=[thread["id"]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete, {"post": "yes"})
    assert response.status_code == 302
    assert not Thread.objects.exists()
    assert RoomEvent.objects.order_by("sequence").last().type == "thread.deleted"
    event = Event.objects.get(type="thread.deleted")
    assert event.data == thread and event.actor.startswith("user:")
    assert [message["type"] for _, message in broadcasts] == ["thread.deleted"]


def test_the_bulk_delete_action_goes_through_the_service(workspace, open_thread):
    ids = [open_thread(body=f"n{i}")["id"] for i in range(2)]
    client = staff_client(workspace)
    response = client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert response.status_code == 302
    assert not Thread.objects.exists()
    assert Event.objects.filter(type="thread.deleted").count() == 2


def test_a_viewer_cannot_delete(workspace, open_thread):
    thread = open_thread()
    viewer = staff_client(workspace, role="viewer", username="viewer")
    assert viewer.get(CHANGELIST).status_code == 200
    viewer.post(reverse("admin:collab_thread_delete", args=[thread["id"]]), {"post": "yes"})
    assert Thread.objects.exists()


def test_threads_for_an_object_render_in_the_panel(workspace, alice, other_workspace, open_thread):
    open_thread(room=alice.pk, body="About Alice's onboarding")
    open_thread(room="unrelated", body="Elsewhere")
    threads = threads_for_object(tenant=Tenant(workspace, "live"), object_id=alice.pk)
    assert [t.room.key for t in threads] == [alice.pk]
    assert threads_for_object(tenant=Tenant(workspace, "test"), object_id=alice.pk) == []
    assert threads_for_object(tenant=Tenant(other_workspace, "live"), object_id=alice.pk) == []
    html = render_to_string("admin/collab/threads_panel.html", {"collab_threads": threads})
    assert "About Alice&#x27;s onboarding" in html and "Alice Author" in html and "Elsewhere" not in html
    assert reverse("admin:collab_thread_change", args=[threads[0].pk]) in html
    assert "No comment threads yet." in render_to_string("admin/collab/threads_panel.html", {"collab_threads": []})
