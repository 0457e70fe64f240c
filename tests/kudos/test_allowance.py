"""The monthly coin allowance: per giver, per calendar month in the workspace's time zone."""

from datetime import UTC, datetime, timedelta

import pytest

from kudos.models import Kudos
from kudos.selectors import kudos_month_window
from pulsehr.tenancy.context import Tenant
from webhooks.models import Event

pytestmark = pytest.mark.django_db


def at(monkeypatch, moment: datetime) -> None:
    """Make `now` a fixed instant, for requests given at a known point of the month."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)


def give(api, body, **overrides):
    return api.post("/v1/kudos", body(**overrides))


def test_reaching_the_allowance_exactly_is_fine_and_one_more_coin_is_422(api, body):
    assert give(api, body, coins=60).status_code == 201
    assert give(api, body, coins=25).status_code == 201
    over = give(api, body, coins=16)
    assert over.status_code == 422
    error = over.json()["error"]
    assert error["code"] == "unprocessable_entity" and error["fields"] == ["coins"]
    assert error["message"].startswith("Only 15 coins left this month (allowance 100). It renews on ")
    assert give(api, body, coins=15).status_code == 201
    spent = give(api, body, coins=1).json()["error"]
    assert spent["fields"] == ["coins"]
    assert spent["message"].startswith("No coins left this month (allowance 100).")
    assert sum(Kudos.objects.values_list("coins", flat=True)) == 100
    assert Event.objects.count() == 3


def test_one_coin_left_is_said_in_the_singular(api, body):
    give(api, body, coins=99)
    assert give(api, body, coins=2).json()["error"]["message"].startswith("Only 1 coin left this month")


def test_the_message_names_the_date_the_allowance_renews(api, body, monkeypatch):
    at(monkeypatch, datetime(2025, 2, 10, 12, tzinfo=UTC))
    give(api, body, coins=100)
    message = give(api, body, coins=1).json()["error"]["message"]
    assert message == "No coins left this month (allowance 100). It renews on 2025-03-01."


def test_the_allowance_is_the_workspaces_setting(api, body, workspace):
    workspace.kudos_monthly_allowance = 30
    workspace.save()
    assert (
        give(api, body, coins=31).json()["error"]["message"].startswith("Only 30 coins left this month (allowance 30)")
    )
    assert give(api, body, coins=30).status_code == 201


def test_a_workspace_allowance_of_zero_turns_giving_off(api, body, workspace):
    workspace.kudos_monthly_allowance = 0
    workspace.save()
    response = give(api, body, coins=1)
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("No coins left this month (allowance 0).")


def test_the_allowance_is_per_giver_and_receiving_does_not_spend_it(api, body, giver, receiver, make_employee):
    third = make_employee()
    assert give(api, body, coins=100).status_code == 201
    assert give(api, body, from_employee_id=receiver.pk, to_employee_id=giver.pk, coins=100).status_code == 201
    assert give(api, body, from_employee_id=third.pk, coins=100).status_code == 201
    assert give(api, body, to_employee_id=third.pk, coins=1).status_code == 422


def test_the_other_environment_and_other_workspaces_do_not_spend_it(api, body, giver, make_kudos, make_employee):
    # Rows that could only exist through a bug; the sum must still not reach across tenants.
    make_kudos(from_employee=giver, to_employee=make_employee(), coins=100, environment="test")
    assert give(api, body, coins=100).status_code == 201


def test_kudos_from_earlier_months_do_not_count(api, body, giver, receiver, make_kudos, monkeypatch):
    at(monkeypatch, datetime(2025, 6, 15, 9, tzinfo=UTC))
    make_kudos(from_employee=giver, to_employee=receiver, coins=100, created_at=datetime(2025, 5, 31, 12, tzinfo=UTC))
    assert give(api, body, coins=100).status_code == 201
    assert give(api, body, coins=1).status_code == 422


def test_created_at_moved_into_the_past_frees_the_allowance(api, body, monkeypatch):
    give(api, body, coins=100)
    assert give(api, body, coins=1).status_code == 422
    Kudos.objects.update(created_at=datetime(2020, 1, 15, tzinfo=UTC))
    assert give(api, body, coins=100).status_code == 201


# Rome is UTC+1 in winter and UTC+2 in summer, so its months start at 23:00 or 22:00 UTC.
@pytest.mark.parametrize(
    "earlier,now,counts",
    [
        # 23:30 UTC on 31 January is already 1 February, 00:30, in Rome.
        (datetime(2025, 1, 31, 22, 59, 59, tzinfo=UTC), datetime(2025, 1, 31, 23, 30, tzinfo=UTC), False),
        (datetime(2025, 1, 31, 23, 0, 0, tzinfo=UTC), datetime(2025, 1, 31, 23, 30, tzinfo=UTC), True),
        (datetime(2025, 1, 31, 23, 30, tzinfo=UTC), datetime(2025, 2, 28, 22, 59, 59, tzinfo=UTC), True),
        (datetime(2025, 1, 31, 23, 30, tzinfo=UTC), datetime(2025, 2, 28, 23, 0, 0, tzinfo=UTC), False),
        # April starts at 22:00 UTC on 31 March (summer time); December runs into January.
        (datetime(2025, 3, 31, 21, 59, 59, tzinfo=UTC), datetime(2025, 3, 31, 22, 0, 0, tzinfo=UTC), False),
        (datetime(2025, 3, 31, 22, 0, 0, tzinfo=UTC), datetime(2025, 4, 30, 21, 59, 59, tzinfo=UTC), True),
        (datetime(2024, 12, 31, 22, 59, tzinfo=UTC), datetime(2024, 12, 31, 23, 0, tzinfo=UTC), False),
    ],
)
def test_months_begin_at_midnight_in_the_workspaces_time_zone(
    api, body, giver, receiver, make_kudos, monkeypatch, earlier, now, counts
):
    assert api.workspace.timezone == "Europe/Rome"
    make_kudos(from_employee=giver, to_employee=receiver, coins=100, created_at=earlier)
    at(monkeypatch, now)
    response = give(api, body, coins=1)
    assert response.status_code == (422 if counts else 201), response.content


def test_a_utc_workspace_keeps_2330_utc_on_the_last_day_in_that_month(
    api, body, giver, receiver, make_kudos, monkeypatch
):
    api.workspace.timezone = "UTC"
    api.workspace.save()
    make_kudos(
        from_employee=giver, to_employee=receiver, coins=100, created_at=datetime(2025, 1, 31, 23, 30, tzinfo=UTC)
    )
    at(monkeypatch, datetime(2025, 1, 31, 23, 45, tzinfo=UTC))
    assert give(api, body, coins=1).status_code == 422
    at(monkeypatch, datetime(2025, 2, 1, 0, 0, tzinfo=UTC))
    assert give(api, body, coins=1).status_code == 201


def test_a_kudos_is_stamped_with_the_instant_the_allowance_was_checked_at(api, body, monkeypatch):
    at(monkeypatch, datetime(2025, 1, 31, 23, 30, tzinfo=UTC))
    created = give(api, body).json()
    assert created["created_at"] == "2025-01-31T23:30:00Z"


@pytest.mark.parametrize(
    "zone,moment,start,end",
    [
        (
            "Europe/Rome",
            datetime(2025, 1, 31, 23, 30, tzinfo=UTC),
            datetime(2025, 1, 31, 23, tzinfo=UTC),
            datetime(2025, 2, 28, 23, tzinfo=UTC),
        ),
        (
            "Europe/Rome",
            datetime(2025, 3, 15, tzinfo=UTC),
            datetime(2025, 2, 28, 23, tzinfo=UTC),
            datetime(2025, 3, 31, 22, tzinfo=UTC),
        ),
        (
            "UTC",
            datetime(2025, 12, 31, 23, 59, tzinfo=UTC),
            datetime(2025, 12, 1, tzinfo=UTC),
            datetime(2026, 1, 1, tzinfo=UTC),
        ),
        (
            "America/Los_Angeles",
            datetime(2025, 3, 1, 7, tzinfo=UTC),
            datetime(2025, 2, 1, 8, tzinfo=UTC),
            datetime(2025, 3, 1, 8, tzinfo=UTC),
        ),
        (
            "Pacific/Kiritimati",
            datetime(2025, 6, 30, 10, tzinfo=UTC),
            datetime(2025, 6, 30, 10, tzinfo=UTC),
            datetime(2025, 7, 31, 10, tzinfo=UTC),
        ),
    ],
)
def test_the_month_window_is_the_utc_bounds_of_the_local_month(workspace, zone, moment, start, end):
    workspace.timezone = zone
    window = kudos_month_window(tenant=Tenant(workspace, "live"), at=moment)
    assert (window.start, window.end) == (start, end)
    assert window.start <= moment < window.end
    assert window.end - window.start >= timedelta(days=28)
