"""Outside the API, a missing page or a refused action answers with an HTML page in the admin's
layout and a way back; under /v1 a missing page stays in the API's JSON envelope."""

import pytest
from django.urls import reverse

from ..factories import WorkspaceFactory
from ..staff import member_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer_client():
    return member_client(WorkspaceFactory(), "viewer")


def test_an_admin_action_the_role_does_not_allow_is_a_403_page_with_a_way_back(viewer_client):
    response = viewer_client.get(reverse("admin:employees_employee_add"))

    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<h1>Permission denied</h1>" in html
    assert 'href="/admin/"' in html and 'id="site-name"' in html  # the admin's header and a link back


@pytest.mark.parametrize("path", ["/admin/no-such-app/", "/developers/no-such-page", "/collab/no-such-page"])
def test_a_missing_page_outside_the_api_is_a_404_page_in_the_admin_layout(viewer_client, path):
    response = viewer_client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert path not in html  # a foreign record's id in the address is not echoed back
    assert 'href="/admin/"' in html


def test_a_missing_page_under_v1_keeps_the_json_envelope(viewer_client):
    response = viewer_client.get("/v1/no-such-resource")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/")
    assert "error" in response.json()
