from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from pulsehr import health
from pulsehr.tenancy.views import admin_tenant_switch

urlpatterns = [
    # The API first: its requests are the most frequent, and patterns are tried in order.
    path("v1/", include("pulsehr.api.urls")),
    # Answered by HealthCheckMiddleware ahead of host validation; named here for reverse().
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # The admin header's workspace and environment switch (before the admin's catch-all).
    path("admin/switch/", admin_tenant_switch, name="admin_tenant_switch"),
    path("admin/", admin.site.urls),
    path("collab/", include("collab.urls")),
    path("v1", RedirectView.as_view(url="/v1/docs", permanent=False)),
    path("", include("developers.urls")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]

handler404 = "pulsehr.api.views.page_not_found"
handler500 = "pulsehr.api.views.server_error"
