"""Admin lists fit a 1280 px screen (issue: "lists fit at 1280 px without sideways scrolling"):
every list of every model a workspace's staff see, with rows of real-world length (long names,
emails, URLs, ids), shows all its columns beside the navigation and the filters, and no page
scrolls sideways. The team calendar's month scrolls inside its own frame if it must."""

from datetime import date, timedelta

from django.contrib import admin

from .browser import login

WIDTH = 1280
LONG = {
    "full_name": "Maximiliana Cunningham-Oyelaran",
    "email": "maximiliana.cunningham-oyelaran@research-subsidiary.example.test",
    "role": "Principal Site Reliability Engineer",
    "department": "Research and Development",
    "location": "Rio de Janeiro",
    "start_date": "2019-03-04",
}


def staff_lists() -> list[str]:
    """Every registered model's list but Django's users and groups (superusers only)."""
    return sorted(
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model in admin.site._registry
        if model._meta.app_label != "auth"
    )


def test_every_admin_list_fits_1280_pixels_with_long_values(stack, page, shot):
    workspace = stack.create_workspace(name="Layout Co")
    api = stack.api(workspace)
    boss = api.post("/v1/employees", LONG).json()
    report = api.post("/v1/employees", {**LONG, "email": "second." + LONG["email"], "manager_id": boss["id"]}).json()
    monday = date.today() - timedelta(days=date.today().weekday())
    api.post(
        "/v1/status-log", {"employee_id": boss["id"], "lines": ["Migrated the very long-named reporting pipeline."]}
    )
    api.post("/v1/kudos", {"from_employee_id": boss["id"], "to_employee_id": report["id"], "coins": 5, "tag": "craft"})
    api.post("/v1/workload-checkins", {"employee_id": boss["id"], "week_start": monday.isoformat(), "level": "heavy"})
    api.post(
        "/v1/leave/adjustments",
        {"employee_id": boss["id"], "kind": "vacation", "amount": 1, "reason": "Weekend launch"},
    )
    api.post(
        "/v1/rooms/quarterly-planning-review/threads", {"comment": {"body": "Draft ready", "author_id": boss["id"]}}
    )
    endpoint = api.post(
        "/v1/webhook-endpoints",
        {
            "url": "https://hooks.integration-partner.example.test/pulsehr/webhooks/receiver",
            "enabled_events": ["employee.created"],
        },
    ).json()
    api.post(f"/v1/webhook-endpoints/{endpoint['id']}/test", expect=202)
    login(page, stack.create_staff_user(workspace, "owner"))

    overflowing = []
    for url in staff_lists() + ["/admin/leave/leave/team-calendar/", "/admin/"]:
        page.goto(url)
        widths = page.evaluate(
            """() => {
                const table = document.querySelector('#result_list');
                const box = table && table.closest('.results');
                return {page: document.scrollingElement.scrollWidth,
                        table: table ? table.scrollWidth : 0, box: box ? box.clientWidth : 0};
            }"""
        )
        if widths["page"] > WIDTH or widths["table"] > widths["box"] + 1:
            overflowing.append((url, widths))
    shot(page, "home")
    for url in ("/admin/employees/employee/", "/admin/leave/leaveledgerentry/", "/admin/webhooks/delivery/"):
        page.goto(url)
        shot(page, url.split("/")[3])
    assert overflowing == []


PHONE = {"width": 390, "height": 844}
TAPPABLE = "#result_list a, #changelist-filter a, #content .button, #content input[type=submit], #content button"


def test_on_a_phone_every_list_is_cards_with_filters_first_and_tappable_controls(stack, browser, shot):
    """At 390 px: no page or list scrolls sideways (rows are cards naming each value), the
    filters come before the rows, and links and buttons are at least 24 px tall, the pending
    leave's Approve button included."""
    workspace = stack.create_workspace(name="Phone Co", leave_approval_required=True)
    api = stack.api(workspace)
    boss = api.post("/v1/employees", LONG).json()
    pending = api.post(
        "/v1/leave",
        {"employee_id": boss["id"], "kind": "personal", "start_date": "2026-03-02", "end_date": "2026-03-02"},
    ).json()
    context = browser.new_context(base_url=stack.url, viewport=PHONE, is_mobile=True, has_touch=True)
    problems = []
    try:
        page = context.new_page()
        login(page, stack.create_staff_user(workspace, "owner"))
        for url in staff_lists() + [f"/admin/leave/leave/{pending['id']}/change/"]:
            page.goto(url)
            found = page.evaluate(
                """(tappable) => {
                    const table = document.querySelector('#result_list');
                    const box = table && table.closest('.results');
                    const filters = document.querySelector('#changelist-filter');
                    const top = (e) => e.getBoundingClientRect().top;
                    const cells = table ? table.querySelectorAll('tbody td') : [];
                    const small = [...document.querySelectorAll(tappable)]
                        .filter((e) => e.offsetParent && e.getBoundingClientRect().height < 24)
                        .map((e) => e.outerHTML.slice(0, 80));
                    return {
                        page: document.scrollingElement.scrollWidth,
                        table: table ? table.scrollWidth : 0,
                        box: box ? box.clientWidth : 0,
                        filtersFirst: !filters || !box || top(filters) < top(box),
                        labelled: !cells.length || !!table.querySelector('tbody td[data-label]'),
                        small,
                    };
                }""",
                TAPPABLE,
            )
            if found["page"] > PHONE["width"] or found["table"] > found["box"] + 1 or found["small"]:
                problems.append((url, found))
            if not (found["filtersFirst"] and found["labelled"]):
                problems.append((url, found))
        approve = page.get_by_role("button", name="Approve")
        assert approve.bounding_box()["height"] >= 24
        shot(page, "pending-leave")
        page.goto("/admin/employees/employee/")
        shot(page, "employees")
    finally:
        context.close()
    assert problems == []
