"""The staff-only demo page: pick a room and a person, and the page mounts the widget on it with
a room token minted here, as an integrator's backend would. Thin: the rules are in collab/demo.py."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from pulsehr.tenancy.context import Tenant
from pulsehr.tenancy.staff import WRITE_ROLES, staff_tenant_role

from .demo import DEFAULT_DEMO_ROOM, DemoRefused, demo_grant, demo_people


def _demo_tenant(request) -> Tenant:
    """The staff user's current workspace environment. The widget writes as the chosen person,
    so read-only members (viewers) and non-members are refused."""
    tenant, role = staff_tenant_role(request)
    if tenant is None:
        raise PermissionDenied("You are not a member of any workspace.")
    if role not in WRITE_ROLES:
        raise PermissionDenied("The collaboration demo writes as the person chosen: it needs the owner or HR role.")
    return tenant


@staff_member_required
@require_GET
def demo_page(request):
    tenant = _demo_tenant(request)
    room_key = request.GET.get("room", "").strip()
    employee_id = request.GET.get("as", "").strip()
    grant, problem = None, None
    if room_key and employee_id:
        try:
            grant = demo_grant(tenant=tenant, room_key=room_key, employee_id=employee_id)
        except DemoRefused as exc:
            problem = str(exc)
    widget = None
    if grant is not None:
        widget = {
            "baseUrl": request.build_absolute_uri("/").rstrip("/"),
            "roomId": grant.room_key,
            "token": grant.token,
            "userId": grant.employee.pk,
            "tokenUrl": reverse("collab:demo-token"),
        }
    context = {
        **admin.site.each_context(request),  # the admin's header, user links and theme
        "title": "Collaboration widget demo",
        "tenant": tenant,
        "people": demo_people(tenant=tenant),
        "room_key": room_key or DEFAULT_DEMO_ROOM,
        "employee_id": employee_id,
        "grant": grant,
        "problem": problem,
        "widget": widget,
    }
    return render(request, "collab/demo.html", context)


@staff_member_required
@require_POST
def demo_token(request):
    """A fresh room token for the widget's `getToken`, under the same checks as the page."""
    tenant = _demo_tenant(request)
    try:
        grant = demo_grant(tenant=tenant, room_key=request.POST.get("room", ""), employee_id=request.POST.get("as", ""))
    except DemoRefused as exc:
        return JsonResponse({"error": {"code": "unprocessable_entity", "message": str(exc)}}, status=422)
    return JsonResponse({"token": grant.token, "expires_at": grant.expires_at.isoformat()})
