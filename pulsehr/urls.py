from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from pulsehr import health
from pulsehr.api import urls as api_urls
from pulsehr.tenancy.views import admin_tenant_switch
from scores.views import team_health

# The resources under /v1, each app's own; the core serves the OpenAPI document, the docs and the 404.
API_RESOURCES = [
    "employees.api.urls",
    "statuslog.api.urls",
    "kudos.api.urls",
    "workload.api.urls",
    "leave.api.urls",
    "webhooks.api.urls",
    "collab.api.urls",
    "scores.api.urls",
]

urlpatterns = [
    # The API first: its requests are the most frequent, and patterns are tried in order.
    path(
        "v1/",
        include([*api_urls.urlpatterns, *(path("", include(module)) for module in API_RESOURCES), api_urls.fallback]),
    ),
    # Answered by HealthCheckMiddleware ahead of host validation; named here for reverse().
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # The admin header's workspace and environment switch (before the admin's catch-all).
    path("admin/switch/", admin_tenant_switch, name="admin_tenant_switch"),
    path("admin/team-health/", admin.site.admin_view(team_health), name="admin_team_health"),
    path("admin/", admin.site.urls),
    path("collab/", include("collab.urls")),
    path("calendar/", include("leave.urls")),
    path("v1", RedirectView.as_view(url="/v1/docs", permanent=False)),
    path("", include("developers.urls")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]

handler404 = "pulsehr.api.views.page_not_found"
handler500 = "pulsehr.api.views.server_error"
