"""Beat runs take_weekly_snapshots hourly: each workspace environment gets the snapshot of its
current week (named by its Monday in the workspace's time zone) as soon as that Monday begins
there, and a run that finds it taken writes nothing. A beat that was down on Monday catches up
later in the week, still as of Monday."""

import logging

from celery import shared_task
from django.db import close_old_connections, connection

from pulsehr.tenancy.choices import Environment
from pulsehr.tenancy.context import Tenant
from pulsehr.tenancy.models import Workspace

from .services import score_snapshots_take

logger = logging.getLogger("pulsehr.scores")


@shared_task(name="scores.tasks.take_weekly_snapshots", ignore_result=True)
def take_weekly_snapshots() -> int:
    if not connection.in_atomic_block:  # a task called inside a transaction (a test) keeps it
        close_old_connections()
    taken = 0
    for workspace in Workspace.objects.order_by("pk"):
        for environment in Environment.values:
            tenant = Tenant(workspace, environment)
            run = score_snapshots_take(tenant=tenant, day=tenant.today())
            if run.taken:
                logger.info(
                    "Score snapshots of %s (%s), week of %s: %d taken, %d events.",
                    workspace.slug,
                    environment,
                    run.week_start,
                    run.taken,
                    run.changed,
                )
            taken += run.taken
    return taken
