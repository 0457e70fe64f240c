"""Makes what a browser test starts from, in the e2e stack's own database.

tests/e2e/stack.py runs `serve()` in one `manage.py shell` subprocess per stack, with the
stack's environment, and sends it one request per line; Django starts once, not per request.
Workspaces and keys go through the tenancy services, as the management commands do; users are
made as an operator would make them.

Staff users get the Django model permissions their role needs in an admin that decides by model
permissions: owners and HR every permission on PulseHR's apps, viewers the view permissions
only. The role is recorded on the membership too, which is what an admin that decides by role
reads; there the grants change nothing."""

import json
import secrets
import sys
import traceback

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction

from pulsehr.tenancy.choices import MembershipRole
from pulsehr.tenancy.context import SYSTEM
from pulsehr.tenancy.models import Workspace
from pulsehr.tenancy.services import api_key_create, membership_add, workspace_create, workspace_update

PULSEHR_APPS = ("tenancy", "employees", "statuslog", "kudos", "workload", "leave", "webhooks")


def make_workspace(*, slug: str, name: str = "", timezone: str = "UTC", country: str = "", **settings) -> dict:
    """A workspace through workspace_create; `settings` are more of its fields
    (leave_approval_required, work_week, …), set through workspace_update as the admin sets them."""
    with transaction.atomic():
        workspace = workspace_create(slug=slug, name=name, country=country, timezone_name=timezone)
        if settings:
            workspace = workspace_update(workspace=workspace, actor=SYSTEM, **settings)
    return {"id": workspace.pk, "slug": workspace.slug, "name": workspace.name}


def role_permissions(role: str):
    permissions = Permission.objects.filter(content_type__app_label__in=PULSEHR_APPS)
    return (
        permissions
        if role in (MembershipRole.OWNER, MembershipRole.HR)
        else permissions.filter(codename__startswith="view_")
    )


def make_user(*, username: str, memberships: dict[str, str], superuser: bool = False) -> dict:
    """A staff user (or a superuser) with a random password and a membership per workspace slug."""
    password = secrets.token_urlsafe(12)
    users = get_user_model().objects
    with transaction.atomic():
        if superuser:
            user = users.create_superuser(username, f"{username}@example.test", password)
        else:
            user = users.create_user(username, f"{username}@example.test", password, is_staff=True)
        permissions = Permission.objects.none()
        for slug, role in memberships.items():
            if role not in MembershipRole.values:
                raise ValueError(f"Unknown role {role!r}; choose from {MembershipRole.values}.")
            membership_add(workspace=Workspace.objects.get(slug=slug), user=user, role=role)
            permissions |= role_permissions(role)
        user.user_permissions.set(permissions.distinct())
    return {"id": user.pk, "username": username, "password": password}


def make_api_key(*, workspace: str, environment: str = "live", scopes: str = "read:*,write:*", name: str = "") -> dict:
    api_key, secret = api_key_create(
        workspace=Workspace.objects.get(slug=workspace), environment=environment, scopes=scopes, name=name
    )
    return {"id": api_key.pk, "secret": secret}


MAKERS = {"workspace": make_workspace, "user": make_user, "api_key": make_api_key}


def serve(answer_prefix: str) -> None:
    """Answer each request line (`{"what": "user", "arguments": {...}}`) with one line: what was
    made (`{"made": {...}}`) or why not (`{"error": "<traceback>"}`), after `answer_prefix`
    (Django logs to stdout too)."""
    for line in sys.stdin:
        request = json.loads(line)
        try:
            answer = {"made": MAKERS[request["what"]](**request["arguments"])}
        except Exception:
            answer = {"error": traceback.format_exc()}
        print(answer_prefix + json.dumps(answer), flush=True)
