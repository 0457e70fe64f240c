"""The management commands an operator sets a workspace up with: create_workspace,
create_api_key and seed_demo."""

import re
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from employees.models import Employee
from pulsehr.tenancy.models import ApiKey, Workspace
from pulsehr.tenancy.services import hash_api_key
from webhooks.models import Event

pytestmark = pytest.mark.django_db

NEW = {"full_name": "Ada Lovelace", "start_date": "2024-02-01"}


def run(*args, **options) -> list[str]:
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue().splitlines()


def client_for(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


# --- create_workspace ---------------------------------------------------------------------


def test_create_workspace_stores_name_country_and_timezone():
    output = run("create_workspace", "acme", name="Acme S.p.A.", country="it", timezone="Europe/Rome")
    workspace = Workspace.objects.get(slug="acme")
    assert (workspace.name, workspace.country, workspace.timezone) == ("Acme S.p.A.", "IT", "Europe/Rome")
    assert "acme" in output[-1] and workspace.pk in output[-1]


def test_create_workspace_defaults_the_name_from_the_slug_and_the_timezone_to_utc():
    run("create_workspace", "north-wind")
    workspace = Workspace.objects.get(slug="north-wind")
    assert (workspace.name, workspace.country, workspace.timezone) == ("North Wind", "", "UTC")


@pytest.mark.parametrize(
    "slug, options, message",
    [
        ("acme", {"timezone": "Mars/Olympus_Mons"}, "time zone"),
        ("Acme Corp", {}, "slug"),
        ("ACME", {}, "slug"),
        ("acme", {"country": "ITA"}, "country"),
    ],
)
def test_create_workspace_refuses_a_bad_timezone_slug_or_country(slug, options, message):
    with pytest.raises(CommandError, match=message):
        run("create_workspace", slug, **options)
    assert not Workspace.objects.exists()


def test_create_workspace_refuses_a_duplicate_slug():
    run("create_workspace", "acme")
    with pytest.raises(CommandError, match="already exists"):
        run("create_workspace", "acme", name="Another")
    assert Workspace.objects.get().name == "Acme"


# --- create_api_key -----------------------------------------------------------------------


@pytest.fixture
def acme():
    run("create_workspace", "acme", timezone="Europe/Rome")
    return Workspace.objects.get(slug="acme")


@pytest.mark.parametrize("environment", ["live", "test"])
def test_create_api_key_prints_the_secret_alone_on_the_last_line_with_the_environment_prefix(acme, environment):
    output = run("create_api_key", workspace="acme", environment=environment, scopes="read:*,write:*")
    secret = output[-1]
    assert re.fullmatch(rf"pk_{environment}_[A-Za-z0-9]{{43}}", secret), output
    api_key = ApiKey.objects.get()
    assert (api_key.workspace, api_key.environment) == (acme, environment)
    assert api_key.scopes == ["read:*", "write:*"]
    assert secret not in "\n".join(output[:-1])


def test_the_printed_secret_authenticates_in_its_workspace_environment(acme, make_employee):
    live = make_employee(workspace=acme, environment="live")
    make_employee(workspace=acme, environment="test")
    secret = run("create_api_key", workspace="acme", environment="live")[-1]
    response = client_for(secret).get("/v1/employees")
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["data"]] == [live.pk]
    assert client_for(secret).post("/v1/employees", NEW, format="json").status_code == 201


def test_the_key_is_limited_to_the_given_scopes(acme):
    secret = run("create_api_key", workspace="acme", environment="live", scopes="read:employees")[-1]
    assert ApiKey.objects.get().scopes == ["read:employees"]
    client = client_for(secret)
    assert client.get("/v1/employees").status_code == 200
    response = client.post("/v1/employees", NEW, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Employee.objects.exists()


def test_the_database_stores_only_a_hash_of_the_secret(acme):
    secret = run("create_api_key", workspace="acme", environment="test", name="backend")[-1]
    row = ApiKey.objects.filter(workspace=acme).values().get()
    assert row["hashed_key"] == hash_api_key(secret)
    assert row["name"] == "backend"
    for column, value in row.items():
        assert secret not in str(value), column
    # The displayed prefix helps recognise a key without revealing it.
    assert secret.startswith(row["display_prefix"]) and len(row["display_prefix"]) < len(secret) // 2


def test_create_api_key_refuses_an_unknown_workspace():
    with pytest.raises(CommandError, match="nope"):
        run("create_api_key", workspace="nope", environment="live")
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize("scopes", ["read:salaries", "read:*,admin:*", " , "])
def test_create_api_key_refuses_unknown_or_missing_scopes(acme, scopes):
    with pytest.raises(CommandError, match="scope"):
        run("create_api_key", workspace="acme", environment="live", scopes=scopes)
    assert not ApiKey.objects.exists()


def test_create_api_key_refuses_an_unknown_environment(acme):
    with pytest.raises(CommandError):
        run("create_api_key", workspace="acme", environment="prod")
    assert not ApiKey.objects.exists()


@pytest.fixture
def ada(acme, make_employee):
    return make_employee(workspace=acme, environment="live", full_name="Ada Lovelace")


def test_create_api_key_with_an_employee_binds_the_key_to_them(acme, ada, make_employee):
    grace = make_employee(workspace=acme, environment="live", full_name="Grace Hopper")
    output = run("create_api_key", workspace="acme", environment="live", scopes="write:kudos", employee=ada.pk)
    api_key = ApiKey.objects.get()
    assert api_key.employee == ada
    assert f"acting as {ada.pk} (Ada Lovelace)" in output[0]

    # The quick start's kudos, with no giver: from the key's employee.
    response = client_for(output[-1]).post("/v1/kudos", {"to_employee_id": grace.pk, "coins": 10}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["from_employee_id"] == ada.pk


def test_create_api_key_without_an_employee_makes_a_key_that_acts_as_nobody(acme):
    output = run("create_api_key", workspace="acme", environment="live")
    assert ApiKey.objects.get().employee is None and "acting as" not in output[0]


@pytest.mark.parametrize("where", ["another workspace", "the other environment", "nowhere"])
def test_create_api_key_refuses_an_employee_outside_the_workspace_environment(acme, make_employee, where):
    if where == "another workspace":
        run("create_workspace", "globex")
        employee_id = make_employee(workspace=Workspace.objects.get(slug="globex"), environment="live").pk
    elif where == "the other environment":
        employee_id = make_employee(workspace=acme, environment="test").pk
    else:
        employee_id = "emp_01HQ00000000000000000000XX"
    with pytest.raises(CommandError, match=rf"{employee_id} is not an employee of Acme \(live\)"):
        run("create_api_key", workspace="acme", environment="live", employee=employee_id)
    assert not ApiKey.objects.exists()


def test_create_api_key_refuses_an_offboarded_employee(acme, make_employee):
    former = make_employee(workspace=acme, environment="live", full_name="Otto Old", end_date=date(2024, 6, 28))
    with pytest.raises(CommandError, match=rf"Otto Old \({former.pk}\) was offboarded on 2024-06-28"):
        run("create_api_key", workspace="acme", environment="live", employee=former.pk)
    assert not ApiKey.objects.exists()


# --- seed_demo ----------------------------------------------------------------------------


def seed(**options) -> list[str]:
    return run("seed_demo", workspace="demo", employees=7, **options)


def admin_password(output: list[str]) -> str:
    (line,) = [line for line in output if line.startswith("Admin:")]
    match = re.search(r"user '(?P<user>[^']+)'\s+password '(?P<password>[^']+)'", line)
    assert match and match["user"] == "admin", line
    return match["password"]


def test_seed_demo_creates_the_workspace_with_people_events_a_test_key_and_an_admin_login():
    output = seed()
    workspace = Workspace.objects.get(slug="demo")
    for environment in ("live", "test"):
        people = Employee.objects.filter(workspace=workspace, environment=environment)
        assert people.count() == 7
        created = Event.objects.filter(workspace=workspace, environment=environment, type="employee.created")
        assert sorted(event.data["id"] for event in created) == sorted(people.values_list("pk", flat=True))
    # The demo's activity records its events too (tests/dashboard/test_seed_demo.py).
    assert Event.objects.filter(type="status_log.posted").exists()

    secret = output[-1]
    assert secret.startswith("pk_test_")
    response = client_for(secret).get("/v1/employees")
    assert response.status_code == 200
    assert response.json()["total_count"] == 7
    ids = {row["id"] for row in response.json()["data"]}
    assert ids == set(Employee.objects.filter(workspace=workspace, environment="test").values_list("pk", flat=True))

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert admin.check_password(admin_password(output))


def test_seed_demo_twice_adds_nobody_and_revokes_the_previous_demo_key():
    first = seed()
    people_before = set(Employee.objects.values_list("pk", flat=True))
    second = seed()

    assert set(Employee.objects.values_list("pk", flat=True)) == people_before
    assert Employee.objects.filter(environment="live").count() == Employee.objects.filter(environment="test").count()
    assert Event.objects.filter(type="employee.created").count() == len(people_before) == 14
    assert Workspace.objects.filter(slug="demo").count() == 1

    old_secret, new_secret = first[-1], second[-1]
    assert old_secret != new_secret
    response = client_for(old_secret).get("/v1/employees")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert client_for(new_secret).get("/v1/employees").status_code == 200
    assert ApiKey.objects.filter(revoked_at=None).count() == 1
    # A fresh admin password each run; the old one no longer works.
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password(admin_password(second))
    assert not admin.check_password(admin_password(first))


def test_seed_demo_tops_up_to_the_requested_number_of_people():
    seed()
    run("seed_demo", workspace="demo", employees=9)
    for environment in ("live", "test"):
        assert Employee.objects.filter(environment=environment).count() == 9
    assert Event.objects.filter(type="employee.created").count() == 18


@pytest.mark.django_db
def test_seed_demo_refuses_a_bad_slug_or_a_negative_count_with_a_command_error():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--workspace", "Bad Slug", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("seed_demo", "--employees", "-3", stdout=StringIO())


@pytest.mark.django_db
def test_seed_demo_top_up_keeps_one_head_per_department():

    call_command("seed_demo", "--employees", "8", stdout=StringIO())
    call_command("seed_demo", "--employees", "16", stdout=StringIO())
    heads = Employee.objects.filter(environment="live", role__startswith="Head of")
    assert heads.count() == heads.values("department").distinct().count()
