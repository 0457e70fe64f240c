"""What every form of PulseHR's pages shares (the admin's and /developers')."""

import datetime as dt
import json

from django import forms

from pulsehr.errors import PulseError


def add_service_error(form: forms.Form, error: PulseError, field_for: dict[str, str] | None = None) -> None:
    """Show a service's error on the form fields it names (`field_for` maps the service's field
    names to the form's, e.g. manager_id → manager), or above the form when it names none of them."""
    named = [(field_for or {}).get(field, field) for field in error.fields]
    for field in [name for name in named if name in form.fields] or [None]:
        form.add_error(field, error.message)


class KeyValueWidget(forms.Widget):
    """A JSON object edited as rows of key, type and value (text, number, date, yes/no), plus
    spare empty rows; a row whose key is cleared is removed. Values the rows cannot show (lists,
    objects) keep a JSON row. Works without script; pulsehr/admin.js adds "Add a row"."""

    template_name = "pulsehr/widgets/key_value.html"
    TYPES = (("text", "Text"), ("number", "Number"), ("date", "Date"), ("yes_no", "Yes/no"), ("json", "JSON"))
    spare_rows = 2

    def __init__(self, *, types: tuple[str, ...] = ("text", "number", "date", "yes_no"), keys=(), attrs=None):
        super().__init__(attrs)
        self.types = types
        self.keys = tuple(keys)  # suggested keys (a datalist), e.g. the leave kinds

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if isinstance(value, dict):  # the stored object, by key: PostgreSQL's jsonb keeps no insertion order
            rows = [(key, *shown(value[key])) for key in sorted(value)]
        else:  # the rows as submitted, shown again with the form's errors
            rows = [row for row in value or [] if row[0].strip() or row[2].strip()]
        rows += [("", self.types[0], "")] * self.spare_rows
        type_choices = [(value, label) for value, label in self.TYPES if value in self.types or value == "json"]
        context["widget"].update(
            rows=[{"index": i, "key": k, "type": t, "value": v} for i, (k, t, v) in enumerate(rows)],
            types=type_choices,
            keys=self.keys,
        )
        return context

    def value_from_datadict(self, data, files, name):
        """The rows as submitted: [(key, type, value), …] in order; KeyValueField.to_python reads them."""
        rows, index = [], 0
        while f"{name}-{index}-key" in data:
            prefix = f"{name}-{index}"
            rows.append((data[f"{prefix}-key"], data.get(f"{prefix}-type", "text"), data.get(f"{prefix}-value", "")))
            index += 1
        return rows

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-0-key" not in data


def shown(value) -> tuple[str, str]:
    """A stored JSON value as (type, text) for its row."""
    if isinstance(value, bool):
        return "yes_no", "yes" if value else "no"
    if isinstance(value, int | float):
        return "number", str(value)
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return "text", value
        return ("date", value) if len(value) == 10 else ("text", value)
    return "json", json.dumps(value, ensure_ascii=False)


class KeyValueField(forms.Field):
    """A JSON object from KeyValueWidget's rows: each value parsed by its row's type, with a
    message naming the row (by its key) whose value does not read as its type."""

    widget = KeyValueWidget

    def prepare_value(self, value):
        return value

    def to_python(self, rows):
        if isinstance(rows, dict):  # an initial value, not a submission
            return rows
        result = {}
        for key, kind, text in rows or []:
            key, text = key.strip(), text.strip()
            if not key:
                continue  # a cleared key removes its row
            if key in result:
                raise forms.ValidationError(f"“{key}” appears twice; keys must be unique.")
            try:
                result[key] = parse_typed(kind, text)
            except ValueError as error:
                raise forms.ValidationError(f"“{key}”: {error}") from None
        return result

    def has_changed(self, initial, data):
        return (initial or {}) != self.to_python(data)


def parse_typed(kind: str, text: str):
    """A row's text as its type's JSON value; ValueError saying why it is not one."""
    if kind == "number":
        try:
            return int(text)  # exactly: a float would round integers past 2**53
        except ValueError:
            pass
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number.") from None
    if kind == "date":
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(f"{text!r} is not a date (YYYY-MM-DD).") from None
    if kind == "yes_no":
        if text.lower() not in ("yes", "no"):
            raise ValueError("choose yes or no.")
        return text.lower() == "yes"
    if kind == "json":
        try:
            return json.loads(text)
        except ValueError:
            raise ValueError("is not valid JSON.") from None
        except RecursionError:
            raise ValueError("is nested too deeply.") from None
    return text
