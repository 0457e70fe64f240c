"""`manage.py leave_copy_people [--workspace <slug>]`: every leave row takes its person's name,
department and location as they are now (the copies who's out reads, Leave.employee_name …).

A stopped-then-started upgrade needs nothing: migration leave.0006 copies them, and the new code
keeps them in step. After a rolling upgrade past leave.0006, run it once no process of the
previous release is left: leave those processes logged, and people they renamed or moved, did
not keep the copies. Running it again changes nothing."""

from django.core.management.base import BaseCommand, CommandError

from leave.services import leave_copy_people
from pulsehr.tenancy.models import Workspace


class Command(BaseCommand):
    help = "Copy each person's name, department and location onto their leave (after a rolling upgrade)."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", help="one workspace's slug (default: every workspace)")

    def handle(self, *args, workspace, **options):
        workspaces = Workspace.objects.order_by("slug")
        if workspace is not None:
            workspaces = workspaces.filter(slug=workspace)
            if not workspaces.exists():
                raise CommandError(f"No workspace {workspace!r}.")
        for found in workspaces:
            leave_copy_people(workspace=found)
            self.stdout.write(f"{found.slug}: leave names, departments and locations copied from its people.")
