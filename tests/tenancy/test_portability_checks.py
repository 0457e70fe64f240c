"""import_workspace refuses a file it cannot load whole, in process: the framing, the format
version, and rows that refer outside the file. (The round trip itself is test_portability.py.)"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from employees.models import Employee
from pulsehr.tenancy.models import Workspace
from tests.factories import EmployeeFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db


def export(slug: str) -> list[str]:
    out = StringIO()
    call_command("export_workspace", slug, stdout=out)
    return out.getvalue().splitlines(keepends=True)


def load(tmp_path, lines: list[str]) -> str:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_workspace", str(path), stdout=StringIO())
    return str(error.value)


def as_new_workspace(lines: list[str], workspace: Workspace) -> list[str]:
    """The same file for a workspace this database does not hold yet."""
    return [line.replace(workspace.pk, "ws_01JNEWNEWNEWNEWNEWNEWNEWNE").replace('"src"', '"dst"') for line in lines]


def test_export_of_an_unknown_workspace_is_refused():
    with pytest.raises(CommandError, match="No workspace with slug 'nope'"):
        call_command("export_workspace", "nope", stdout=StringIO())


def test_a_file_of_another_format_version_is_refused_on_its_first_line(tmp_path):
    workspace = WorkspaceFactory(slug="src")
    lines = as_new_workspace(export("src"), workspace)
    header = json.loads(lines[0])
    lines[0] = json.dumps({**header, "version": 99}) + "\n"
    assert "line 1: format version 99" in load(tmp_path, lines)


def test_a_truncated_file_imports_nothing(tmp_path):
    workspace = WorkspaceFactory(slug="src")
    EmployeeFactory(workspace=workspace)
    lines = as_new_workspace(export("src"), workspace)
    workspace.delete()  # rows are saved as the file streams in: the end line is missed after them
    message = load(tmp_path, lines[:-1])
    assert "without its end line" in message
    assert not Workspace.objects.exists() and not Employee.objects.exists()


def test_a_row_referring_to_another_workspaces_employee_is_refused_and_names_its_line(tmp_path):
    workspace = WorkspaceFactory(slug="src")
    boss = EmployeeFactory(workspace=workspace)
    report = EmployeeFactory(workspace=workspace, manager=boss)
    lines = as_new_workspace(export("src"), workspace)
    # Drop the boss and give the report a new id: its manager now names a row outside the file.
    lines = [line for line in lines if json.loads(line).get("pk") != boss.pk]
    lines = [line.replace(report.pk, "emp_01JNEWREPORTNEWREPORTNEWRE") for line in lines]
    lines[-1] = json.dumps({"end": {"records": len(lines) - 2}}) + "\n"
    number = next(n for n, line in enumerate(lines, start=1) if "NEWREPORT" in line)
    message = load(tmp_path, lines)
    assert f"line {number}: manager refers to employees.employee '{boss.pk}'" in message
    assert not Workspace.objects.filter(slug="dst").exists()
    assert Employee.objects.count() == 2


def test_an_unknown_model_is_refused(tmp_path):
    workspace = WorkspaceFactory(slug="src")
    lines = as_new_workspace(export("src"), workspace)
    lines.insert(2, json.dumps({"model": "auth.permission", "pk": 1, "fields": {}}) + "\n")
    lines[-1] = json.dumps({"end": {"records": len(lines) - 2}}) + "\n"
    assert "line 3: unknown model 'auth.permission'" in load(tmp_path, lines)
