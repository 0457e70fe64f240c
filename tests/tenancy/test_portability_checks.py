"""import_workspace refuses a file it cannot load whole, in process: the framing, the format
version, rows that refer outside the file or the imported workspace and environment, future
timestamps, users the file would quietly take over, and values outside the JSON value policy;
each with an error naming the line, and nothing written. (The round trip is test_portability.py.)"""

import functools
import json
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from employees.models import Employee
from pulsehr.api.models import IdempotencyRecord
from pulsehr.tenancy.context import SYSTEM, Tenant
from pulsehr.tenancy.models import ApiKey, Membership, Workspace
from pulsehr.tenancy.portability import import_workspace
from pulsehr.tenancy.services import api_key_create, membership_add
from tests.factories import EmployeeFactory, WorkspaceFactory
from webhooks.models import Event
from webhooks.outbox import event_record

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


# --- A file is data from outside: every row must be the imported workspace's ------------------


@dataclass
class Source:
    """A workspace exported and then removed, so its file imports cleanly into this database;
    `victim` is another workspace of the install, with an employee, that a doctored file aims at."""

    lines: list[str]
    workspace_id: str
    live: str  # employee ids
    test: str
    key: str
    victim: Workspace
    victim_employee: str


@pytest.fixture
def source() -> Source:
    user_model = get_user_model()
    workspace = WorkspaceFactory(slug="src")
    owner = user_model.objects.create_user("src-owner", "owner@src.test", "pw", is_staff=True)
    membership_add(workspace=workspace, user=owner, role="owner")
    live = EmployeeFactory(workspace=workspace, environment="live")
    test = EmployeeFactory(workspace=workspace, environment="test")
    # The key acts as the live employee: the file holds it after the employees.
    key, _ = api_key_create(
        workspace=workspace, environment="live", scopes="read:*", created_by=owner, employee_id=live.pk
    )
    now = timezone.now()
    IdempotencyRecord.objects.create(
        principal=f"rt:{workspace.pk}:live:{live.pk}:room-1",
        key="k1",
        fingerprint="0" * 64,
        status="completed",
        response_status=201,
        response_body=b'{"id": "thr_1"}',
        created_at=now,
        lease_expires_at=now + timedelta(seconds=30),
    )
    lines = export("src")
    workspace_id = workspace.pk
    IdempotencyRecord.objects.all().delete()
    workspace.delete()
    owner.delete()
    victim = WorkspaceFactory(slug="victim")
    victim_employee = EmployeeFactory(workspace=victim, environment="live")
    return Source(lines, workspace_id, live.pk, test.pk, key.pk, victim, victim_employee.pk)


def records(lines: list[str]) -> list[dict]:
    return [json.loads(line) for line in lines]


def framed(rows: list[dict]) -> list[str]:
    """The rows as file lines, with the end line recounted."""
    body = [row for row in rows if "end" not in row]
    return [json.dumps(row) + "\n" for row in body] + [json.dumps({"end": {"records": len(body) - 1}}) + "\n"]


def line_of(lines: list[str], predicate) -> int:
    return next(n for n, row in enumerate(records(lines), start=1) if predicate(row))


def with_field(source: Source, pick, name: str, value) -> tuple[list[str], int]:
    """The file with field `name` of the first row `pick` chooses set to `value`, and that row's line."""
    rows = records(source.lines)
    next(row for row in rows if pick(row))["fields"][name] = value
    lines = framed(rows)
    return lines, line_of(lines, pick)


def refused(tmp_path, lines: list[str], *args: str) -> str:
    """The import's error; and nothing of it is in the database."""
    before = (get_user_model().objects.count(), Employee.objects.count(), IdempotencyRecord.objects.count())
    path = tmp_path / "in.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_workspace", str(path), *args, stdout=StringIO())
    message = str(error.value)
    assert message.startswith("Nothing imported: line ")
    assert not Workspace.objects.filter(slug="src").exists()
    assert (get_user_model().objects.count(), Employee.objects.count(), IdempotencyRecord.objects.count()) == before
    return message


def imported(tmp_path, lines: list[str], *args: str) -> str:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    out = StringIO()
    call_command("import_workspace", str(path), *args, stdout=out)
    return out.getvalue()


def test_the_untouched_file_imports_with_its_room_token_idempotency_record(tmp_path, source):
    out = imported(tmp_path, source.lines)
    assert "Imported workspace src" in out and "Created 1 inactive users" in out
    record = IdempotencyRecord.objects.get()
    assert record.api_key is None and record.principal == f"rt:{source.workspace_id}:live:{source.live}:room-1"
    owner = Membership.objects.get(workspace__slug="src")
    assert owner.role == "owner" and not owner.user.is_active and not owner.user.has_usable_password()
    assert ApiKey.objects.get(pk=source.key).employee_id == source.live


def test_the_file_holds_an_api_key_after_the_employee_it_acts_as(source):
    assert line_of(source.lines, lambda row: row.get("pk") == source.live) < line_of(
        source.lines, lambda row: row.get("pk") == source.key
    )


def test_an_api_key_acting_as_an_employee_of_the_other_environment_is_refused(tmp_path, source):
    lines, number = with_field(source, lambda row: row.get("pk") == source.key, "employee", source.test)
    message = refused(tmp_path, lines)
    assert f"line {number}: employee refers to employees.employee '{source.test}' of the test environment" in message


def test_an_api_key_acting_as_another_workspaces_employee_is_refused(tmp_path, source):
    lines, number = with_field(source, lambda row: row.get("pk") == source.key, "employee", source.victim_employee)
    message = refused(tmp_path, lines)
    assert f"line {number}: employee refers to employees.employee '{source.victim_employee}', which the file lacks" in (
        message
    )


def _idempotency(rows: list[dict]) -> dict:
    return next(row for row in rows if row.get("model") == "api.idempotencyrecord")


def test_an_idempotency_record_naming_another_workspaces_room_token_user_is_refused(tmp_path, source):
    rows = records(source.lines)
    _idempotency(rows)["fields"]["principal"] = f"rt:{source.victim.pk}:live:{source.victim_employee}:room-1"
    lines = framed(rows)
    number = line_of(lines, lambda row: row.get("model") == "api.idempotencyrecord")
    message = refused(tmp_path, lines)
    assert f"line {number}: principal 'rt:{source.victim.pk}:live:" in message and "another workspace" in message


def test_an_idempotency_record_naming_another_workspaces_employee_under_this_workspace_is_refused(tmp_path, source):
    rows = records(source.lines)
    _idempotency(rows)["fields"]["principal"] = f"rt:{source.workspace_id}:live:{source.victim_employee}:room-1"
    message = refused(tmp_path, framed(rows))
    assert f"principal refers to employees.employee '{source.victim_employee}', which the file lacks" in message


def test_an_idempotency_record_of_a_live_token_naming_a_test_employee_is_refused(tmp_path, source):
    rows = records(source.lines)
    _idempotency(rows)["fields"]["principal"] = f"rt:{source.workspace_id}:live:{source.test}:room-1"
    message = refused(tmp_path, framed(rows))
    assert f"principal refers to employees.employee '{source.test}' of the test environment" in message


@pytest.mark.parametrize("principal", ["", "someone", "rt:ws_x:live"])
def test_an_idempotency_record_with_neither_key_nor_room_token_principal_is_refused(tmp_path, source, principal):
    rows = records(source.lines)
    _idempotency(rows)["fields"]["principal"] = principal
    assert "is not a room token's" in refused(tmp_path, framed(rows))


def test_a_reference_across_environments_is_refused(tmp_path, source):
    lines, number = with_field(source, lambda row: row.get("pk") == source.live, "manager", source.test)
    message = refused(tmp_path, lines)
    assert f"line {number}: manager refers to employees.employee '{source.test}' of the test environment" in message


def test_an_api_key_of_an_environment_that_does_not_exist_is_refused(tmp_path, source):
    rows = records(source.lines)
    next(row for row in rows if row.get("pk") == source.key)["fields"]["environment"] = "prod"
    assert "environment 'prod' is neither live nor test" in refused(tmp_path, framed(rows))


def test_a_timestamp_in_the_future_is_refused(tmp_path, source):
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat()
    lines, number = with_field(source, lambda row: row.get("pk") == source.live, "created_at", tomorrow)
    assert f"line {number}: created_at {tomorrow} lies in the future" in refused(tmp_path, lines)


def test_an_idempotency_record_dated_in_the_future_to_replay_forever_is_refused(tmp_path, source):
    rows = records(source.lines)
    _idempotency(rows)["fields"]["created_at"] = "2999-01-01T00:00:00+00:00"
    assert "created_at 2999-01-01T00:00:00+00:00 lies in the future" in refused(tmp_path, framed(rows))


def test_an_existing_user_is_not_made_an_owner_without_link_users(tmp_path, source):
    existing = get_user_model().objects.create_user("src-owner", "someone@else.test", "their-password")
    number = line_of(source.lines, lambda row: row.get("model") == "auth.user")
    message = refused(tmp_path, source.lines)
    assert f"line {number}: user 'src-owner' already exists in this install" in message and "--link-users" in message
    assert not Membership.objects.filter(user=existing).exists()

    out = imported(tmp_path, source.lines, "--link-users")
    assert "Linked 1 existing users (--link-users): src-owner" in out
    membership = Membership.objects.get(workspace__slug="src")
    assert membership.user == existing and membership.role == "owner"
    existing.refresh_from_db()
    assert existing.email == "someone@else.test" and existing.check_password("their-password")


@pytest.mark.parametrize("reference", ["admin-name", "pk"])
def test_a_membership_naming_a_user_the_file_does_not_list_is_refused_even_with_link_users(tmp_path, source, reference):
    admin = get_user_model().objects.create_superuser("root", "root@example.test", "pw")
    user = ["root"] if reference == "admin-name" else admin.pk
    lines, number = with_field(source, lambda row: row.get("model") == "tenancy.membership", "user", user)
    message = refused(tmp_path, lines, "--link-users")
    assert f"line {number}: user refers to user" in message and "which the file's user lines lack" in message
    assert not Membership.objects.exists()


def test_a_deeply_nested_line_is_a_named_error_not_a_recursion_error(tmp_path, source):
    lines = list(source.lines)
    employee = line_of(lines, lambda row: row.get("pk") == source.live)
    row = records(lines)[employee - 1]
    deep = "[" * 100_000 + "]" * 100_000
    lines[employee - 1] = json.dumps(row)[:-1].replace('"custom_fields": {}', f'"custom_fields": {deep}') + "}\n"
    assert deep in lines[employee - 1]
    message = refused(tmp_path, lines)
    assert f"line {employee}: nested too deeply" in message


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"n": 2**60}, "custom_fields: Numbers must be within"),
        ({"n": -(2**53)}, "custom_fields: Numbers must be within"),
        (functools.reduce(lambda inner, _: {"a": inner}, range(40), 1), "custom_fields: Nested deeper than"),
        ({"s": "a\u0000b"}, "custom_fields: NUL characters are not allowed"),
    ],
)
def test_a_json_value_outside_the_policy_is_refused(tmp_path, source, value, problem):
    lines, number = with_field(source, lambda row: row.get("pk") == source.live, "custom_fields", value)
    assert f"line {number}: {problem}" in refused(tmp_path, lines)


def test_an_event_larger_than_the_size_cap_for_what_people_write_still_imports(tmp_path):
    """Events carry the system's copy of a resource, which may outgrow the cap on one JSON value
    (custom_fields near 64 KiB plus the rest of the employee): an exported workspace must import."""
    workspace = WorkspaceFactory(slug="big-events")
    large = {"full_name": "Grace", "custom_fields": {f"k{i}": "x" * 1000 for i in range(70)}}
    with transaction.atomic():
        event_record(tenant=Tenant(workspace, "live"), type="employee.updated", data=large, actor=SYSTEM)
    lines = export("big-events")
    workspace.delete()
    imported(tmp_path, lines)
    assert Event.objects.get().data == large


def test_a_number_json_cannot_hold_is_refused(tmp_path, source):
    lines = list(source.lines)
    number = line_of(lines, lambda row: row.get("pk") == source.live)
    assert '"custom_fields":{}' in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace('"custom_fields":{}', '"custom_fields":{"n":1e999}')
    assert f"line {number}: not valid JSON" in refused(tmp_path, lines)


def test_the_file_is_read_as_a_stream_each_row_saved_before_the_next_line_is_read(source):
    """A generator stands for the file: when the end line is asked for, every row before it is
    already in the (still open) transaction, so nothing had to be held back in memory."""
    seen_before_end = {}

    def stream():
        yield from source.lines[:-1]
        seen_before_end["employees"] = set(
            Employee.objects.filter(workspace_id=source.workspace_id).values_list("pk", flat=True)
        )
        yield source.lines[-1]

    result = import_workspace(stream())
    assert seen_before_end["employees"] == {source.live, source.test}
    assert result.counts["employees.employee"] == 2


@pytest.mark.parametrize(("field", "value"), [("role", "superadmin"), ("role", "x" * 300)])
def test_a_value_outside_a_fields_choices_or_length_is_refused(tmp_path, source, field, value):
    lines, number = with_field(source, lambda row: row.get("model") == "tenancy.membership", field, value)
    assert f"line {number}: role " in refused(tmp_path, lines)


def test_imported_leave_names_its_person_as_the_imported_employee_is_not_as_the_file_says(tmp_path):
    from leave.models import Leave, LeaveLedgerEntry
    from tests.factories import LeaveFactory

    workspace = WorkspaceFactory(slug="src")
    ada = EmployeeFactory(workspace=workspace, environment="live", full_name="Ada", department="Eng", location="Rome")
    LeaveFactory(employee=ada)
    rows = records(export("src"))
    for model in (LeaveLedgerEntry, Leave, Employee):  # each protects the next from deletion
        model.objects.filter(workspace=workspace).delete()
    workspace.delete()
    leave_row = next(row for row in rows if row.get("model") == "leave.leave")
    leave_row["fields"].update(employee_name="Somebody Else", employee_department="Nowhere", employee_location="")
    imported(tmp_path, framed(rows))
    copy = Leave.objects.values_list("employee_name", "employee_department", "employee_location").get()
    assert copy == ("Ada", "Eng", "Rome")
