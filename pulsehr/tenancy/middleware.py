"""Staff pages (the admin, /developers, the collaboration demo) in their workspace's time zone."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

from pulsehr.api.middleware import is_api_request

from .staff import staff_tenant_role


class WorkspaceTimeZoneMiddleware:
    """Activates the time zone of the workspace a signed-in staff user works in, so every date
    and time Django renders for them (lists, change pages, /developers) is that workspace's
    local time, named by the formats (pulsehr/formats). /v1 answers in UTC, as ISO 8601."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = None if is_api_request(request) else workspace_zone(request)
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)


def workspace_zone(request) -> ZoneInfo | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return None
    tenant, _ = staff_tenant_role(request)
    if tenant is None:
        return None
    try:
        return ZoneInfo(tenant.workspace.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return None  # a zone the admin would refuse: UTC, as before
