"""What several browser tests read off PulseHR's pages: the dashboard's figures, the header's
environment switch, and pages that change without the browser being told (a worker's delivery)."""

import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Locator, Page, expect

RELOAD_TIMEOUT_SECONDS = 30


def workspace_today(timezone: str) -> date:
    """Today in a workspace's time zone, which is the day its dashboard and leave count by."""
    return datetime.now(ZoneInfo(timezone)).date()


def dashboard_figures(page: Page) -> dict[str, int]:
    """The admin index's headcount figures by label, and how much leave awaits approval."""
    page.goto("/admin/")
    figures = {}
    for row in page.locator("#pulse-headcount .pulse-figures > div").all():
        figures[row.locator("dt").inner_text()] = int(row.locator("dd").inner_text())
    figures["Awaiting approval"] = int(page.locator("#pulse-pending .pulse-count").inner_text())
    return figures


def away_today(page: Page) -> Locator:
    """The dashboard's "On leave today" entries."""
    return page.locator("#pulse-away h3:text-is('Today') + ul.pulse-list > li")


def switch_environment(page: Page, label: str) -> None:
    """Press Live or Test in the admin header and wait for the page it goes back to."""
    page.click(f".pulsehr-env button:text-is('{label}')")
    expect(page.locator(f".pulsehr-env button:text-is('{label}')")).to_have_attribute("aria-pressed", "true")


def reload_until(page: Page, locator: Locator, text: str, timeout: float = RELOAD_TIMEOUT_SECONDS) -> None:
    """Reload until `locator` shows `text`: for a page that changes by a worker's hand."""
    deadline = time.monotonic() + timeout
    while not (locator.count() and text in locator.first.inner_text()):
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{page.url} never showed {text!r} in {timeout} s; it shows {locator.all_inner_texts()}"
            )
        time.sleep(0.3)
        page.reload()
