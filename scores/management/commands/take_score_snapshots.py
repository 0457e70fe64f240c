"""`manage.py take_score_snapshots --workspace <slug> [--environment live] [--day YYYY-MM-DD]`: take
the weekly Employee Score snapshot now, as the beat task does (idempotent: a second run writes
nothing). Prints one JSON line with what it did and how long it took (the bench reads it)."""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from pulsehr.tenancy.choices import Environment
from pulsehr.tenancy.context import Tenant
from pulsehr.tenancy.models import Workspace
from scores.selectors import parse_day
from scores.services import score_snapshots_take


class Command(BaseCommand):
    help = "Take the weekly Employee Score snapshot of a workspace environment (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, help="the workspace's slug")
        parser.add_argument("--environment", default=Environment.LIVE, choices=Environment.values)
        parser.add_argument("--day", help="any day of the week to snapshot (default: today in the workspace)")

    def handle(self, *args, workspace, environment, day, **options):
        found = Workspace.objects.filter(slug=workspace).first()
        if found is None:
            raise CommandError(f"No workspace {workspace!r}.")
        tenant = Tenant(found, environment)
        started = time.perf_counter()
        run = score_snapshots_take(tenant=tenant, day=parse_day(day, name="day", default=tenant.today()))
        figures = {
            "week_start": run.week_start.isoformat(),
            "taken": run.taken,
            "already": run.already,
            "events": run.changed,
            "seconds": round(time.perf_counter() - started, 2),
        }
        self.stdout.write(json.dumps(figures))
