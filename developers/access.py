"""Who may open /developers, and on which workspace they work there."""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from pulsehr.tenancy.models import Workspace
from pulsehr.tenancy.staff import current_tenant, staff_can_write

from .frame import render_page


@dataclass(frozen=True)
class Access:
    """The signed-in staff member's current workspace, as the admin's switcher last set it."""

    workspace: Workspace
    environment: str  # the session's environment: the default for new keys and endpoints
    can_write: bool


def forbidden(request, reason: str):
    return render_page(request, "developers/forbidden.html", {"title": "Developers", "reason": reason}, status=403)


def developer_page(*, write: bool = False):
    """Decorate a /developers view, which then receives the caller's Access after the request.

    Anonymous visitors go to the admin login and come back; signed-in users who are not staff
    of any workspace get a 403 page saying why. Viewers may look: every POST, and the pages
    that exist only to make a change (`write=True`), are refused to them with 403.
    Responses are never cached: they show secrets once and per-user data always."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            tenant = current_tenant(request) if request.user.is_staff else None
            if tenant is None:
                response = forbidden(
                    request,
                    "Your account is not a staff member of any workspace. Ask a workspace owner to add you.",
                )
            else:
                can_write = staff_can_write(request.user, tenant.workspace)
                if not can_write and (write or request.method == "POST"):
                    response = forbidden(
                        request,
                        f"Your role in {tenant.workspace} is read-only: you can look at its keys and "
                        "webhooks, but only owners and HR staff can change them.",
                    )
                else:
                    access = Access(workspace=tenant.workspace, environment=tenant.environment, can_write=can_write)
                    response = view(request, access, *args, **kwargs)
            add_never_cache_headers(response)
            return response

        return wrapper

    return decorate
