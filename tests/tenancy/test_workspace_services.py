"""The workspace and membership services: the only writers of those rows (the admin, the
commands and seed_demo go through them); their errors are typed, with the API's statuses."""

import pytest

from pulsehr.api.exceptions import domain_status
from pulsehr.tenancy.context import SYSTEM
from pulsehr.tenancy.errors import AlreadyMember, InvalidSlug, SlugTaken, UnknownRole, UnknownTimeZone
from pulsehr.tenancy.models import Membership
from pulsehr.tenancy.services import (
    membership_add,
    membership_change_role,
    membership_remove,
    workspace_create,
    workspace_update,
)

from ..factories import WorkspaceFactory
from ..staff import staff_user

pytestmark = pytest.mark.django_db


def test_workspace_create_refuses_a_bad_slug_time_zone_or_taken_slug(workspace):
    for call, error, status in (
        (dict(slug="Not A Slug"), InvalidSlug, 400),
        (dict(slug="new", timezone_name="Mars/Olympus"), UnknownTimeZone, 400),
        (dict(slug=workspace.slug), SlugTaken, 422),
    ):
        with pytest.raises(error) as raised:
            workspace_create(**call)
        assert domain_status(raised.value) == status


def test_workspace_update_changes_the_name_and_slug_but_not_to_anothers(workspace):
    other = WorkspaceFactory()
    saved = workspace_update(workspace=workspace, actor=SYSTEM, name="Renamed", slug="renamed")
    workspace.refresh_from_db()
    assert (saved.name, workspace.name, workspace.slug) == ("Renamed", "Renamed", "renamed")
    assert workspace_update(workspace=workspace, actor=SYSTEM, slug="renamed").slug == "renamed"  # its own
    with pytest.raises(SlugTaken):
        workspace_update(workspace=workspace, actor=SYSTEM, slug=other.slug)
    with pytest.raises(InvalidSlug):
        workspace_update(workspace=workspace, actor=SYSTEM, slug="Not A Slug")
    with pytest.raises(TypeError, match="created_at"):
        workspace_update(workspace=workspace, actor=SYSTEM, created_at=None)


def test_memberships_are_added_changed_and_removed(workspace):
    user = staff_user()
    membership = membership_add(workspace=workspace, user=user, role="viewer")
    assert Membership.objects.get(workspace=workspace, user=user).role == "viewer"
    membership_change_role(membership=membership, role="owner")
    assert Membership.objects.get(pk=membership.pk).role == "owner"
    membership_remove(membership=membership)
    assert not Membership.objects.filter(workspace=workspace, user=user).exists()


def test_a_second_membership_or_an_unknown_role_is_refused(workspace):
    user = staff_user((workspace, "hr"))
    with pytest.raises(AlreadyMember) as raised:
        membership_add(workspace=workspace, user=user, role="viewer")
    assert domain_status(raised.value) == 409
    with pytest.raises(UnknownRole) as raised:
        membership_add(workspace=WorkspaceFactory(), user=user, role="admin")
    assert domain_status(raised.value) == 400
    with pytest.raises(UnknownRole):
        membership_change_role(membership=Membership.objects.get(user=user), role="admin")
    assert Membership.objects.get(user=user).role == "hr"
