"""The one write of the Employee Score: the weekly snapshot, and the employee.score_changed events
it records."""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.db import transaction

from pulsehr.tenancy.choices import ScorePrivacy
from pulsehr.tenancy.context import SYSTEM, Tenant
from pulsehr.tenancy.models import Workspace
from webhooks.outbox import endpoints_subscribed, event_record

from .models import ScoreSnapshot
from .representations import factor_as_dict, score_changed_as_dict
from .selectors import people_employed_on, score_settings, scores_for, snapshots_written, week_start

SCORE_CHANGED = "employee.score_changed"
INSERT_BATCH = 2000


@dataclass(frozen=True)
class SnapshotRun:
    week_start: date
    taken: int  # snapshots written by this run
    already: int  # people whose snapshot of the week existed before
    changed: int  # employee.score_changed events recorded


def score_snapshots_take(*, tenant: Tenant, day: date) -> SnapshotRun:
    """Snapshot the score of everyone employed on the Monday of `day`'s week, as of that Monday,
    once: a second run (a retry, a second beat, a run later in the week) writes only what is
    missing, and records no event twice. People whose overall score moved by at least the
    workspace's threshold since last week's snapshot get an employee.score_changed event, unless
    the workspace shows nobody's individual score.

    Scoring runs outside the transaction (it only reads); the writes run under a lock on the
    workspace row, which serialises concurrent runs, and skip anyone snapshotted meanwhile."""
    monday = week_start(day)
    snapshots = tenant.scope(ScoreSnapshot.objects)
    done = set(snapshots.filter(week_start=monday).values_list("employee_id", flat=True))
    people = [p for p in people_employed_on(tenant=tenant, day=monday) if p.id not in done]
    if not people:
        return SnapshotRun(monday, 0, len(done), 0)
    scored = scores_for(tenant=tenant, people=people, as_of=monday, settings=score_settings(tenant=tenant))
    with transaction.atomic():
        workspace = Workspace.objects.select_for_update().get(pk=tenant.workspace.pk)
        done = set(snapshots.filter(week_start=monday).values_list("employee_id", flat=True))
        rows = [
            ScoreSnapshot(
                workspace=workspace,
                environment=tenant.environment,
                employee_id=person.id,
                week_start=monday,
                as_of=monday,
                window_days=score.window_days,
                score=score.score,
                band=score.band or "",
                factors=[factor_as_dict(factor) for factor in score.factors],
                **{factor.key: factor.score for factor in score.factors},
            )
            for person, score in scored
            if person.id not in done
        ]
        ScoreSnapshot.objects.bulk_create(rows, batch_size=INSERT_BATCH)
        if rows:
            transaction.on_commit(partial(snapshots_written, tenant), robust=True)
        changed = 0
        if workspace.score_privacy != ScorePrivacy.NOBODY:
            changed = _record_changes(tenant=tenant, workspace=workspace, monday=monday, rows=rows)
    return SnapshotRun(monday, len(rows), len(done), changed)


def _record_changes(*, tenant: Tenant, workspace: Workspace, monday: date, rows: list[ScoreSnapshot]) -> int:
    threshold = workspace.score_change_threshold
    last_week = {
        employee_id: {"score": score, "band": band, "factors": factors}
        for employee_id, score, band, factors in tenant.scope(ScoreSnapshot.objects)
        .filter(week_start=monday - timedelta(weeks=1))
        .values_list("employee_id", "score", "band", "factors")
        .order_by()
    }
    endpoints = None  # read once, and only if some score moved
    changed = 0
    for row in rows:
        previous = last_week.get(row.employee_id)
        if previous is None or previous["score"] is None or row.score is None:
            continue
        if abs(row.score - previous["score"]) < threshold:
            continue
        if endpoints is None:
            endpoints = endpoints_subscribed(tenant=tenant, event_type=SCORE_CHANGED)
        current = {"score": row.score, "band": row.band, "factors": row.factors}
        data = score_changed_as_dict(
            employee_id=row.employee_id, week_start=monday, previous=previous, current=current, threshold=threshold
        )
        event_record(tenant=tenant, type=SCORE_CHANGED, data=data, actor=SYSTEM, endpoints=endpoints)
        changed += 1
    return changed
