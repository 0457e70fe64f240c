"""POST and GET /v1/kudos through HTTP with real keys: the resource, its shape rules (400)
and the people rules (422)."""

from datetime import date, timedelta

import pytest

from kudos.models import Kudos

pytestmark = pytest.mark.django_db


def error(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


def test_giving_kudos_returns_201_with_the_resource_and_no_etag_or_location(api, body, giver, receiver):
    response = api.post("/v1/kudos", body(coins=10, tag="craft", note="Picked up the failing migration."))
    assert response.status_code == 201, response.content
    created = response.json()
    assert set(created) == {"id", "from_employee_id", "to_employee_id", "coins", "tag", "note", "created_at"}
    assert created["id"].startswith("kud_") and len(created["id"]) == 30
    assert (created["from_employee_id"], created["to_employee_id"]) == (giver.pk, receiver.pk)
    assert (created["coins"], created["tag"], created["note"]) == (10, "craft", "Picked up the failing migration.")
    assert created["created_at"].endswith("Z")
    assert "ETag" not in response and "Location" not in response
    assert api.get("/v1/kudos").json() == {"data": [created], "next_cursor": None, "total_count": 1}


def test_tag_and_note_are_optional(api, body):
    created = api.post("/v1/kudos", body()).json()
    assert (created["tag"], created["note"]) == (None, "")
    created = api.post("/v1/kudos", body(tag=None, note=None)).json()
    assert (created["tag"], created["note"]) == (None, "")


@pytest.mark.parametrize("coins", [1, 100])
def test_coins_at_the_bounds_are_accepted(api, body, coins):
    response = api.post("/v1/kudos", body(coins=coins))
    assert response.status_code == 201, response.content
    assert response.json()["coins"] == coins


@pytest.mark.parametrize("coins", [0, -5, 101, 2.5, 2.0, "10", True, None, [10], {"n": 10}])
def test_coins_must_be_a_json_integer_from_1_to_100(api, body, coins):
    problem = error(api.post("/v1/kudos", body(coins=coins)), 400)
    assert problem["code"] == "invalid_request"
    assert problem["fields"] == ["coins"]
    assert not Kudos.objects.exists()


def test_the_coins_message_states_the_range(api, body):
    assert "from 1 to 100" in error(api.post("/v1/kudos", body(coins=101)), 400)["message"]


def test_both_people_and_coins_are_required(api):
    problem = error(api.post("/v1/kudos", {"tag": "craft"}), 400)
    assert set(problem["fields"]) == {"from_employee_id", "to_employee_id", "coins"}


def test_unknown_fields_are_rejected(api, body):
    assert error(api.post("/v1/kudos", body(emoji="tada")), 400)["fields"] == ["emoji"]


def test_the_id_and_created_at_cannot_be_chosen_by_the_caller(api, body):
    problem = error(api.post("/v1/kudos", body(id="kud_01J00000000000000000000000", created_at="2020-01-01")), 400)
    assert set(problem["fields"]) == {"id", "created_at"}


@pytest.mark.parametrize("tag", ["craft", "above-and-beyond", "q3", "a" * 32])
def test_a_lowercase_slug_tag_is_accepted(api, body, tag):
    response = api.post("/v1/kudos", body(tag=tag))
    assert response.status_code == 201, response.content
    assert response.json()["tag"] == tag


@pytest.mark.parametrize(
    "tag", ["Craft", "two words", "trailing-", "-leading", "double--hyphen", "émoji", "", "a" * 33, 7]
)
def test_a_tag_that_is_not_a_short_lowercase_slug_is_400(api, body, tag):
    assert error(api.post("/v1/kudos", body(tag=tag)), 400)["fields"] == ["tag"]
    assert not Kudos.objects.exists()


def test_a_note_of_500_characters_is_accepted_and_501_is_400(api, body):
    assert api.post("/v1/kudos", body(note="n" * 500)).status_code == 201
    assert error(api.post("/v1/kudos", body(note="n" * 501)), 400)["fields"] == ["note"]


def test_nobody_can_thank_themselves(api, body, giver):
    problem = error(api.post("/v1/kudos", body(to_employee_id=giver.pk)), 422)
    assert problem == {
        "code": "unprocessable_entity",
        "message": "Nobody can give kudos to themselves.",
        "fields": ["to_employee_id"],
        "request_id": problem["request_id"],
    }


def test_a_former_giver_is_422_naming_from_employee_id(api, body, make_employee):
    former = make_employee(full_name="Gone Giver", end_date=date.today() - timedelta(days=1))
    problem = error(api.post("/v1/kudos", body(from_employee_id=former.pk)), 422)
    assert problem["fields"] == ["from_employee_id"]
    assert "Gone Giver is a former employee" in problem["message"]


def test_a_former_receiver_is_422_naming_to_employee_id(api, body, make_employee):
    former = make_employee(full_name="Gone Receiver", end_date=date.today() - timedelta(days=30))
    problem = error(api.post("/v1/kudos", body(to_employee_id=former.pk)), 422)
    assert problem["fields"] == ["to_employee_id"]
    assert "Gone Receiver is a former employee" in problem["message"]


def test_someone_leaving_later_can_still_give_and_receive(api, body, make_employee):
    leaving = make_employee(end_date=date.today() + timedelta(days=14))
    assert api.post("/v1/kudos", body(from_employee_id=leaving.pk)).status_code == 201
    assert api.post("/v1/kudos", body(to_employee_id=leaving.pk)).status_code == 201


@pytest.mark.parametrize("field", ["from_employee_id", "to_employee_id"])
@pytest.mark.parametrize("unknown", ["emp_01J0000000000000000000000Z", "nobody"])
def test_an_unknown_employee_is_422_naming_the_field(api, body, field, unknown):
    problem = error(api.post("/v1/kudos", body(**{field: unknown})), 422)
    assert problem["fields"] == [field]
    assert "is not an employee of this workspace" in problem["message"]
    assert not Kudos.objects.exists()


def test_an_overlong_employee_id_is_400(api, body):
    assert error(api.post("/v1/kudos", body(to_employee_id="emp_" + "x" * 60)), 400)["fields"] == ["to_employee_id"]


def test_kudos_are_immutable_and_have_no_detail_route(api, body):
    created = api.post("/v1/kudos", body()).json()
    assert error(api.patch("/v1/kudos", {"coins": 1}), 405)["code"] == "method_not_allowed"
    assert error(api.delete("/v1/kudos"), 405)["code"] == "method_not_allowed"
    for method in ("get", "patch", "delete"):
        assert error(getattr(api, method)(f"/v1/kudos/{created['id']}"), 404)["code"] == "not_found"
    assert Kudos.objects.get().coins == 10


def test_a_body_that_is_not_an_object_is_400(api):
    assert api.post("/v1/kudos", [1, 2]).status_code == 400


@pytest.mark.parametrize("field", ["note", "tag", "to_employee_id"])
def test_nul_characters_are_400_not_a_database_error(api, body, field):
    assert error(api.post("/v1/kudos", body(**{field: "a\x00b"})), 400)["fields"] == [field]
