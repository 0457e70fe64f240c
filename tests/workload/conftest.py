import pytest

from tests.helpers import freeze_workspace_clock

CHECKINS = "/v1/workload-checkins"
THIS_WEEK = "2024-05-13"  # the Monday of the frozen clock's week


@pytest.fixture(autouse=True)
def _frozen_workspace_clock(monkeypatch):
    """Today is Wednesday 2024-05-15 in the factories' Europe/Rome workspaces, whatever the real date."""
    freeze_workspace_clock(monkeypatch)


@pytest.fixture
def check_in(api, employee):
    """POST a check-in for `employee` with defaults for anything not given; `field=...` leaves a field out."""

    def post(client=None, **overrides):
        body = {"employee_id": employee.pk, "level": "balanced", **overrides}
        return (client or api).post(CHECKINS, {k: v for k, v in body.items() if v is not ...})

    return post
