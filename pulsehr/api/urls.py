from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView

from .openapi import openapi_json
from .views import not_found

urlpatterns = [
    # Built once per process, served with an ETag and gzip (pulsehr/api/openapi.py).
    path("openapi.json", openapi_json, name="openapi"),
    # The split view serves Swagger UI's start-up script as a file (`/v1/docs?script=`) rather than
    # inline, so the page runs under the Content-Security-Policy with no inline script.
    path(
        "docs",
        SpectacularSwaggerSplitView.as_view(url_name="openapi", authentication_classes=[], permission_classes=[]),
        name="api-docs",
    ),
    path("", include("employees.api.urls")),
    path("", include("statuslog.api.urls")),
    path("", include("kudos.api.urls")),
    path("", include("workload.api.urls")),
    path("", include("leave.api.urls")),
    path("", include("webhooks.api.urls")),
    path("", include("collab.api.urls")),
    re_path(r"^.*$", not_found),
]
