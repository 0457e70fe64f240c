"""Minting and revoking API keys on /developers: the secret is shown once, in the response
to the POST that made it, and the key works against /v1 until it is revoked."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from pulsehr.tenancy.models import ApiKey
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

KEYS = reverse("developers:api_keys")


def mint(client, **data):
    data = {"name": "payroll sync", "environment": "live", "scopes": ["read:employees"], **data}
    return client.post(KEYS, data)


def secret_in(response) -> str:
    """The secret shown in the page (its read-only copy field), or ''."""
    html = response.content.decode()
    marker = 'id="new-key-secret" class="dev-copy-value" type="text" value="'
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split('"', 1)[0]


def test_a_minted_key_is_shown_once_works_against_v1_and_records_who_made_it(hr, employee):
    client, user = hr
    response = mint(client, scopes=["read:employees"])

    assert response.status_code == 200
    secret = secret_in(response)
    assert secret.startswith("pk_live_")
    key = ApiKey.objects.get()
    assert (key.name, key.environment, key.scopes, key.created_by) == ("payroll sync", "live", ["read:employees"], user)
    assert key.display_prefix == secret[:12]
    assert secret not in key.hashed_key and "no-store" in response["Cache-Control"]

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    listed = api.get("/v1/employees")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["data"]] == [employee.pk]

    reloaded = client.get(KEYS)
    assert reloaded.status_code == 200
    assert secret not in reloaded.content.decode()
    assert secret_in(reloaded) == ""
    assert key.display_prefix in reloaded.content.decode()


def test_a_test_key_reads_only_test_data(hr, workspace, make_employee):
    client, _ = hr
    live_employee = make_employee(environment="live")
    test_employee = make_employee(environment="test")
    secret = secret_in(mint(client, environment="test", scopes=["read:*"]))
    assert secret.startswith("pk_test_")

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    ids = [row["id"] for row in api.get("/v1/employees").json()["data"]]
    assert ids == [test_employee.pk] and live_employee.pk not in ids


def test_a_key_without_scopes_is_refused_with_the_services_message_by_the_field(hr_client):
    response = mint(hr_client, scopes=[])
    assert response.status_code == 400
    assert not ApiKey.objects.exists()
    assert secret_in(response) == ""
    html = response.content.decode()
    assert 'id="scopes-errors"' in html and "Give at least one scope." in html


def test_the_scope_checkboxes_are_read_from_the_catalogue_of_scopes_on_each_request(hr_client, monkeypatch):
    from pulsehr.tenancy import choices

    html = hr_client.get(KEYS).content.decode()
    for scope in choices.ALL_SCOPES:
        assert f'value="{scope}"' in html
    monkeypatch.setattr(choices, "ALL_SCOPES", (*choices.ALL_SCOPES, "read:newresource"))
    assert 'value="read:newresource"' in hr_client.get(KEYS).content.decode()


def test_revoking_asks_first_then_makes_the_key_answer_401(hr_client):
    secret = secret_in(mint(hr_client))
    key = ApiKey.objects.get()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/v1/employees").status_code == 200

    revoke = reverse("developers:api_key_revoke", args=[key.pk])
    confirmation = hr_client.get(revoke)
    assert confirmation.status_code == 200 and "Yes, revoke the key" in confirmation.content.decode()
    key.refresh_from_db()
    assert key.revoked_at is None  # a GET changes nothing

    response = hr_client.post(revoke)
    assert response.status_code == 302 and response["Location"] == KEYS
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert api.get("/v1/employees").status_code == 401
    listing = hr_client.get(KEYS).content.decode()
    assert "revoked" in listing and revoke not in listing


def test_writes_need_the_csrf_token(hr):
    _, user = hr
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert mint(strict).status_code == 403
    assert not ApiKey.objects.exists()


# --- Keys that act as an employee --------------------------------------------------------------


def options_of(html: str) -> dict[str, list[str]]:
    """The Acts-as select's options by group (environment), as values; "" for the ungrouped."""
    select = html.split('name="employee_id"', 1)[1].split("</select>", 1)[0]
    groups: dict[str, list[str]] = {}
    current = ""
    for part in select.split("<")[1:]:
        if part.startswith("optgroup"):
            current = part.split('label="', 1)[1].split('"', 1)[0]
        elif part.startswith("/optgroup"):
            current = ""
        elif part.startswith("option"):
            groups.setdefault(current, []).append(part.split('value="', 1)[1].split('"', 1)[0])
    return groups


def test_the_acts_as_choice_offers_the_workspaces_current_employees_by_environment_only(
    hr_client, make_employee, other_workspace
):
    ada = make_employee(full_name="Ada Live", environment="live")
    tess = make_employee(full_name="Tess Test", environment="test")
    make_employee(full_name="Otto Old", environment="live", end_date=date(2024, 6, 28))
    EmployeeFactory(workspace=other_workspace, full_name="Xena Elsewhere")

    html = hr_client.get(KEYS).content.decode()

    assert options_of(html) == {"": [""], "Live": [ada.pk], "Test": [tess.pk]}
    assert "Ada Live" in html and "Tess Test" in html
    assert "Otto Old" not in html and "Xena Elsewhere" not in html


def test_a_key_minted_to_act_as_an_employee_is_bound_listed_with_them_and_gives_kudos_as_them(hr_client, make_employee):
    ada = make_employee(full_name="Ada Live")
    grace = make_employee(full_name="Grace Live")
    response = mint(hr_client, scopes=["write:kudos"], employee_id=ada.pk)

    assert response.status_code == 200, response.content
    key = ApiKey.objects.get()
    assert key.employee == ada
    row = response.content.decode().split('class="dev-new"', 1)[1].split("</tr>", 1)[0]
    assert "Ada Live" in row and ada.pk in row

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret_in(response)}")
    kudos = api.post("/v1/kudos", {"to_employee_id": grace.pk, "coins": 5}, format="json")
    assert kudos.status_code == 201, kudos.content
    assert kudos.json()["from_employee_id"] == ada.pk


def test_another_workspaces_employee_is_refused_as_an_unknown_choice(hr_client, other_workspace):
    outsider = EmployeeFactory(workspace=other_workspace, full_name="Xena Elsewhere")
    response = mint(hr_client, employee_id=outsider.pk)
    assert response.status_code == 400
    assert not ApiKey.objects.exists() and secret_in(response) == ""
    html = response.content.decode()
    assert 'id="id_employee_id_error"' in html and "Select a valid choice" in html and "Xena" not in html


def test_an_employee_of_the_other_environment_is_refused_by_the_field_with_the_services_message(
    hr_client, make_employee, workspace
):
    tess = make_employee(full_name="Tess Test", environment="test")
    response = mint(hr_client, environment="live", employee_id=tess.pk)
    assert response.status_code == 400
    assert not ApiKey.objects.exists()
    html = response.content.decode()
    assert 'id="id_employee_id_error"' in html
    assert f"{tess.pk} is not an employee of {workspace.name} (live)" in html


def test_a_key_whose_employee_was_offboarded_is_shown_as_stopped(hr_client, make_employee):
    ada = make_employee(full_name="Ada Live")
    mint(hr_client, employee_id=ada.pk)
    ada.end_date = date(2024, 6, 28)
    ada.save()
    html = hr_client.get(KEYS).content.decode()
    row = html.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "Ada Live" in row and "employee offboarded" in row and ">active<" not in row
    assert "offboarded on 2024-06-28" in row


def test_the_revoke_page_names_the_employee_the_key_acts_as(hr_client, make_employee):
    ada = make_employee(full_name="Ada Live")
    mint(hr_client, employee_id=ada.pk)
    page = hr_client.get(reverse("developers:api_key_revoke", args=[ApiKey.objects.get().pk]))
    assert "Acts as Ada Live" in page.content.decode()


def test_the_key_list_costs_as_many_queries_for_three_bound_keys_as_for_one(hr_client, make_employee):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert hr_client.get(KEYS).status_code == 200
        return len(captured)

    people = [make_employee(full_name=f"Person {n}") for n in range(3)]
    mint(hr_client, employee_id=people[0].pk)
    one = queries()
    for person in people[1:]:
        mint(hr_client, employee_id=person.pk)
    assert queries() == one
