"""The admin header's view of the staff user's current workspace environment."""

from django import template

from ..choices import Environment, MembershipRole
from ..staff import staff_tenant_role, staff_workspaces

register = template.Library()


@register.simple_tag(takes_context=True)
def admin_tenant(context) -> dict:
    """What the header shows: the current tenant, the user's role in it, the workspaces they
    may switch to and the environments. Empty for pages without a signed-in staff user."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (user.is_active and user.is_staff):
        return {}
    cached = request.__dict__.get("_pulsehr_admin_tenant")
    if cached is None:
        tenant, role = staff_tenant_role(request)
        cached = {
            "tenant": tenant,
            "role": MembershipRole(role).label if role else "",
            "workspaces": list(staff_workspaces(user).order_by("name").only("pk", "name")) if tenant else [],
            "environments": Environment.choices,
            "on_test_data": tenant is not None and tenant.environment == Environment.TEST,
        }
        request.__dict__["_pulsehr_admin_tenant"] = cached
    return cached
