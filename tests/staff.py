"""Signed-in admin clients for staff users, and the header's workspace/environment switch,
as the admin tests use them. Staff users get no Django model permissions: their role in the
workspace is what the admin goes by."""

from itertools import count

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from pulsehr.tenancy.models import Membership

_usernames = count(1)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def superuser_client() -> Client:
    number = next(_usernames)
    return logged_in(get_user_model().objects.create_superuser(f"root{number}", f"root{number}@example.test", "pw"))


def staff_user(*memberships, username: str | None = None):
    """A staff user with the given (workspace, role) memberships."""
    username = username or f"staff{next(_usernames)}"
    user = get_user_model().objects.create_user(username, f"{username}@example.test", "pw", is_staff=True)
    for workspace, role in memberships:
        Membership.objects.create(user=user, workspace=workspace, role=role)
    return user


def member_client(workspace, role: str = "hr") -> Client:
    return logged_in(staff_user((workspace, role)))


def switch_to(client: Client, workspace=None, environment: str | None = None, next_url: str = ""):
    """Use the admin header's switch, as its form posts it."""
    data = {"next": next_url}
    if workspace is not None:
        data["workspace"] = workspace.pk
    if environment is not None:
        data["environment"] = environment
    return client.post(reverse("admin_tenant_switch"), data)


def superuser_client_in(workspace, environment: str = "live") -> Client:
    """A superuser working in `workspace` (superusers may switch to any)."""
    client = superuser_client()
    switch_to(client, workspace, environment)
    return client
