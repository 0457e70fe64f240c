"""Custom fields edited as rows of key, type and value in the employee's admin page, in a real
browser: added (with "Add a row" for more), typed on the way in, shown back, and removed by
clearing a key. The API reads what the rows said."""

from playwright.sync_api import expect

from .browser import login

SAVED = ".messagelist .success"


def row_fields(page, index: int):
    name = f"custom_fields-{index}"
    return page.locator(f"[name={name}-key]"), page.locator(f"[name={name}-type]"), page.locator(f"[name={name}-value]")


def test_custom_fields_round_trip_through_the_rows_editor(stack, page, shot):
    workspace = stack.create_workspace(name="Fields Co")
    api = stack.api(workspace)
    ada = api.post("/v1/employees", {"full_name": "Ada Lovelace", "start_date": "2024-01-08"}).json()
    login(page, stack.create_staff_user(workspace, "hr"))

    page.goto(f"/admin/employees/employee/{ada['id']}/change/")
    editor = page.locator(".field-custom_fields .pulsehr-key-value")
    expect(editor.locator("tbody tr")).to_have_count(2)  # no fields yet: the two spare rows
    values = [
        ("shirt", "text", "M"),
        ("badge", "number", "42"),
        ("vegan", "yes_no", "yes"),
        ("joined_team", "date", "2024-02-01"),
    ]
    for index, (key, kind, value) in enumerate(values):
        if index >= 2:
            editor.get_by_role("button", name="Add a row").click()
        key_input, type_select, value_input = row_fields(page, index)
        key_input.fill(key)
        type_select.select_option(kind)
        value_input.fill(value)
    shot(page, "rows-filled")
    page.click("input[name=_continue]")
    expect(page.locator(SAVED)).to_contain_text("was changed successfully")

    stored = api.get(f"/v1/employees/{ada['id']}")["custom_fields"]
    assert stored == {"shirt": "M", "badge": 42, "vegan": True, "joined_team": "2024-02-01"}
    # Shown back by key (the same order on SQLite and PostgreSQL) with their types, plus two spare rows.
    expect(editor.locator("tbody tr")).to_have_count(6)
    shown = [(row_fields(page, i)[0].input_value(), row_fields(page, i)[1].input_value()) for i in range(4)]
    assert shown == [("badge", "number"), ("joined_team", "date"), ("shirt", "text"), ("vegan", "yes_no")]
    shot(page, "rows-saved")

    row_fields(page, 2)[0].fill("")  # clearing a key removes its row (shirt)
    row_fields(page, 0)[2].fill("forty-two")
    page.click("input[name=_continue]")
    expect(page.locator(".field-custom_fields .errorlist")).to_contain_text("“badge”: 'forty-two' is not a number.")
    shot(page, "refused")
    assert api.get(f"/v1/employees/{ada['id']}")["custom_fields"] == stored  # nothing half-written

    row_fields(page, 2)[0].fill("")  # the submitted rows come back in the order they were sent
    row_fields(page, 0)[2].fill("43")
    page.click("input[name=_continue]")
    expect(page.locator(SAVED)).to_contain_text("was changed successfully")
    assert api.get(f"/v1/employees/{ada['id']}")["custom_fields"] == {
        "badge": 43,
        "vegan": True,
        "joined_team": "2024-02-01",
    }
