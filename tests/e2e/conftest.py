"""Browser tests: Chromium (Debian's, driven by Playwright) against a live PulseHR.

Each pytest session (each xdist worker) gets one stack, built the first time a test needs it
(stack.py): a fresh database migrated by `manage.py migrate` (a SQLite file in a fresh
PULSEHR_DATA_DIR, or with DATABASE_URL a new PostgreSQL database, dropped at the end), the web
server as the image runs it (`web_server()` in stack.py, the one place to change), and on demand
a Celery worker with beat and a webhook receiver. Tests share the stack, so each makes its own
workspaces and users (unique slugs and usernames) and never counts rows it did not make.

Fixtures and helpers:

- `stack` (session), the live site:
  - `stack.url`;
  - `stack.create_workspace(**fields)` → Workspace (`.id`, `.slug`, `.name`); fields such as
    `name="Acme"`, `leave_approval_required=True`, `country="IT"`, `work_week=[1, 2, 3, 4]`;
  - `stack.create_staff_user(workspace, "owner" | "hr" | "viewer")`, or with a role per workspace
    `stack.create_staff_user(memberships={ws_a: "hr", ws_b: "viewer"})` → User (`.id`,
    `.username`, `.password`); `stack.create_superuser()` → User;
  - `stack.create_api_key(workspace, "live" | "test", "read:*,write:*")` → the key's secret;
    `stack.api(workspace, environment, scopes)` → an Api with a new key (`.get(path, params=…)`
    → JSON, `.post(path, body)` → response, `.request(method, path, expect=…)`): the quick way
    to give a page data to show;
  - `stack.webhooks(api)` starts the Celery worker (with beat) once and returns tests/live's Hooks:
    `endpoint, path = hooks.endpoint(events=("employee.created",))` on the receiver,
    `hooks.wait_for(path, n)` → the requests it got (check them with webhook_stack.verify_both),
    `hooks.event_of(resource_id, type)`, `hooks.wait_event(event_id, until)`;
  - `stack.manage("command", "arg", …)` → its stdout, run with the stack's environment;
    `stack.diagnose()` gives the servers' last log lines.
- `page`: a new browser context per test, 1280×800, its base URL the stack's (so
  `page.goto("/admin/")`); `mobile_page` the same at 375×812 with touch. When the test fails the
  page is saved as `failure.png` beside its screenshots, and the servers' log tails are printed;
  when it passes, an uncaught JavaScript error or a Content-Security-Policy violation on any of
  its pages fails it. `csp_violations` is the list of violations reported so far.
- `login(page, user)` (from .browser): signs in through the admin login form.
- `shot(page, "name")`: a full-page screenshot, `test-output/e2e/<test>/NN-name.png` (the folder
  is emptied when the test starts). Take one of every page a test visits, and look at them.
- `browser` (session): the Chromium instance, for a test that needs more contexts (two users side
  by side: `browser.new_context(base_url=stack.url, viewport=DESKTOP)`; close it in a finally).

Every test here is marked `e2e` and grouped with `xdist_group("e2e")`: under `make test`'s
`--dist loadgroup` they all run on one xdist worker, so one stack serves them. Without
/usr/bin/chromium they are skipped, saying so; `make test` installs Chromium first where it can
(as root, with apt-get)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from ..live.conftest import fresh_site
from .browser import CHROMIUM, DESKTOP, MOBILE, Screenshots, launch, watch_csp_violations
from .stack import Stack

E2E_DIR = Path(__file__).resolve().parent
PAGE_TIMEOUT_MS = 15_000
PHASE_REPORTS = pytest.StashKey[dict]()
CSP_VIOLATIONS = pytest.StashKey[list]()
# Assertions wait as long as actions: a loaded CI machine can be slow to render.
expect.set_options(timeout=PAGE_TIMEOUT_MS)


def pytest_collection_modifyitems(items):
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("e2e"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so `page` can tell whether the test failed."""
    report = yield
    if E2E_DIR in item.path.parents:
        item.stash.setdefault(PHASE_REPORTS, {})[report.when] = report
    return report


@pytest.fixture(autouse=True, scope="session")
def _chromium_installed():
    if not CHROMIUM.exists():
        pytest.skip(f"No Chromium at {CHROMIUM}: install it (apt-get install chromium) to run the browser tests.")


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    with fresh_site(tmp_path_factory.mktemp("e2e")) as site:
        running = Stack.start(site)
        try:
            yield running
        finally:
            running.stop_all()


# Per module, not per session: Playwright's sync API keeps an event loop running in this thread
# while it is started, which would break the non-browser tests xdist runs next on this worker
# (Django refuses database setup, asyncio.run refuses to start). A module's teardown stops it.
@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def shot(request):
    return Screenshots(request.node.name)


def _page(request, browser, stack, shot, **context_options):
    context = browser.new_context(base_url=stack.url, **context_options)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(f"{page.url}: {error}"))
    request.node.stash[CSP_VIOLATIONS] = csp_violations = watch_csp_violations(context)
    try:
        yield page
        call = request.node.stash.get(PHASE_REPORTS, {}).get("call")
        if call is not None and call.failed:
            shot(page, "failure")
            print(stack.diagnose())  # shown with the failure: what the servers said
        elif script_errors:
            pytest.fail("Uncaught JavaScript errors on the pages:\n" + "\n".join(script_errors))
        elif csp_violations:
            pytest.fail("Content-Security-Policy violations on the pages:\n" + "\n".join(csp_violations))
    finally:
        context.close()


@pytest.fixture
def page(request, browser, stack, shot):
    yield from _page(request, browser, stack, shot, viewport=DESKTOP)


@pytest.fixture
def csp_violations(request, page) -> list[str]:
    """The Content-Security-Policy violations reported on `page`'s pages so far (watch_csp_violations)."""
    return request.node.stash[CSP_VIOLATIONS]


@pytest.fixture
def mobile_page(request, browser, stack, shot):
    yield from _page(request, browser, stack, shot, viewport=MOBILE, is_mobile=True, has_touch=True)
