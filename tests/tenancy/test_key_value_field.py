"""KeyValueField and KeyValueWidget (pulsehr/forms.py): a JSON object as typed rows."""

import pytest
from django import forms

from pulsehr.forms import KeyValueField, KeyValueWidget, shown

from ..helpers import key_value_rows


class Form(forms.Form):
    fields_ = KeyValueField(required=False)


def clean(rows):
    form = Form(data=key_value_rows("fields_", rows))
    return form.is_valid(), form.cleaned_data.get("fields_"), form.errors.get("fields_")


def test_each_row_is_read_as_its_type_and_blank_keys_are_dropped():
    ok, value, _ = clean(
        [
            ("shirt", "text", " M "),
            ("badge", "number", "42"),
            ("ratio", "number", "2.5"),
            ("vegan", "yes_no", "Yes"),
            ("joined", "date", "2024-02-01"),
            ("tags", "json", '["a", 1]'),
            ("", "text", "ignored"),
        ]
    )
    assert ok and value == {
        "shirt": "M",
        "badge": 42,
        "ratio": 2.5,
        "vegan": True,
        "joined": "2024-02-01",
        "tags": ["a", 1],
    }
    assert type(value["badge"]) is int


@pytest.mark.parametrize(
    "rows,message",
    [
        ([("badge", "number", "lots")], "“badge”: 'lots' is not a number."),
        ([("joined", "date", "1/2/2024")], "“joined”: '1/2/2024' is not a date (YYYY-MM-DD)."),
        ([("vegan", "yes_no", "maybe")], "“vegan”: choose yes or no."),
        ([("tags", "json", "[1,")], "“tags”: is not valid JSON."),
        ([("a", "text", "1"), ("a", "text", "2")], "“a” appears twice; keys must be unique."),
    ],
)
def test_a_value_that_is_not_its_type_names_its_row(rows, message):
    ok, _, errors = clean(rows)
    assert not ok and errors == [message]


def test_stored_values_are_shown_with_their_types_and_spare_rows():
    assert [shown(v) for v in ("M", 3, 2.5, True, "2024-02-01", {"a": 1})] == [
        ("text", "M"),
        ("number", "3"),
        ("number", "2.5"),
        ("yes_no", "yes"),
        ("date", "2024-02-01"),
        ("json", '{"a": 1}'),
    ]
    html = KeyValueWidget().render("f", {"shirt": "M"}, {"id": "id_f"})
    assert html.count("<tr>") == 1 + 1 + KeyValueWidget.spare_rows  # header, the field, spare rows
    assert 'name="f-0-key" value="shirt"' in html and 'name="f-2-key" value=""' in html


def test_stored_rows_are_shown_by_key_whatever_order_the_database_returns():
    # PostgreSQL's jsonb returns shorter keys first; SQLite keeps insertion order. Both show the same rows.
    for stored in ({"shirt": "M", "badge": 42}, {"badge": 42, "shirt": "M"}):
        html = KeyValueWidget().render("f", stored, {"id": "id_f"})
        assert 'name="f-0-key" value="badge"' in html and 'name="f-1-key" value="shirt"' in html
