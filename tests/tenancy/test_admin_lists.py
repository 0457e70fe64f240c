"""What every admin list shares (pulsehr/tenancy/admin_base.py): yes/no columns in words."""

import pytest
from django.urls import reverse

from pulsehr.tenancy.context import Tenant
from webhooks.delivery import endpoint_disable
from webhooks.services import endpoint_create

from ..staff import superuser_client_in

pytestmark = pytest.mark.django_db


def test_a_yes_no_column_reads_yes_or_no_and_still_sorts(workspace):
    """Django draws False as a red ✗; here "No" is an answer, not an error."""
    tenant = Tenant(workspace, "live")
    endpoint_create(tenant=tenant, url="https://a.example.com/hook", enabled_events=["*"])
    off = endpoint_create(tenant=tenant, url="https://b.example.com/hook", enabled_events=["*"])
    endpoint_disable(endpoint=off, reason="Gone")
    client = superuser_client_in(workspace)
    url = reverse("admin:webhooks_webhookendpoint_changelist")
    page = client.get(url).content.decode()
    assert "icon-no" not in page and "icon-yes" not in page
    assert '<td class="field-disabled">No</td>' in page and '<td class="field-disabled">Yes</td>' in page
    column = page.index("Disabled")
    assert "o=" in page[column - 300 : column]  # the header is a sort link
    sorted_page = client.get(url, {"o": "3"}).content.decode()
    assert sorted_page.index("a.example.com") < sorted_page.index("b.example.com")
