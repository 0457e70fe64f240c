"""The outbox: each kudos records kudos.awarded in the same transaction; a refused one records none."""

from datetime import date, timedelta

import pytest

from kudos.models import Kudos
from webhooks.models import Event

pytestmark = pytest.mark.django_db


def test_giving_kudos_records_kudos_awarded_with_the_resource_as_the_api_returns_it(api, body):
    created = api.post("/v1/kudos", body(tag="craft", note="Thanks")).json()
    event = Event.objects.get()
    assert event.type == "kudos.awarded"
    assert event.pk.startswith("evt_")
    assert event.data == created == api.get("/v1/kudos").json()["data"][0]
    assert event.actor == f"api_key:{api.key.pk}"
    assert event.data == created


def test_each_kudos_records_its_own_event(api, body):
    made = [api.post("/v1/kudos", body(coins=n)).json()["id"] for n in (1, 2, 3)]
    assert list(Event.objects.values_list("data__id", flat=True)) == made


@pytest.mark.parametrize(
    "overrides",
    [
        {"coins": 0},
        {"coins": 101},
        {"tag": "Not A Slug"},
        {"to_employee_id": "{giver}"},
        {"to_employee_id": "{former}"},
        {"from_employee_id": "emp_01J0000000000000000000000Z"},
    ],
)
def test_a_refused_kudos_records_no_event_and_saves_nothing(api, body, giver, make_employee, overrides):
    former = make_employee(end_date=date.today() - timedelta(days=1))
    overrides = {
        k: v.format(giver=giver.pk, former=former.pk) if isinstance(v, str) else v for k, v in overrides.items()
    }
    response = api.post("/v1/kudos", body(**overrides))
    assert response.status_code in (400, 422), response.content
    assert not Event.objects.exists()
    assert not Kudos.objects.exists()


def test_a_kudos_over_the_allowance_records_no_event(api, body):
    first = api.post("/v1/kudos", body(coins=100)).json()
    assert api.post("/v1/kudos", body(coins=1)).status_code == 422
    assert list(Event.objects.values_list("data__id", flat=True)) == [first["id"]]
    assert Kudos.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_when_the_event_cannot_be_written_the_kudos_rolls_back(api, body, monkeypatch):
    """With real commits, an outbox failure undoes the kudos (and so does not spend the allowance)."""

    def broken(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr("kudos.services.event_record", broken)
    assert api.post("/v1/kudos", body(coins=100)).status_code == 500
    assert not Kudos.objects.exists()
    assert not Event.objects.exists()
    monkeypatch.undo()
    assert api.post("/v1/kudos", body(coins=100)).status_code == 201
