"""The admin header's workspace and environment switch."""

from urllib.parse import urlsplit

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .staff import tenant_switch

# Pages about one row, which the other tenant does not have: switching goes to its list instead.
ROW_PAGES = ("_change", "_history", "_delete")


def _back_to(request) -> str:
    """The page the switch was made on, if it is this site's; its list if it shows one row."""
    back = request.POST.get("next", "")
    if not back or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return reverse("admin:index")
    try:
        match = resolve(urlsplit(back).path)
    except Resolver404:
        return reverse("admin:index")
    if match.namespace == "admin" and match.url_name and match.url_name.endswith(ROW_PAGES):
        return reverse(f"admin:{match.url_name.rsplit('_', 1)[0]}_changelist")
    return back


@require_POST
@staff_member_required
def admin_tenant_switch(request):
    """Switch to another of the user's workspaces and/or environment, then go back."""
    tenant_switch(
        request,
        workspace_id=request.POST.get("workspace") or None,
        environment=request.POST.get("environment") or None,
    )
    return HttpResponseRedirect(_back_to(request))
