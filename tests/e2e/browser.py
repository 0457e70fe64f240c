"""Debian's Chromium driven by Playwright, and what the browser tests do with a page.

Playwright's own browser builds are never downloaded (`playwright install` cannot work here):
the tests launch the system Chromium, which `make test` installs when it can."""

import re
import shutil
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, Playwright, expect

from .stack import BASE_DIR, User

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox: CI runs as root, where Chromium's sandbox refuses to start. The rest keeps the
# browser from reaching out to Google's services while it runs.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 375, "height": 812}
SCREENSHOTS_DIR = BASE_DIR / "test-output" / "e2e"


def file_name_part(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text).strip("-")


def launch(playwright: Playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


# Each page reports what its Content-Security-Policy refused (blocked, or would have: an inline
# script, style or handler, a source not allowed) as a `securitypolicyviolation` event.
REPORT_CSP_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(`${location.pathname}${location.search}: ${event.effectiveDirective} refused `
    + `${event.blockedURI || "inline"} (${event.sourceFile || "the page"}:${event.lineNumber}) `
    + `${event.sample ? JSON.stringify(event.sample) : ""}`);
});"""


def watch_csp_violations(context: BrowserContext) -> list[str]:
    """The violations reported on every page of `context` from now on, one line each."""
    violations: list[str] = []

    def report(line: str) -> None:
        violations.append(line)

    context.expose_function("__reportCspViolation", report)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    return violations


def login(page: Page, user: User) -> None:
    """Sign in through the admin's login form, as a person would, and land on the admin."""
    page.goto("/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", user.password)
    page.click("input[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/admin/login/"))
    expect(page.locator("#user-tools")).to_contain_text(user.username)


class Screenshots:
    """Full-page screenshots numbered in the order taken: test-output/e2e/<test>/NN-<name>.png.
    The test's folder is emptied first, so it holds the last run's pictures only."""

    def __init__(self, test_name: str):
        self.folder = SCREENSHOTS_DIR / file_name_part(test_name)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.taken = 0

    def __call__(self, page: Page, name: str) -> Path:
        self.taken += 1
        path = self.folder / f"{self.taken:02d}-{file_name_part(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
