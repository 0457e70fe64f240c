"""Every page we serve passes axe-core's WCAG 2.0/2.1 A and AA rules with no critical or serious
finding, at a desktop width and a phone's: the admin (the dashboard, every list, the add and
change pages, the team calendar and team health), /developers, /ecosystem, the collaboration
demo, the API reference at /v1/docs (collapsed and with an operation open), the sign-in, 403
and 404 pages. axe-core comes pinned from tests/e2e/axe's lockfile and is injected with
page.evaluate (the Content-Security-Policy refuses inline scripts)."""

import fcntl
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.contrib import admin

from .browser import DESKTOP, login

AXE_DIR = Path(__file__).resolve().parent / "axe"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe.min.js from the lockfile (`npm ci`, once, under a lock)."""
    if shutil.which("npm") is None:
        pytest.skip("node and npm are needed for axe-core (`make node`)")
    with open(Path(tempfile.gettempdir()) / "pulsehr-axe.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (AXE_DIR / "node_modules" / "axe-core" / "axe.min.js").exists():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=AXE_DIR, check=True, capture_output=True)
    return (AXE_DIR / "node_modules" / "axe-core" / "axe.min.js").read_text()


def findings(page, axe_source: str) -> list[str]:
    """The page's critical and serious violations, one line per element."""
    page.evaluate(axe_source)
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations
                .filter((v) => v.impact === "critical" || v.impact === "serious")
                .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}) ${n.target.join(" ")}: ${n.failureSummary}`));
        }""",
        TAGS,
    )
    return violations


def pages_of(workspace_objects: dict[str, str]) -> list[str]:
    """Every list of a model staff see, the add page of those they may add, a change page of
    each kind of object made below, and the pages that are not model lists."""
    lists = sorted(
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model in admin.site._registry
        if model._meta.app_label != "auth"
    )
    return [
        "/admin/",
        *lists,
        "/admin/employees/employee/add/",
        "/admin/leave/leave/add/",
        *workspace_objects.values(),
        "/admin/leave/leave/team-calendar/",
        "/admin/team-health/",
        "/developers",
        "/developers/webhooks",
        "/developers/calendar-feeds",
        "/ecosystem",
        "/collab/demo/",
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_page_has_a_critical_or_serious_accessibility_finding(stack, browser, shot, axe_source, viewport):
    workspace = stack.create_workspace(name="Access Co")
    api = stack.api(workspace)
    ada = api.post(
        "/v1/employees", {"full_name": "Ada Lovelace", "email": "ada@example.test", "start_date": "2024-01-08"}
    ).json()
    grace = api.post(
        "/v1/employees", {"full_name": "Grace Hopper", "start_date": "2024-01-08", "manager_id": ada["id"]}
    ).json()
    leave = api.post(
        "/v1/leave",
        {"employee_id": grace["id"], "kind": "personal", "start_date": "2026-03-02", "end_date": "2026-03-02"},
    ).json()
    endpoint = api.post(
        "/v1/webhook-endpoints", {"url": "https://hooks.example.test/pulse", "enabled_events": ["employee.created"]}
    ).json()
    objects = {
        "employee": f"/admin/employees/employee/{grace['id']}/change/",
        "leave": f"/admin/leave/leave/{leave['id']}/change/",
        "endpoint": f"/developers/webhooks/{endpoint['id']}",
    }
    context = browser.new_context(base_url=stack.url, viewport=viewport)
    found: dict[str, list[str]] = {}
    try:
        page = context.new_page()
        page.goto("/admin/login/")
        found["/admin/login/"] = findings(page, axe_source)
        login(page, stack.create_staff_user(workspace, "owner"))
        workspace_page = page.evaluate("() => document.querySelector('a[href*=\"/admin/tenancy/workspace/\"]')?.href")
        for url in pages_of(objects) + ([workspace_page] if workspace_page else []):
            page.goto(url)
            found[url] = findings(page, axe_source)
        page.goto("/admin/does-not-exist/")
        found["404"] = findings(page, axe_source)
        shot(page, "last-page")
        context.close()
        context = browser.new_context(base_url=stack.url, viewport=viewport)  # a viewer, signed in afresh
        viewer = context.new_page()
        login(viewer, stack.create_staff_user(workspace, "viewer"))
        viewer.goto("/admin/employees/employee/add/")
        found["403"] = findings(viewer, axe_source)
        viewer.goto("/v1/docs")
        viewer.wait_for_selector(".opblock")
        found["/v1/docs"] = findings(viewer, axe_source)
        viewer.click(".opblock-summary-control >> nth=0")
        viewer.wait_for_selector(".opblock-body")
        found["/v1/docs, an operation open"] = findings(viewer, axe_source)
        shot(viewer, "api-reference")
    finally:
        context.close()
    failing = {url: lines for url, lines in found.items() if lines}
    assert not failing, json.dumps(failing, indent=1)
    assert len(found) >= 30
