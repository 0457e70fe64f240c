from django.urls import path, re_path
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
    # The features' resources follow these, put under /v1 by the project's wiring
    # (pulsehr/urls.py): the core does not know the apps above it.
]
# Last under /v1, after the features' resources: anything else is a 404 in the error envelope.
fallback = re_path(r"^.*$", not_found)
