"""An employee's, a leave record's and a status-log entry's admin page end with the comment
threads of the room named by the object's id, in the staff user's workspace environment only."""

from datetime import date

import pytest
from django.urls import reverse

from leave.services import leave_log
from pulsehr.tenancy.context import SYSTEM, Tenant
from statuslog.services import status_log_entry_post

from ..staff import member_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(workspace):
    return member_client(workspace, "hr")


def panel_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="collab-threads"' in html
    return html.split('id="collab-threads"')[1]


def employee_page(employee) -> str:
    return reverse("admin:employees_employee_change", args=[employee.pk])


def test_an_employees_page_shows_the_threads_of_their_room_only(hr_client, open_thread, alice, bob):
    thread = open_thread(room=alice.pk, body="Welcome aboard, Alice")
    open_thread(room=bob.pk, body="Bob's onboarding")

    alices = panel_of(hr_client, employee_page(alice))
    bobs = panel_of(hr_client, employee_page(bob))

    assert "Comment threads (1)" in alices and thread["id"] in alices and "Welcome aboard, Alice" in alices
    assert "Alice Author" in alices  # the comment's author
    assert "Welcome aboard, Alice" not in bobs and "Bob&#x27;s onboarding" in bobs


def test_a_thread_of_the_same_room_id_in_the_other_environment_does_not_show(
    hr_client, make_api, workspace, alice, make_employee
):
    tester = make_employee(environment="test", full_name="Test Person")
    other_environment = make_api(workspace, "test")
    response = other_environment.post(
        f"/v1/rooms/{alice.pk}/threads", {"comment": {"body": "Test-data chatter", "author_id": tester.pk}}
    )
    assert response.status_code == 201, response.json()

    panel = panel_of(hr_client, employee_page(alice))

    assert "Test-data chatter" not in panel and "Comment threads (0)" in panel
    assert "No comment threads yet." in panel


def test_leave_and_status_log_pages_show_their_rooms_threads(hr_client, workspace, open_thread, alice):
    tenant = Tenant(workspace, "live")
    leave = leave_log(tenant=tenant, actor=SYSTEM, employee_id=alice.pk, kind="vacation", start_date=date(2026, 3, 2))
    entry = status_log_entry_post(tenant=tenant, actor=SYSTEM, employee_id=alice.pk, lines=["Shipped it"])
    open_thread(room=leave.pk, body="Covered by Bob")
    open_thread(room=entry.pk, body="Nice work")

    leave_panel = panel_of(hr_client, reverse("admin:leave_leave_change", args=[leave.pk]))
    entry_panel = panel_of(hr_client, reverse("admin:statuslog_statuslogentry_change", args=[entry.pk]))

    assert "Covered by Bob" in leave_panel and "Nice work" not in leave_panel
    assert "Nice work" in entry_panel and "Covered by Bob" not in entry_panel
