import pytest

from tests.helpers import freeze_workspace_clock

STATUS_LOG = "/v1/status-log"
LINES = ["Shipped the OG localiser.", "Hit a CLS regression on /product.", "Pairing on the workload curve."]


@pytest.fixture(autouse=True)
def _frozen_workspace_clock(monkeypatch):
    """Today is 2024-05-15 in the factories' Europe/Rome workspaces, whatever the real date."""
    freeze_workspace_clock(monkeypatch)


@pytest.fixture
def post_entry(api, employee):
    """POST an entry for `employee` with defaults for anything not given; `field=...` leaves a field out."""

    def post(client=None, **overrides):
        body = {"employee_id": employee.pk, "lines": LINES, **overrides}
        return (client or api).post(STATUS_LOG, {k: v for k, v in body.items() if v is not ...})

    return post
