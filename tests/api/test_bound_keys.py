"""API keys that act as one employee, through HTTP with real keys: writes that name their actor
(a kudos' giver, a status-log entry's or a check-in's author, a comment's, a room token's user)
default to the key's employee and may name no one else (403); a key that acts as nobody keeps
requiring the field (400); the key stops working (401) once its employee is offboarded, and the
events it causes record whom it acted as."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from employees.models import Employee
from kudos.models import Kudos
from pulsehr.errors import PermissionDenied
from pulsehr.tenancy.selectors import forget_cached_keys
from pulsehr.tenancy.services import api_key_create
from statuslog.models import StatusLogEntry
from webhooks.models import Event
from workload.models import WorkloadCheckin

from ..factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(make_employee):
    return make_employee(full_name="Ada Lovelace")


@pytest.fixture
def grace(make_employee):
    return make_employee(full_name="Grace Hopper")


@pytest.fixture
def as_ada(make_api, workspace, ada):
    """A live key of the workspace that acts as Ada."""
    return make_api(workspace, employee=ada)


def error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    return response.json()["error"]


# --- Writes default to the key's employee -------------------------------------------------------


def test_kudos_without_a_giver_are_from_the_keys_employee(as_ada, ada, grace):
    response = as_ada.post("/v1/kudos", {"to_employee_id": grace.pk, "coins": 10, "tag": "craft"})
    assert response.status_code == 201, response.content
    assert (response.json()["from_employee_id"], response.json()["to_employee_id"]) == (ada.pk, grace.pk)
    assert Kudos.objects.get().from_employee_id == ada.pk


def test_a_status_log_entry_without_an_employee_is_the_keys_employees(as_ada, ada):
    response = as_ada.post("/v1/status-log", {"lines": ["Shipped the OG localiser."]})
    assert response.status_code == 201, response.content
    assert response.json()["employee_id"] == ada.pk
    assert StatusLogEntry.objects.get().employee_id == ada.pk


def test_a_workload_check_in_without_an_employee_is_the_keys_employees(as_ada, ada):
    response = as_ada.post("/v1/workload-checkins", {"level": "heavy"})
    assert response.status_code == 201, response.content
    assert response.json()["employee_id"] == ada.pk


def test_naming_the_keys_own_employee_is_fine(as_ada, ada, grace):
    kudos = as_ada.post("/v1/kudos", {"from_employee_id": ada.pk, "to_employee_id": grace.pk, "coins": 1})
    assert kudos.status_code == 201, kudos.content
    entry = as_ada.post("/v1/status-log", {"employee_id": ada.pk, "lines": ["Hi"]})
    assert entry.status_code == 201, entry.content


# --- Naming someone else is refused ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path, body, field, doing",
    [
        ("/v1/kudos", {"coins": 5}, "from_employee_id", "give kudos as"),
        ("/v1/status-log", {"lines": ["Not mine"]}, "employee_id", "post to the status log as"),
        ("/v1/workload-checkins", {"level": "light"}, "employee_id", "check in as"),
    ],
)
def test_naming_another_employee_is_a_403_saying_whom_the_key_acts_as(
    as_ada, ada, grace, make_employee, path, body, field, doing
):
    third = make_employee(full_name="Third Person")
    body = {**body, field: grace.pk}
    if path == "/v1/kudos":
        body["to_employee_id"] = third.pk
    events_before = Event.objects.count()

    problem = error(as_ada.post(path, body), 403)

    assert problem["code"] == "permission_denied"
    assert problem["message"] == f"This API key acts as {ada.pk}; it cannot {doing} {grace.pk}."
    assert problem["fields"] == [field]
    assert not (Kudos.objects.exists() or StatusLogEntry.objects.exists() or WorkloadCheckin.objects.exists())
    assert Event.objects.count() == events_before


def test_the_403_is_a_domain_error_of_the_permission_kind(as_ada, grace):
    from pulsehr.tenancy.errors import ActsAsAnother

    assert issubclass(ActsAsAnother, PermissionDenied)
    problem = error(
        as_ada.post("/v1/kudos", {"from_employee_id": grace.pk, "to_employee_id": grace.pk, "coins": 1}), 403
    )
    assert "cannot give kudos as" in problem["message"]


def test_another_workspaces_employee_is_refused_too_and_shows_nothing_of_them(as_ada, other_workspace, grace):
    outsider = EmployeeFactory(workspace=other_workspace, full_name="Otto Outsider")
    problem = error(
        as_ada.post("/v1/kudos", {"from_employee_id": outsider.pk, "to_employee_id": grace.pk, "coins": 1}), 403
    )
    assert "Otto" not in problem["message"]
    # As the receiver, another workspace's employee is unknown, as for any key.
    problem = error(as_ada.post("/v1/kudos", {"to_employee_id": outsider.pk, "coins": 1}), 422)
    assert problem["fields"] == ["to_employee_id"]


# --- A key that acts as nobody is unchanged --------------------------------------------------------


def test_an_unbound_key_must_still_name_the_giver_with_the_same_400(api, grace):
    problem = error(api.post("/v1/kudos", {"to_employee_id": grace.pk, "coins": 5}), 400)
    assert problem == {
        "code": "invalid_request",
        "message": "from_employee_id: This field is required.",
        "fields": ["from_employee_id"],
        "request_id": problem["request_id"],
    }
    # Reported with the other fields at fault, as any required field is.
    assert set(error(api.post("/v1/kudos", {"tag": "craft"}), 400)["fields"]) == {
        "from_employee_id",
        "to_employee_id",
        "coins",
    }


def test_an_unbound_key_must_still_name_the_status_log_author_with_the_same_400(api):
    problem = error(api.post("/v1/status-log", {"lines": ["Shipped"]}), 400)
    assert (problem["code"], problem["message"], problem["fields"]) == (
        "invalid_request",
        "employee_id: This field is required.",
        ["employee_id"],
    )
    assert not StatusLogEntry.objects.exists()


def test_an_unbound_key_may_still_name_anyone(api, ada, grace):
    response = api.post("/v1/kudos", {"from_employee_id": grace.pk, "to_employee_id": ada.pk, "coins": 3})
    assert response.status_code == 201, response.content


# --- Offboarding the employee stops the key --------------------------------------------------------


def test_offboarding_the_employee_through_the_api_stops_the_key_with_a_401_saying_why(
    api, as_ada, ada, grace, django_capture_on_commit_callbacks
):
    assert as_ada.get("/v1/employees").status_code == 200  # the key is in this process's cache now
    with django_capture_on_commit_callbacks(execute=True):  # as the commit runs them: the cache forgets it
        assert api.delete(f"/v1/employees/{ada.pk}").status_code == 200

    for response in (as_ada.get("/v1/employees"), as_ada.post("/v1/kudos", {"to_employee_id": grace.pk, "coins": 1})):
        problem = error(response, 401)
        assert problem["code"] == "unauthenticated"
        ada.refresh_from_db()
        assert problem["message"] == (
            f"This API key acts as {ada.pk}, who was offboarded on {ada.end_date.isoformat()}; the key no longer works."
        )
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert not Kudos.objects.exists()
    assert api.get("/v1/employees").status_code == 200  # a key that acts as nobody goes on


def test_an_end_date_that_passes_stops_the_key_with_no_write(workspace, make_api, make_employee):
    leaving = make_employee(full_name="Leo Leaving", end_date=date.today() + timedelta(days=30))
    key = make_api(workspace, employee=leaving)
    assert key.get("/v1/employees").status_code == 200
    # As if the date had passed: the row is as it was, the day is later.
    Employee.objects.filter(pk=leaving.pk).update(end_date=date(2024, 1, 31))
    forget_cached_keys()  # as if KEY_CACHE_SECONDS had passed too
    assert "offboarded on 2024-01-31" in error(key.get("/v1/employees"), 401)["message"]


def test_a_key_of_a_new_joiner_who_has_not_started_yet_works(workspace, make_api, make_employee):
    joiner = make_employee(start_date=date.today() + timedelta(days=10))
    assert make_api(workspace, employee=joiner).get("/v1/employees").status_code == 200


def test_the_bound_key_costs_no_query_more_than_an_unbound_one(api, as_ada):
    def queries(client) -> int:
        forget_cached_keys()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/v1/employees", {"limit": 1}).status_code == 200
        return len(captured)

    queries(api), queries(as_ada)  # warm: last_used_at written once
    assert queries(as_ada) == queries(api)


# --- Events record whom the key acted as -----------------------------------------------------------


def test_events_record_the_key_and_the_employee_it_acts_as_with_the_payload_unchanged(as_ada, api, ada, grace):
    kudos = as_ada.post("/v1/kudos", {"to_employee_id": grace.pk, "coins": 2}).json()
    event = Event.objects.get(type="kudos.awarded")
    assert (event.actor, event.acting_as) == (f"api_key:{as_ada.key.pk}", ada.pk)
    assert event.data == kudos
    listed = api.get(f"/v1/events/{event.pk}").json()
    assert set(listed) == {"id", "type", "created_at", "data", "deliveries"} and listed["data"] == kudos

    api.post("/v1/kudos", {"from_employee_id": grace.pk, "to_employee_id": ada.pk, "coins": 2})
    unbound = Event.objects.filter(type="kudos.awarded").exclude(pk=event.pk).get()
    assert (unbound.actor, unbound.acting_as) == (f"api_key:{api.key.pk}", "")


def test_every_write_of_a_bound_key_records_its_employee(as_ada, ada):
    as_ada.post("/v1/employees", {"full_name": "New Hire", "start_date": "2024-01-01"})
    event = Event.objects.get(type="employee.created")
    assert event.acting_as == ada.pk


# --- Collaboration: authors and room tokens --------------------------------------------------------


def test_a_bound_key_opens_threads_as_its_employee_and_mints_room_tokens_for_them_only(as_ada, ada, grace):
    thread = as_ada.post("/v1/rooms/design-review/threads", {"comment": {"body": "Looks good"}})
    assert thread.status_code == 201, thread.content
    assert thread.json()["created_by"] == ada.pk
    assert Event.objects.get(type="thread.created").acting_as == ada.pk

    other_author = {"comment": {"body": "As Grace", "author_id": grace.pk}}
    problem = error(as_ada.post("/v1/rooms/design-review/threads", other_author), 403)
    assert problem["message"] == f"This API key acts as {ada.pk}; it cannot write as {grace.pk}."

    token = as_ada.post("/v1/rooms/design-review/tokens", {})
    assert token.status_code == 201, token.content
    assert token.json()["user_id"] == ada.pk
    problem = error(as_ada.post("/v1/rooms/design-review/tokens", {"user_id": grace.pk}), 403)
    assert problem["message"] == f"This API key acts as {ada.pk}; it cannot mint a room token for {grace.pk}."


def test_an_unbound_key_must_still_say_whom_a_room_token_is_for(api, grace):
    problem = error(api.post("/v1/rooms/design-review/tokens", {"ttl_seconds": 1}), 400)
    assert set(problem["fields"]) == {"user_id", "ttl_seconds"}
    assert api.post("/v1/rooms/design-review/tokens", {"user_id": grace.pk}).status_code == 201


# --- Tenancy -----------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["another workspace", "the other environment"])
def test_a_key_cannot_be_bound_to_an_employee_outside_its_workspace_environment(workspace, other_workspace, where):
    from pulsehr.errors import RuleViolation

    outside = (
        EmployeeFactory(workspace=other_workspace)
        if where == "another workspace"
        else EmployeeFactory(workspace=workspace, environment="test")
    )
    with pytest.raises(RuleViolation, match="is not an employee of") as refused:
        api_key_create(workspace=workspace, environment="live", scopes="read:*", employee_id=outside.pk)
    assert refused.value.fields == ["employee_id"]


def test_a_bound_key_sees_only_its_own_workspace_environment(as_ada, other_workspace, workspace, make_employee):
    EmployeeFactory(workspace=other_workspace)
    make_employee(environment="test")
    listed = as_ada.get("/v1/employees").json()
    assert {row["id"] for row in listed["data"]} == set(
        Employee.objects.filter(workspace=workspace, environment="live").values_list("pk", flat=True)
    )


# --- The document ---------------------------------------------------------------------------------


def test_the_document_says_when_the_actor_fields_may_be_left_out_and_what_401_and_403_mean(client):
    spec = client.get("/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for schema, field in [
        ("KudosCreateRequest", "from_employee_id"),
        ("StatusLogEntryCreateRequest", "employee_id"),
        ("WorkloadCheckinCreateRequest", "employee_id"),
        ("RoomTokenCreateRequest", "user_id"),
    ]:
        assert field not in schemas[schema].get("required", []), schema
        assert "Required, unless the API key acts as an employee" in schemas[schema]["properties"][field]["description"]
    responses = spec["paths"]["/v1/kudos"]["post"]["responses"]
    assert "acts as an employee who was offboarded" in responses["401"]["description"]
    assert "acts as one employee and the request names another" in responses["403"]["description"]
