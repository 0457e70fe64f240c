"""Staff members signed in with the Django test client, each a member of one workspace
with one role, for the /developers pages."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from pulsehr.tenancy.models import Membership

# The webhook tests' real HTTP receiver, and the settings that allow sending to it.
from tests.webhooks.conftest import receiver, webhook_settings  # noqa: F401


@pytest.fixture
def make_staff_client(db):
    """A signed-in staff user with `role` in `workspace`: returns (client, user)."""

    def make(workspace, role="hr", username=None):
        username = username or f"{role}-{workspace.slug}"
        user = get_user_model().objects.create_user(username, f"{username}@example.test", "pw", is_staff=True)
        Membership.objects.create(user=user, workspace=workspace, role=role)
        client = Client()
        client.force_login(user)
        return client, user

    return make


@pytest.fixture
def hr(make_staff_client, workspace):
    return make_staff_client(workspace, "hr")


@pytest.fixture
def hr_client(hr):
    return hr[0]


@pytest.fixture
def viewer_client(make_staff_client, workspace):
    return make_staff_client(workspace, "viewer")[0]


@pytest.fixture
def outsider_client(make_staff_client, other_workspace):
    """HR staff of another workspace: they must see nothing of `workspace`."""
    return make_staff_client(other_workspace, "hr")[0]
