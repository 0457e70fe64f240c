"""HR staff edit the workspace's policies in the admin, validated so none can be bad: each by
the app that owns it (the core its locale and work week, leave its allowances, kudos its
monthly allowance), through workspace_update."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from kudos.errors import InvalidKudosAllowance
from leave.errors import InvalidLeaveAllowance
from pulsehr.api.exceptions import domain_status
from pulsehr.errors import InvalidInput
from pulsehr.tenancy.context import SYSTEM
from pulsehr.tenancy.errors import InvalidCountry, InvalidRegion, InvalidWorkWeek, UnknownTimeZone
from pulsehr.tenancy.services import workspace_update

from ..helpers import key_value_rows

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
        **key_value_rows("leave_allowances", {"vacation": 28, "personal": 2.5, "sick": 0}),
        "leave_approval_required": "on",
        "score_window_days": "90",
        "score_weights": '{"recognition": 1, "participation": 1, "workload": 1, "time_off": 1}',
        "score_change_threshold": "10",
        "score_min_group_size": "5",
        "score_privacy": "hr_only",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        **overrides,
    }
    if any(key.startswith("leave_allowances-") for key in overrides):  # rows of their own, not added to ours
        data = {k: v for k, v in data.items() if not k.startswith("leave_allowances-") or k in overrides}
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
        (key_value_rows("leave_allowances", {"holiday": 5}), "leave_allowances", "not a leave kind"),
        (key_value_rows("leave_allowances", {"vacation": -1}), "leave_allowances", "from 0 to 366"),
        (key_value_rows("leave_allowances", {"vacation": "25"}), "leave_allowances", "from 0 to 366"),
        (key_value_rows("leave_allowances", {"vacation": True}), "leave_allowances", "from 0 to 366"),
        (key_value_rows("leave_allowances", {"vacation": 25.3}), "leave_allowances", "half days"),
        (key_value_rows("leave_allowances", [("vacation", "number", "lots")]), "leave_allowances", "not a number"),
        (
            key_value_rows("leave_allowances", [("vacation", "number", "5"), ("vacation", "number", "6")]),
            "leave_allowances",
            "appears twice",
        ),
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


def test_workspace_update_normalises_the_policies(workspace):
    saved = workspace_update(
        workspace=workspace,
        actor=SYSTEM,
        country="it",
        region="",
        timezone="Europe/Rome",
        work_week=[5, 1, 2, 3, 4, 1],
        kudos_monthly_allowance=100,
        leave_allowances={"vacation": 25.0},
    )
    workspace.refresh_from_db()
    for row in (saved, workspace):
        assert (row.country, row.region, row.timezone) == ("IT", "", "Europe/Rome")
        assert row.work_week == [1, 2, 3, 4, 5]
        assert row.kudos_monthly_allowance == 100
        assert row.leave_allowances == {"vacation": 25}
        assert type(row.leave_allowances["vacation"]) is int


def test_a_region_alone_is_checked_against_the_workspaces_country(workspace):
    assert workspace_update(workspace=workspace, actor=SYSTEM, region="mi").region == "MI"
    with pytest.raises(InvalidRegion, match="not a region of IT"):
        workspace_update(workspace=workspace, actor=SYSTEM, region="BY")


@pytest.mark.parametrize(
    "change,error,field",
    [
        ({"country": "ITA"}, InvalidCountry, "country"),
        ({"country": "", "region": "MI"}, InvalidRegion, "region"),
        ({"timezone": "Mars/Olympus"}, UnknownTimeZone, "timezone"),
        ({"work_week": []}, InvalidWorkWeek, "work_week"),
        ({"work_week": [0]}, InvalidWorkWeek, "work_week"),
        ({"work_week": [True]}, InvalidWorkWeek, "work_week"),
        ({"work_week": "12345"}, InvalidWorkWeek, "work_week"),
        ({"kudos_monthly_allowance": -1}, InvalidKudosAllowance, "kudos_monthly_allowance"),
        ({"kudos_monthly_allowance": 2.5}, InvalidKudosAllowance, "kudos_monthly_allowance"),
        ({"leave_allowances": {"vacation": 400}}, InvalidLeaveAllowance, "leave_allowances"),
        ({"leave_allowances": {"holiday": 5}}, InvalidLeaveAllowance, "leave_allowances"),
        ({"leave_allowances": [25]}, InvalidLeaveAllowance, "leave_allowances"),
    ],
)
def test_a_refused_policy_names_its_field_saves_nothing_and_is_a_400(workspace, change, error, field):
    before = {name: getattr(workspace, name) for name in change}
    with pytest.raises(error) as raised:
        workspace_update(workspace=workspace, actor=SYSTEM, name="Renamed", **change)
    assert isinstance(raised.value, InvalidInput) and domain_status(raised.value) == 400
    assert raised.value.fields == [field], change
    workspace.refresh_from_db()
    assert workspace.name != "Renamed" and {name: getattr(workspace, name) for name in change} == before


def test_the_allowances_editor_offers_every_leave_kind_and_only_numbers():
    from leave.choices import LeaveKind
    from pulsehr.tenancy.admin import LEAVE_KINDS, WorkspaceAdminForm

    assert LEAVE_KINDS == tuple(LeaveKind.values)
    widget = WorkspaceAdminForm.base_fields["leave_allowances"].widget
    html = widget.render("leave_allowances", {"vacation": 25}, {"id": "id_leave_allowances"})
    assert 'list="id_leave_allowances-keys"' in html and all(f'<option value="{kind}">' in html for kind in LEAVE_KINDS)
    assert '<option value="number" selected>Number</option>' in html and 'value="text"' not in html
