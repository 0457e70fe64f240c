"""HR staff edit the workspace's policies in the admin, validated so none can be bad."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from pulsehr.errors import InvalidInput
from pulsehr.tenancy.services import workspace_policies_validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client():
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.test", "pw"))
    return client


def post(client, workspace, **overrides):
    data = {
        "name": workspace.name,
        "slug": workspace.slug,
        "timezone": "Europe/Berlin",
        "country": "DE",
        "region": "BY",
        "work_week": ["1", "2", "3", "4"],
        "kudos_monthly_allowance": "50",
        "leave_allowances": json.dumps({"vacation": 28, "personal": 2.5, "sick": 0}),
        "leave_approval_required": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        **overrides,
    }
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(reverse("admin:tenancy_workspace_change", args=[workspace.pk]), data)


def test_policies_are_editable_and_saved(superuser_client, workspace):
    response = post(superuser_client, workspace)
    assert response.status_code == 302, response.content.decode()[:3000]
    workspace.refresh_from_db()
    assert (workspace.country, workspace.region, workspace.timezone) == ("DE", "BY", "Europe/Berlin")
    assert workspace.work_week == [1, 2, 3, 4]
    assert workspace.kudos_monthly_allowance == 50 and workspace.leave_approval_required is True
    assert workspace.leave_allowances == {"vacation": 28, "personal": 2.5, "sick": 0}


def test_the_change_page_shows_the_policies(superuser_client, workspace):
    page = superuser_client.get(reverse("admin:tenancy_workspace_change", args=[workspace.pk])).content.decode()
    for text in ("Work week", "Monday", "Leave allowances", "Leave approval required", "IT – Italy"):
        assert text in page, text


@pytest.mark.parametrize(
    "overrides,stored",
    [
        ({"region": "by"}, ("DE", "BY")),
        ({"region": "DE-BY"}, ("DE", "BY")),
        ({"region": "Bayern"}, ("DE", "BY")),
        ({"region": ""}, ("DE", "")),
        ({"country": "", "region": ""}, ("", "")),
    ],
)
def test_regions_are_normalised_to_the_subdivision_code(superuser_client, workspace, overrides, stored):
    assert post(superuser_client, workspace, **overrides).status_code == 302
    workspace.refresh_from_db()
    assert (workspace.country, workspace.region) == stored


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"country": "XX"}, "country", "Select a valid choice"),
        ({"region": "ZZ"}, "region", "not a region of DE"),
        ({"country": "", "region": "BY"}, "region", "country before a region"),
        ({"work_week": None}, "work_week", "required"),
        ({"work_week": ["8"]}, "work_week", "Select a valid choice"),
        ({"leave_allowances": '{"holiday": 5}'}, "leave_allowances", "not a leave kind"),
        ({"leave_allowances": '{"vacation": -1}'}, "leave_allowances", "from 0 to 366"),
        ({"leave_allowances": '{"vacation": "25"}'}, "leave_allowances", "from 0 to 366"),
        ({"leave_allowances": '{"vacation": true}'}, "leave_allowances", "from 0 to 366"),
        ({"leave_allowances": '{"vacation": 25.3}'}, "leave_allowances", "half days"),
        ({"leave_allowances": "[25]"}, "leave_allowances", "JSON object"),
        ({"kudos_monthly_allowance": "-5"}, "kudos_monthly_allowance", "greater than or equal to 0"),
        ({"timezone": "Mars/Olympus"}, "timezone", "IANA time zone"),
    ],
)
def test_bad_policies_are_form_errors_and_save_nothing(superuser_client, workspace, overrides, field, message):
    response = post(superuser_client, workspace, **overrides)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in errors[field][0], errors
    workspace.refresh_from_db()
    assert (workspace.country, workspace.leave_approval_required) == ("IT", False)


def test_the_policy_check_names_the_field_at_fault():
    valid = {
        "country": "it",
        "region": "",
        "timezone_name": "Europe/Rome",
        "work_week": [5, 1, 2, 3, 4, 1],
        "kudos_monthly_allowance": 100,
        "leave_allowances": {"vacation": 25.0},
    }
    assert workspace_policies_validate(**valid) == {
        "country": "IT",
        "region": "",
        "timezone": "Europe/Rome",
        "work_week": [1, 2, 3, 4, 5],
        "kudos_monthly_allowance": 100,
        "leave_allowances": {"vacation": 25},
    }
    for change, field in (
        ({"country": "ITA"}, "country"),
        ({"work_week": []}, "work_week"),
        ({"work_week": [0]}, "work_week"),
        ({"work_week": [True]}, "work_week"),
        ({"work_week": "12345"}, "work_week"),
        ({"kudos_monthly_allowance": -1}, "kudos_monthly_allowance"),
        ({"leave_allowances": {"vacation": 400}}, "leave_allowances"),
    ):
        with pytest.raises(InvalidInput) as raised:
            workspace_policies_validate(**{**valid, **change})
        assert raised.value.fields == [field], change
