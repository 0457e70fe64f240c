"""Writes the ledger entries that reproduce every balance as it was computed before the ledger:
for each employee and limited kind, the yearly grant (prorated by days employed) of every year
from their first to this one; for each approved leave, its `taken` entries by working day.
tests/leave/test_ledger_migration.py compares the old computation and the ledger's."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import migrations


def backfill(apps, schema_editor):
    # The ledger's pure arithmetic, shared with the services, so that the migration writes what
    # the scheduled job would; it reads no model.
    from leave.calendar import build_calendar
    from leave.ledger import plan_entries, usage_by_day
    from leave.policies import policies_of

    Workspace = apps.get_model("tenancy", "Workspace")
    Employee = apps.get_model("employees", "Employee")
    Leave = apps.get_model("leave", "Leave")
    Entry = apps.get_model("leave", "LeaveLedgerEntry")
    CompanyDayOff = apps.get_model("leave", "CompanyDayOff")
    for workspace in Workspace.objects.all().iterator():
        policies = policies_of(workspace)
        today = datetime.now(ZoneInfo(workspace.timezone)).date()
        rows = []
        for employee in Employee.objects.filter(workspace=workspace).iterator():
            for kind, policy in policies.kinds.items():
                for planned in plan_entries(policy, employee.start_date, employee.end_date, [], through=today):
                    rows.append(
                        Entry(
                            workspace=workspace,
                            environment=employee.environment,
                            employee=employee,
                            kind=kind,
                            entry_type=planned.entry_type,
                            amount=planned.amount,
                            unit=policy.unit,
                            effective_date=planned.effective_date,
                            period=planned.period,
                        )
                    )
        approved = list(Leave.objects.filter(workspace=workspace, status="approved").order_by("pk"))
        if approved:
            first = min(leave.start_date for leave in approved)
            last = max(leave.end_date for leave in approved)
            calendar = build_calendar(
                work_week=workspace.work_week,
                country=workspace.country,
                region=workspace.region,
                years=range(first.year, last.year + 1),
                company_days_off=CompanyDayOff.objects.filter(
                    workspace=workspace, date__range=(first, last)
                ).values_list("date", flat=True),
            )
            for leave in approved:
                policy = policies.of(leave.kind)
                for day, amount in usage_by_day(
                    start_date=leave.start_date,
                    end_date=leave.end_date,
                    days=leave.days,
                    half_day=leave.half_day,
                    hours=leave.hours,
                    per_day=policy.per_day,
                    calendar=lambda: calendar,
                ):
                    rows.append(
                        Entry(
                            workspace=workspace,
                            environment=leave.environment,
                            employee_id=leave.employee_id,
                            kind=leave.kind,
                            entry_type="taken",
                            amount=-amount,
                            unit=policy.unit,
                            effective_date=day,
                            leave=leave,
                        )
                    )
        Entry.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


def decider_names(apps, schema_editor):
    """Decisions made before `decided_by` became resolvable keep the decider's name as it is now."""
    Leave = apps.get_model("leave", "Leave")
    User = apps.get_model("auth", "User")  # the project keeps Django's user model
    ApiKey = apps.get_model("tenancy", "ApiKey")
    for leave in Leave.objects.exclude(decided_by="").filter(decided_by_name="").iterator():
        kind, _, actor_id = leave.decided_by.partition(":")
        name = leave.decided_by
        if kind == "user" and actor_id.isdigit():
            user = User.objects.filter(pk=actor_id).first()
            if user is not None:
                name = f"{user.first_name} {user.last_name}".strip() or user.username
        elif kind == "api_key":
            name = ApiKey.objects.filter(pk=actor_id).values_list("name", flat=True).first() or f"API key {actor_id}"
        Leave.objects.filter(pk=leave.pk).update(decided_by_name=name[:200])


class Migration(migrations.Migration):
    dependencies = [("leave", "0002_ledger"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(decider_names, migrations.RunPython.noop),
    ]
