"""The workspace and environment a signed-in staff user is working in, for the admin and
/developers. Kept in the session; live data by default; only workspaces the user is a member
of (every workspace for superusers)."""

from django.db.models import QuerySet

from .choices import Environment, MembershipRole
from .context import Tenant
from .models import Membership, Workspace

SESSION_WORKSPACE = "pulsehr_workspace"
SESSION_ENVIRONMENT = "pulsehr_environment"
# Roles that change a workspace's HR data; owners also change the workspace itself.
WRITE_ROLES = (MembershipRole.OWNER, MembershipRole.HR)
# Where one request keeps its tenant and role: the admin asks on every permission check.
_REQUEST_CACHE = "_pulsehr_staff_tenant"


def staff_workspaces(user) -> QuerySet[Workspace]:
    """Workspaces the user may work in."""
    if not user.is_authenticated or not user.is_active:
        return Workspace.objects.none()
    if user.is_superuser:
        return Workspace.objects.all()
    return Workspace.objects.filter(memberships__user=user)


def staff_role(user, workspace: Workspace) -> str | None:
    """The user's role in the workspace; superusers act as owners; None for non-members."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return MembershipRole.OWNER
    return Membership.objects.filter(user=user, workspace=workspace).values_list("role", flat=True).first()


def staff_can_write(user, workspace: Workspace) -> bool:
    return staff_role(user, workspace) in WRITE_ROLES


def current_tenant(request) -> Tenant | None:
    """The workspace environment the user last switched to, or their first workspace's live
    data; None when the user is a member of no workspace. A workspace the user has since
    lost access to is never returned."""
    workspaces = staff_workspaces(request.user)
    chosen = request.session.get(SESSION_WORKSPACE)
    workspace = (workspaces.filter(pk=chosen).first() if chosen else None) or workspaces.order_by("slug").first()
    if workspace is None:
        return None
    environment = request.session.get(SESSION_ENVIRONMENT)
    if environment not in Environment.values:
        environment = Environment.LIVE
    return Tenant(workspace, environment)


def tenant_switch(request, *, workspace_id: str | None = None, environment: str | None = None) -> Tenant | None:
    """Switch the session to another of the user's workspaces and/or environment. Unknown or
    foreign workspaces and unknown environments are ignored (the current choice stays)."""
    if workspace_id is not None and staff_workspaces(request.user).filter(pk=workspace_id).exists():
        request.session[SESSION_WORKSPACE] = workspace_id
    if environment is not None and environment in Environment.values:
        request.session[SESSION_ENVIRONMENT] = environment
    request.__dict__.pop(_REQUEST_CACHE, None)
    return current_tenant(request)


def staff_tenant_role(request) -> tuple[Tenant | None, str | None]:
    """The current tenant and the user's role in it, looked up once per request."""
    cached = request.__dict__.get(_REQUEST_CACHE)
    if cached is None:
        tenant = current_tenant(request)
        cached = (tenant, staff_role(request.user, tenant.workspace) if tenant else None)
        request.__dict__[_REQUEST_CACHE] = cached
    return cached
