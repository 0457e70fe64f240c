"""The staff-only demo page of the collaboration widget: it mints a room token server-side for a
person of the staff user's current workspace environment, never shows an API key, and serves the
widget's static files."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from collab.tokens import room_token_verify
from pulsehr.tenancy.models import Membership
from pulsehr.tenancy.services import api_key_create
from pulsehr.tenancy.staff import SESSION_ENVIRONMENT, SESSION_WORKSPACE

from ..factories import EmployeeFactory

pytestmark = pytest.mark.django_db

DEMO = reverse("collab:demo")
TOKEN = reverse("collab:demo-token")


def staff_client(workspace, role="hr", username="hr"):
    user = get_user_model().objects.create_user(username, f"{username}@example.test", "pw", is_staff=True)
    if workspace is not None:
        Membership.objects.create(user=user, workspace=workspace, role=role)
    client = Client()
    client.force_login(user)
    return client


def widget_config(response) -> dict:
    match = re.search(
        r'<script id="collab-demo-config" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "the page mounts no widget"
    return json.loads(match.group(1))


def test_the_demo_page_needs_a_signed_in_staff_user():
    response = Client().get(DEMO)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    user = get_user_model().objects.create_user("plain", "plain@example.test", "pw", is_staff=False)
    client = Client()
    client.force_login(user)
    response = client.get(DEMO)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_a_workspace_membership_are_refused(workspace, employee):
    client = staff_client(None, username="outsider")
    assert client.get(DEMO, {"room": "standup", "as": employee.pk}).status_code == 403
    assert client.post(TOKEN, {"room": "standup", "as": employee.pk}).status_code == 403


def test_read_only_members_are_refused_because_the_widget_writes_as_the_person(workspace, employee):
    client = staff_client(workspace, role="viewer")
    assert client.get(DEMO, {"room": "standup", "as": employee.pk}).status_code == 403
    assert client.post(TOKEN, {"room": "standup", "as": employee.pk}).status_code == 403


def test_the_page_mints_a_room_token_for_the_chosen_person_and_shows_no_api_key(workspace, employee):
    _, live_secret = api_key_create(workspace=workspace, environment="live", scopes="read:*,write:*")
    _, test_secret = api_key_create(workspace=workspace, environment="test", scopes="read:*,write:*")
    client = staff_client(workspace)

    response = client.get(DEMO, {"room": "standup-2025-06-02", "as": employee.pk})

    assert response.status_code == 200
    page = response.content.decode()
    assert live_secret not in page and test_secret not in page
    assert "pk_live_" not in page and "pk_test_" not in page
    assert '<div id="site-name">' in page  # the admin's frame
    config = widget_config(response)
    assert config["roomId"] == "standup-2025-06-02"
    assert config["userId"] == employee.pk
    assert config["baseUrl"] == "http://testserver"
    assert config["tokenUrl"] == TOKEN
    grant = room_token_verify(config["token"])
    assert (grant.workspace_id, grant.environment) == (workspace.pk, "live")
    assert (grant.room_key, grant.user_id) == ("standup-2025-06-02", employee.pk)
    assert "collab/widget.js" in page and "collab/widget.css" in page


def test_the_picker_lists_the_current_workspace_environments_active_people_only(
    workspace, other_workspace, make_employee
):
    active = make_employee(full_name="Ada Active")
    make_employee(full_name="Fred Former", start_date="2020-01-01", end_date="2021-01-01")
    make_employee(full_name="Tess Testenv", environment="test")
    EmployeeFactory(workspace=other_workspace, full_name="Otto Other")

    page = staff_client(workspace).get(DEMO).content.decode()

    assert active.pk in page and "Ada Active" in page
    for name in ("Fred Former", "Tess Testenv", "Otto Other"):
        assert name not in page
    assert 'id="collab-demo-config"' not in page  # nothing mounted until a person is chosen


@pytest.mark.parametrize("where", ["another workspace", "the other environment", "a former employee"])
def test_no_token_is_minted_for_a_person_outside_the_current_workspace_environment(
    where, workspace, other_workspace, make_employee
):
    person = {
        "another workspace": lambda: EmployeeFactory(workspace=other_workspace),
        "the other environment": lambda: make_employee(environment="test"),
        "a former employee": lambda: make_employee(start_date="2020-01-01", end_date="2021-01-01"),
    }[where]()
    client = staff_client(workspace)

    response = client.get(DEMO, {"room": "standup", "as": person.pk})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="collab-demo-config"' not in page and "rt_" not in page
    assert "Choose an active person of this workspace" in page
    refused = client.post(TOKEN, {"room": "standup", "as": person.pk})
    assert refused.status_code == 422 and "token" not in refused.json()


def test_the_token_follows_the_environment_the_staff_user_switched_to(workspace, make_employee):
    live_person = make_employee(environment="live")
    test_person = make_employee(environment="test")
    client = staff_client(workspace)
    session = client.session
    session[SESSION_WORKSPACE], session[SESSION_ENVIRONMENT] = workspace.pk, "test"
    session.save()

    grant = room_token_verify(widget_config(client.get(DEMO, {"room": "r1", "as": test_person.pk}))["token"])
    assert (grant.environment, grant.user_id) == ("test", test_person.pk)
    assert 'id="collab-demo-config"' not in client.get(DEMO, {"room": "r1", "as": live_person.pk}).content.decode()


def test_a_staff_user_of_two_workspaces_mints_only_in_the_current_one(workspace, other_workspace):
    mine = EmployeeFactory(workspace=workspace)
    theirs = EmployeeFactory(workspace=other_workspace)
    client = staff_client(workspace)
    Membership.objects.create(user=get_user_model().objects.get(username="hr"), workspace=other_workspace, role="hr")
    session = client.session
    session[SESSION_WORKSPACE] = other_workspace.pk
    session.save()

    grant = room_token_verify(client.post(TOKEN, {"room": "r1", "as": theirs.pk}).json()["token"])
    assert grant.workspace_id == other_workspace.pk
    assert client.post(TOKEN, {"room": "r1", "as": mine.pk}).status_code == 422


def test_an_invalid_room_id_is_refused_with_the_rule(workspace, employee):
    response = staff_client(workspace).get(DEMO, {"room": "no spaces/allowed", "as": employee.pk})
    assert response.status_code == 200
    assert "1–128 characters" in response.content.decode()
    assert 'id="collab-demo-config"' not in response.content.decode()


def test_the_token_endpoint_renews_the_token_for_the_same_room_and_person(workspace, employee):
    client = staff_client(workspace)
    client.handler.enforce_csrf_checks = True
    assert client.post(TOKEN, {"room": "standup", "as": employee.pk}).status_code == 403  # no CSRF token

    page = client.get(DEMO, {"room": "standup", "as": employee.pk}).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(TOKEN, {"room": "standup", "as": employee.pk}, HTTP_X_CSRFTOKEN=csrf)

    assert response.status_code == 200
    grant = room_token_verify(response.json()["token"])
    assert (grant.workspace_id, grant.room_key, grant.user_id) == (workspace.pk, "standup", employee.pk)
    assert client.get(TOKEN).status_code == 405


@pytest.mark.parametrize(
    ("path", "needle"),
    [
        ("/static/collab/widget.js", b"PulseCollab"),
        ("/static/collab/widget.css", b".pc-widget"),
        ("/static/collab/demo.js", b"collab-demo-config"),
    ],
)
def test_the_widget_files_are_served_as_static_files(path, needle):
    response = Client().get(path)
    assert response.status_code == 200
    assert needle in b"".join(response.streaming_content if response.streaming else [response.content])
