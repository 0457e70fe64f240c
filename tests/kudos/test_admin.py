"""HR staff add kudos in the admin through the same service as the API; kudos are read-only after."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from kudos.models import Kudos
from webhooks.models import Event

from ..factories import EmployeeFactory, KudosFactory, WorkspaceFactory
from ..staff import member_client, superuser_client_in, switch_to

pytestmark = pytest.mark.django_db

ADD = reverse("admin:kudos_kudos_add")
CHANGELIST = reverse("admin:kudos_kudos_changelist")


def form_data(workspace, giver, receiver, **overrides):
    """The add form; `workspace` is not a field (the current tenant decides) and is sent only
    where a test forges it."""
    return {
        "from_employee": giver.pk,
        "to_employee": receiver.pk,
        "coins": "10",
        "tag": "craft",
        "note": "Stayed late to fix the release.",
        **overrides,
    }


@pytest.fixture
def superuser_client(workspace):
    return superuser_client_in(workspace)


@pytest.fixture
def hr_client(workspace):
    return member_client(workspace, "hr")


def form_errors(response):
    assert response.status_code == 200, response.status_code
    return response.context["adminform"].form.errors


def test_adding_in_the_admin_goes_through_the_service_and_records_the_event(
    superuser_client, workspace, giver, receiver
):
    response = superuser_client.post(ADD, form_data(workspace, giver, receiver))
    assert response.status_code == 302, response.content.decode()[:3000]
    kudos = Kudos.objects.get()
    assert kudos.pk.startswith("kud_")
    assert (kudos.workspace, kudos.environment, kudos.from_employee, kudos.to_employee) == (
        workspace,
        "live",
        giver,
        receiver,
    )
    assert (kudos.coins, kudos.tag, kudos.note) == (10, "craft", "Stayed late to fix the release.")
    event = Event.objects.get()
    assert event.type == "kudos.awarded" and event.data["id"] == kudos.pk and event.data["coins"] == 10
    assert event.actor.startswith("user:")


def test_the_add_form_renders_with_autocomplete_for_people(superuser_client, hr_client):
    for client in (superuser_client, hr_client):
        page = client.get(ADD)
        assert page.status_code == 200
        fields = page.context["adminform"].form.fields
        assert {"from_employee", "to_employee", "coins", "tag", "note"} == set(fields)
        assert "admin-autocomplete" in page.content.decode()


def test_a_blank_tag_is_stored_as_no_tag(superuser_client, workspace, giver, receiver):
    superuser_client.post(ADD, form_data(workspace, giver, receiver, tag="", note=""))
    assert Event.objects.get().data["tag"] is None and Kudos.objects.get().tag is None


def test_the_allowance_shows_as_a_form_error_on_coins(superuser_client, workspace, giver, receiver):
    KudosFactory(from_employee=giver, to_employee=receiver, coins=95)
    errors = form_errors(superuser_client.post(ADD, form_data(workspace, giver, receiver, coins="6")))
    assert errors["coins"][0].startswith("Only 5 coins left this month (allowance 100).")
    assert Kudos.objects.count() == 1 and not Event.objects.exists()


@pytest.mark.parametrize(
    "case,field,message",
    [
        ("self", "to_employee", "Nobody can give kudos to themselves."),
        ("former giver", "from_employee", "is a former employee"),
        ("former receiver", "to_employee", "is a former employee"),
        # People of other tenants are not among the choices at all.
        ("other workspace", "to_employee", "Select a valid choice"),
        ("other environment", "from_employee", "Select a valid choice"),
    ],
)
def test_service_rules_show_as_form_errors_and_save_nothing(
    superuser_client, workspace, giver, receiver, make_employee, case, field, message
):
    former = make_employee(end_date=date.today() - timedelta(days=1))
    data = {
        "self": form_data(workspace, giver, giver),
        "former giver": form_data(workspace, former, receiver),
        "former receiver": form_data(workspace, giver, former),
        "other workspace": form_data(workspace, giver, EmployeeFactory(workspace=WorkspaceFactory())),
        "other environment": form_data(workspace, make_employee(environment="test"), receiver),
    }[case]
    errors = form_errors(superuser_client.post(ADD, data))
    assert message in errors[field][0]
    assert not Kudos.objects.exists() and not Event.objects.exists()


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"coins": "0"}, "coins"),
        ({"coins": "101"}, "coins"),
        ({"tag": "Not A Slug"}, "tag"),
        ({"note": "n" * 501}, "note"),
    ],
)
def test_shape_rules_show_as_form_errors(superuser_client, workspace, giver, receiver, overrides, field):
    errors = form_errors(superuser_client.post(ADD, form_data(workspace, giver, receiver, **overrides)))
    assert field in errors
    assert not Kudos.objects.exists()


def test_kudos_are_read_only_after_creation(superuser_client, giver, receiver):
    kudos = KudosFactory(from_employee=giver, to_employee=receiver, coins=7, note="Original")
    url = reverse("admin:kudos_kudos_change", args=[kudos.pk])
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    superuser_client.post(url, form_data(kudos.workspace, giver, receiver, coins="99", note="Edited"))
    kudos.refresh_from_db()
    assert (kudos.coins, kudos.note) == (7, "Original")
    assert superuser_client.get(reverse("admin:kudos_kudos_delete", args=[kudos.pk])).status_code == 403
    response = superuser_client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [kudos.pk]})
    assert Kudos.objects.filter(pk=kudos.pk).exists(), response.status_code
    assert not Event.objects.exists()


def test_changelist_columns_search_filters_and_date_hierarchy(superuser_client, workspace, make_employee):
    ada, grace, alan = (make_employee(full_name=n) for n in ("Ada Lovelace", "Grace Hopper", "Alan Turing"))
    KudosFactory(from_employee=ada, to_employee=grace, tag="craft", note="Compiler heroics " + "x" * 100)
    KudosFactory(
        from_employee=alan, to_employee=ada, tag="teamwork", note="Paired", created_at=datetime(2024, 3, 5, tzinfo=UTC)
    )
    testers = [make_employee(environment="test") for _ in range(2)]
    KudosFactory(from_employee=testers[0], to_employee=testers[1], note="Test-only thanks")
    page = superuser_client.get(CHANGELIST).content.decode()
    assert "Ada Lovelace" in page and "Grace Hopper" in page and "Compiler heroics" in page
    assert "x" * 100 not in page  # the note is previewed, not shown whole
    for query, shown, hidden in (
        ({"q": "hopper"}, "Compiler heroics", "Paired"),
        ({"q": "teamwork"}, "Paired", "Compiler heroics"),
        ({"q": "paired"}, "Paired", "Compiler heroics"),
        ({"tag": "craft"}, "Compiler heroics", "Paired"),
        ({"created_at__year": "2024"}, "Paired", "Compiler heroics"),
    ):
        response = superuser_client.get(CHANGELIST, query)
        assert response.status_code == 200, query
        content = response.content.decode()
        assert shown in content and hidden not in content, query
    assert "Test-only thanks" not in page  # live data is shown until the header switches to test
    switch_to(superuser_client, environment="test")
    page = superuser_client.get(CHANGELIST).content.decode()
    assert "Test-only thanks" in page and "Paired" not in page


def test_staff_see_and_add_only_in_the_workspaces_they_belong_to(hr_client, workspace, giver, receiver):
    mine = KudosFactory(from_employee=giver, to_employee=receiver, note="Visible thanks")
    elsewhere = WorkspaceFactory(name="Secret Corp")
    a, b = EmployeeFactory(workspace=elsewhere), EmployeeFactory(workspace=elsewhere)
    theirs = KudosFactory(from_employee=a, to_employee=b, note="Hidden thanks")
    page = hr_client.get(CHANGELIST).content.decode()
    assert "Visible thanks" in page and "Hidden thanks" not in page and "Secret Corp" not in page
    assert hr_client.get(reverse("admin:kudos_kudos_change", args=[mine.pk])).status_code == 200
    assert hr_client.get(reverse("admin:kudos_kudos_change", args=[theirs.pk])).status_code == 302
    errors = form_errors(hr_client.post(ADD, form_data(elsewhere, a, b)))
    assert {"from_employee", "to_employee"} <= set(errors)
    # A forged workspace and environment are ignored: the kudos goes to the current tenant.
    forged = {**form_data(workspace, giver, receiver), "workspace": elsewhere.pk, "environment": "test"}
    assert hr_client.post(ADD, forged).status_code == 302
    assert Kudos.objects.count() == 3
    assert Kudos.objects.filter(workspace=workspace, environment="live").count() == 2
