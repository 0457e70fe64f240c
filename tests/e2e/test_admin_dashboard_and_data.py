"""The admin as HR staff work in it, in a real browser: the dashboard's figures follow what they
do, a CSV import with a bad row is refused whole and a good one lands, the list exports to
CSV, and the header's switch moves between live and test data without mixing them."""

import csv
import io

from playwright.sync_api import expect

from .browser import login
from .pages import away_today, dashboard_figures, switch_environment, workspace_today

TIMEZONE = "Europe/Rome"
EVERY_DAY = [1, 2, 3, 4, 5, 6, 7]  # leave logged for today counts whatever weekday the run falls on
SAVED = ".messagelist .success"
IMPORT_HEADER = "full_name,email,role,department,location,manager,start_date,end_date,custom_fields"


def test_the_dashboard_figures_follow_a_new_hire_their_leave_today_and_its_approval(stack, page, shot):
    workspace = stack.create_workspace(
        name="Dashboard Co", timezone=TIMEZONE, leave_approval_required=True, work_week=EVERY_DAY
    )
    stack.api(workspace).post("/v1/employees", {"full_name": "Olga Oldhand", "start_date": "2024-01-02"})
    today = workspace_today(TIMEZONE)
    login(page, stack.create_staff_user(workspace, "hr"))

    before = dashboard_figures(page)
    assert before == {
        "Active now": 1,
        "Starting later": 0,
        "Joined this month": 0,
        "Left this month": 0,
        "Awaiting approval": 0,
    }
    expect(page.locator("#pulse-away")).to_contain_text("Nobody is on leave today.")
    shot(page, "dashboard-before")

    page.goto("/admin/employees/employee/add/")
    page.fill("#id_full_name", "Nina Newhire")
    page.fill("#id_email", "nina@example.test")
    page.fill("#id_start_date", today.isoformat())
    shot(page, "add-employee")
    page.click("input[name=_save]")
    expect(page.locator(SAVED)).to_contain_text("was added successfully")

    page.goto("/admin/leave/leave/add/")
    page.click(".field-employee .select2-selection")
    page.fill(".select2-search__field", "Nina")
    page.click(".select2-results__option:has-text('Nina Newhire')")
    page.select_option("#id_kind", "sick")
    page.fill("#id_start_date", today.isoformat())
    page.fill("#id_end_date", today.isoformat())
    shot(page, "log-leave-today")
    page.click("input[name=_save]")
    expect(page.locator(SAVED)).to_contain_text("was added successfully")

    after_logging = dashboard_figures(page)
    assert after_logging == {
        "Active now": 2,
        "Starting later": 0,
        "Joined this month": 1,
        "Left this month": 0,
        "Awaiting approval": 1,
    }
    expect(away_today(page)).to_have_count(1)
    expect(away_today(page)).to_contain_text("Nina Newhire")
    expect(away_today(page).locator(".pulse-badge")).to_have_text("pending")
    expect(page.locator("#pulse-pending .pulse-list")).to_contain_text("Nina Newhire")
    shot(page, "dashboard-leave-pending")

    # From the dashboard's own link to the pending list, approve it there.
    page.click("#pulse-pending a:text-is('Approve or reject pending leave')")
    row = page.locator("#result_list tbody tr", has_text="Nina Newhire")
    expect(row.locator(".field-status")).to_have_text("Pending")
    shot(page, "pending-leave-list")
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "approve")
    page.click("button[name=index]")
    expect(page.locator(SAVED)).to_contain_text("Approved 1 leave record(s).")
    shot(page, "leave-approved")

    after_approval = dashboard_figures(page)
    assert after_approval == {**after_logging, "Awaiting approval": 0}
    expect(page.locator("#pulse-pending")).to_contain_text("No leave is waiting for a decision.")
    expect(away_today(page)).to_contain_text("Nina Newhire")
    expect(away_today(page).locator(".pulse-badge")).to_have_count(0)  # approved: no longer marked pending
    shot(page, "dashboard-after-approval")


def csv_file(*rows: str) -> dict:
    return {"name": "people.csv", "mimeType": "text/csv", "buffer": "\n".join([IMPORT_HEADER, *rows]).encode()}


def test_a_csv_import_with_a_bad_row_is_refused_whole_a_good_one_lands_and_the_list_exports(stack, page, shot):
    workspace = stack.create_workspace(name="Import Co")
    stack.api(workspace).post("/v1/employees", {"full_name": "Ivy Incumbent", "start_date": "2023-05-02"})
    login(page, stack.create_staff_user(workspace, "hr"))
    page.goto("/admin/employees/employee/")
    expect(page.locator("#changelist .paginator")).to_contain_text("1 employee")
    shot(page, "list-before")

    page.click(".object-tools a:text-is('Import')")
    shot(page, "import-form")
    page.set_input_files(
        "input[name=import_file]",
        csv_file(
            "Ada Lovelace,ada@example.test,Analyst,Research,London,,2024-01-02,,",
            "Bad Email,not-an-email,,,,,2024-01-02,,",
            "Charles Babbage,charles@example.test,,,,ada@example.test,2024-02-01,,",
        ),
    )
    page.click("input[type=submit][value=Submit]")

    expect(page.locator("#content")).to_contain_text("Some rows failed to validate")
    expect(page.locator("#content")).to_contain_text("This importer will import the following fields:")
    [bad_row] = page.locator("ol.pulsehr-import-errors > li").all()
    expect(bad_row.locator("strong").first).to_have_text("Row 2")  # the second person in the file
    expect(bad_row.locator("ul li")).to_have_text("email: Enter a valid email address.")  # written out, no hover
    expect(bad_row.locator("ul li")).to_be_visible()
    shot(page, "import-refused")

    page.goto("/admin/employees/employee/")
    expect(page.locator("#changelist .paginator")).to_contain_text("1 employee")
    expect(page.locator("#result_list")).not_to_contain_text("Ada Lovelace")
    shot(page, "list-unchanged")

    page.click(".object-tools a:text-is('Import')")
    page.set_input_files(
        "input[name=import_file]",
        csv_file(
            "Ada Lovelace,ada@example.test,Analyst,Research,London,,2024-01-02,,",
            "Charles Babbage,charles@example.test,Engineer,Research,London,ada@example.test,2024-02-01,,",
        ),
    )
    page.click("input[type=submit][value=Submit]")
    expect(page.locator(".messagelist")).to_contain_text("2 new")
    expect(page.locator("#changelist .paginator")).to_contain_text("3 employees")
    charles = page.locator("#result_list tbody tr", has_text="Charles Babbage")
    expect(charles.locator(".field-manager")).to_have_text("Ada Lovelace")
    shot(page, "list-imported")

    with page.expect_download() as download:
        page.click(".object-tools a:text-is('Export')")
    exported = download.value
    assert exported.suggested_filename.startswith(f"{workspace.slug}-live-employee-")
    rows = list(csv.DictReader(io.StringIO(open(exported.path(), encoding="utf-8-sig").read())))
    by_name = {row["full_name"]: row for row in rows}
    assert sorted(by_name) == ["Ada Lovelace", "Charles Babbage", "Ivy Incumbent"]
    assert (by_name["Charles Babbage"]["manager"], by_name["Charles Babbage"]["status"]) == (
        "ada@example.test",
        "active",
    )
    assert by_name["Ada Lovelace"]["email"] == "ada@example.test"
    assert all(row["id"].startswith("emp_") for row in rows)


def test_the_environment_switch_shows_test_data_under_a_banner_and_live_data_again(stack, page, shot):
    workspace = stack.create_workspace(name="Two Worlds Co")
    stack.api(workspace, "live").post("/v1/employees", {"full_name": "Lena Live", "start_date": "2024-01-02"})
    stack.api(workspace, "test").post("/v1/employees", {"full_name": "Theo Test", "start_date": "2024-01-02"})
    stack.api(workspace, "test").post("/v1/employees", {"full_name": "Tara Test", "start_date": "2024-01-02"})
    login(page, stack.create_staff_user(workspace, "hr"))
    banner = page.locator(".pulsehr-banner.pulsehr-test")
    people = page.locator("#result_list tbody th")

    page.goto("/admin/employees/employee/")
    expect(page.locator(".pulsehr-env button:text-is('Live')")).to_have_attribute("aria-pressed", "true")
    expect(banner).to_have_count(0)
    expect(people).to_have_text(["Lena Live"])
    shot(page, "live-list")

    switch_environment(page, "Test")
    expect(page).to_have_url(f"{stack.url}/admin/employees/employee/")  # back on the page it was made on
    expect(banner).to_contain_text("Test data")
    expect(banner).to_contain_text("Two Worlds Co")
    expect(people).to_have_count(2)
    assert sorted(people.all_inner_texts()) == ["Tara Test", "Theo Test"]
    shot(page, "test-list")

    assert dashboard_figures(page)["Active now"] == 2
    expect(page.locator(".pulse-dashboard-header .pulse-env")).to_have_text("test")
    expect(banner).to_be_visible()
    shot(page, "test-dashboard")

    switch_environment(page, "Live")
    expect(banner).to_have_count(0)
    assert dashboard_figures(page)["Active now"] == 1
    expect(page.locator(".pulse-dashboard-header .pulse-env")).to_have_text("live")
    page.goto("/admin/employees/employee/")
    expect(people).to_have_text(["Lena Live"])
    shot(page, "live-list-again")
