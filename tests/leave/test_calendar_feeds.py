"""Calendar feeds: signed, revocable /calendar/<token>.ics URLs; every feed parsed with the
icalendar library; stable UIDs; a bad, unknown or revoked token is a 404 revealing nothing."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from leave.feeds import calendar_feed_create, calendar_feed_revoke, feed_path
from leave.models import CalendarFeed
from pulsehr.tenancy.context import SYSTEM, Tenant

from ..factories import CompanyDayOffFactory
from ..staff import superuser_client_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(workspace, make_employee, api, set_today):
    set_today(date(2026, 4, 1))
    ada = make_employee(full_name="Ada Lovelace", department="Engineering")
    bob = make_employee(full_name="Bob Noyce", department="Sales")
    api.post("/v1/leave", {"employee_id": ada.pk, "kind": "sick", "start_date": "2026-04-07", "end_date": "2026-04-08"})
    api.post("/v1/leave", {"employee_id": bob.pk, "kind": "vacation", "start_date": "2026-04-09"})
    CompanyDayOffFactory(workspace=workspace, date=date(2026, 8, 14), name="Summer shutdown")
    return ada, bob


def events(client, feed):
    response = client.get(feed_path(feed))
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_a_workspace_feed_lists_approved_leave_and_days_off_with_stable_uids(workspace, people, api):
    ada, bob = people
    feed = calendar_feed_create(tenant=Tenant(workspace, "live"), actor=SYSTEM, name="Everyone")
    found = events(Client(), feed)
    leave = {str(e["SUMMARY"]): e for uid, e in found.items() if uid.startswith("lv_")}
    assert set(leave) == {"Ada Lovelace — out of office", "Bob Noyce — out of office"}
    ada_event = leave["Ada Lovelace — out of office"]
    assert (ada_event.decoded("DTSTART"), ada_event.decoded("DTEND")) == (date(2026, 4, 7), date(2026, 4, 9))
    summaries = {str(e["SUMMARY"]) for e in found.values()}
    assert {"Summer shutdown", "Easter Monday"} <= summaries
    assert set(events(Client(), feed)) == set(found)  # the same UIDs on every fetch
    # Cancelled leave leaves the feed.
    bob_leave = api.get("/v1/leave", {"employee_id": bob.pk}).json()["data"][0]["id"]
    api.delete(f"/v1/leave/{bob_leave}")
    assert f"{bob_leave}@pulsehr" not in events(Client(), feed)


def test_a_department_or_employee_feed_shows_only_theirs_and_the_kind_only_when_asked(workspace, people):
    ada, bob = people
    tenant = Tenant(workspace, "live")
    department = calendar_feed_create(
        tenant=tenant, actor=SYSTEM, name="Eng", department="Engineering", show_kind=True, include_days_off=False
    )
    assert [str(e["SUMMARY"]) for e in events(Client(), department).values()] == ["Ada Lovelace — out of office (Sick)"]
    personal = calendar_feed_create(tenant=tenant, actor=SYSTEM, name="Bob", employee=bob, include_days_off=False)
    assert [str(e["SUMMARY"]) for e in events(Client(), personal).values()] == ["Bob Noyce — out of office"]


def test_the_other_environments_leave_is_not_in_a_feed(workspace, people, make_api, make_employee):
    test_person = make_employee(environment="test", full_name="Test Person")
    make_api(workspace, "test").post(
        "/v1/leave", {"employee_id": test_person.pk, "kind": "vacation", "start_date": "2026-04-09"}
    )
    feed = calendar_feed_create(tenant=Tenant(workspace, "live"), actor=SYSTEM, name="Live", include_days_off=False)
    assert "Test Person — out of office" not in {str(e["SUMMARY"]) for e in events(Client(), feed).values()}


def test_a_revoked_unknown_or_forged_token_is_a_404_revealing_nothing(workspace, people):
    feed = calendar_feed_create(tenant=Tenant(workspace, "live"), actor=SYSTEM, name="Everyone")
    path = feed_path(feed)
    calendar_feed_revoke(feed=feed)
    unknown = feed_path(CalendarFeed(pk="cal_01J0000000000000000000000Z"))
    forged = path.replace(".ics", "x.ics")
    bodies = set()
    for url in (path, unknown, forged, "/calendar/nothing.ics"):
        response = Client().get(url)
        assert response.status_code == 404, url
        bodies.add(response.content)
    assert len(bodies) == 1


def test_feeds_are_made_and_revoked_in_the_admin(workspace, people):
    client = superuser_client_in(workspace)
    response = client.post(
        reverse("admin:leave_calendarfeed_add"),
        {"name": "Sales", "department": "Sales", "show_kind": "on", "include_days_off": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    feed = CalendarFeed.objects.get()
    assert (feed.workspace, feed.environment, feed.department, feed.show_kind) == (workspace, "live", "Sales", True)
    page = client.get(reverse("admin:leave_calendarfeed_changelist")).content.decode()
    assert feed_path(feed) in page
    assert Client().get(feed_path(feed)).status_code == 200
    client.post(reverse("admin:leave_calendarfeed_changelist"), {"action": "revoke", "_selected_action": [feed.pk]})
    assert Client().get(feed_path(feed)).status_code == 404


def test_the_feed_covers_recent_past_and_the_year_ahead(workspace, people, make_employee, api):
    far = make_employee(full_name="Far Future")
    api.post(
        "/v1/leave", {"employee_id": far.pk, "kind": "unpaid", "start_date": str(date(2026, 4, 1) + timedelta(600))}
    )
    feed = calendar_feed_create(tenant=Tenant(workspace, "live"), actor=SYSTEM, name="All", include_days_off=False)
    assert "Far Future — out of office" not in {str(e["SUMMARY"]) for e in events(Client(), feed).values()}
