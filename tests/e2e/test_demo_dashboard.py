"""The first impression, in a real browser: after `seed_demo`, as `make run` runs it, the
dashboard of both environments has every card filled (figures, leave this week and awaiting a
decision, workload, kudos, the workload trend and status-log participation charts)."""

from playwright.sync_api import expect

from .browser import login
from .pages import dashboard_figures, switch_environment
from .stack import Workspace, unique

PEOPLE = 10
# Every card but "On leave today", whose answer depends on the weekday the test runs.
FILLED_CARDS = ("#pulse-pending", "#pulse-workload", "#pulse-kudos", "#pulse-workload-trend", "#pulse-participation")


def assert_every_card_filled(page) -> None:
    expect(page.locator(".pulse-empty-note")).to_have_count(0)
    for card in FILLED_CARDS:
        expect(page.locator(f"{card} .pulse-empty")).to_have_count(0)
    expect(page.locator("#pulse-away .pulse-empty")).not_to_contain_text(["Nobody is on leave this week."])
    expect(page.locator("#pulse-pending ul li").first).to_be_visible()
    expect(page.locator("#pulse-kudos tbody tr").first).to_be_visible()
    expect(page.locator("#pulse-workload-trend svg.pulse-chart")).to_be_visible()
    expect(page.locator("#pulse-participation svg.pulse-chart")).to_be_visible()


def test_the_demo_dashboard_is_alive_in_both_environments(stack, page, shot):
    slug = unique("demo")
    output = stack.manage("seed_demo", "--workspace", slug, "--employees", str(PEOPLE), "--base-url", stack.url)
    assert f"{stack.url}/admin/" in output
    login(page, stack.create_staff_user(Workspace(id="", slug=slug, name=""), "hr"))

    figures = dashboard_figures(page)
    assert figures["Active now"] >= PEOPLE - 1 and figures["Awaiting approval"] >= 1, figures
    assert_every_card_filled(page)
    shot(page, "live")

    switch_environment(page, "Test")
    assert_every_card_filled(page)
    shot(page, "test")
