"""`manage.py leave_copy_people`: leave logged or people renamed by processes of the release
before leave.0006 (during a rolling upgrade) get their copies right; one workspace or all."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from leave.models import Leave

from ..factories import EmployeeFactory, LeaveFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db


def copies(workspace) -> set[tuple[str, str, str]]:
    rows = Leave.objects.filter(workspace=workspace)
    return set(rows.values_list("employee_name", "employee_department", "employee_location"))


def test_the_copies_are_rebuilt_for_one_workspace_or_all():
    ours, theirs = WorkspaceFactory(slug="ours"), WorkspaceFactory(slug="theirs")
    for workspace in (ours, theirs):
        ada = EmployeeFactory(workspace=workspace, full_name="Ada", department="Eng", location="Rome")
        # As an old process leaves them: logged without copies, then the person renamed.
        LeaveFactory(employee=ada, employee_name="", employee_department="", employee_location="")
        LeaveFactory(employee=ada, start_date="2026-04-01", employee_name="Ada Old", employee_department="Ops")

    call_command("leave_copy_people", "--workspace", "ours", stdout=StringIO())
    assert copies(ours) == {("Ada", "Eng", "Rome")}
    assert ("", "", "") in copies(theirs)  # another workspace is left alone

    out = StringIO()
    call_command("leave_copy_people", stdout=out)
    assert copies(theirs) == {("Ada", "Eng", "Rome")}
    assert "ours:" in out.getvalue() and "theirs:" in out.getvalue()


def test_an_unknown_workspace_is_refused():
    with pytest.raises(CommandError, match="No workspace 'nope'"):
        call_command("leave_copy_people", "--workspace", "nope", stdout=StringIO())
