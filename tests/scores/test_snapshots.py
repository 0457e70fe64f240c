"""The weekly score snapshot: once per employee per week, as of the week's Monday, and
employee.score_changed when a score moves by the workspace's threshold."""

from datetime import date, timedelta

import pytest

from pulsehr.tenancy.context import SYSTEM, Tenant
from pulsehr.tenancy.services import workspace_update
from scores.models import ScoreSnapshot
from scores.services import score_snapshots_take
from scores.tasks import take_weekly_snapshots
from statuslog.models import StatusLogEntry
from tests.factories import EmployeeFactory
from webhooks.models import Event
from workload.models import WorkloadCheckin

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)


@pytest.fixture
def tenant(workspace):
    return Tenant(workspace, "live")


@pytest.fixture
def people(workspace):
    return [EmployeeFactory(workspace=workspace) for _ in range(3)]


def test_running_twice_writes_one_snapshot_per_employee_and_week(tenant, people):
    first = score_snapshots_take(tenant=tenant, day=MONDAY)
    again = score_snapshots_take(tenant=tenant, day=MONDAY + timedelta(days=3))  # later the same week
    assert (first.taken, first.already) == (3, 0)
    assert (again.taken, again.already) == (0, 3)
    rows = ScoreSnapshot.objects.filter(workspace=tenant.workspace)
    assert rows.count() == 3
    assert set(rows.values_list("week_start", "as_of")) == {(MONDAY, MONDAY)}


def test_someone_hired_later_in_the_week_is_not_snapshotted_until_next_week(tenant, people, workspace):
    score_snapshots_take(tenant=tenant, day=MONDAY)
    EmployeeFactory(workspace=workspace, start_date=MONDAY + timedelta(days=2))
    assert score_snapshots_take(tenant=tenant, day=MONDAY + timedelta(days=3)).taken == 0
    assert score_snapshots_take(tenant=tenant, day=MONDAY + timedelta(weeks=1)).taken == 4


def test_former_employees_and_the_other_environment_are_left_out(tenant, people, workspace):
    EmployeeFactory(workspace=workspace, end_date=MONDAY - timedelta(days=1))
    EmployeeFactory(workspace=workspace, environment="test")
    score_snapshots_take(tenant=tenant, day=MONDAY)
    assert set(ScoreSnapshot.objects.values_list("employee_id", flat=True)) == {p.pk for p in people}
    assert ScoreSnapshot.objects.filter(environment="test").count() == 0


def _checkins(person, level, weeks):
    """Check-ins, and a status-log post on MONDAY: two factors, so a score."""
    StatusLogEntry.objects.create(
        workspace=person.workspace, environment=person.environment, employee=person, date=MONDAY, lines=["Hi"]
    )
    for n in range(weeks):
        WorkloadCheckin.objects.create(
            workspace=person.workspace,
            environment=person.environment,
            employee=person,
            week_start=MONDAY - timedelta(weeks=n),
            level=level,
        )


def _last_week(person, score):
    factors = [{"key": key, "score": score, "weight": 1, "explanation": "", "inputs": {}} for key in ("workload",)]
    return ScoreSnapshot.objects.create(
        workspace=person.workspace,
        environment=person.environment,
        employee=person,
        week_start=MONDAY - timedelta(weeks=1),
        as_of=MONDAY - timedelta(weeks=1),
        window_days=90,
        score=score,
        band="good",
        factors=factors,
    )


def test_a_move_of_at_least_the_threshold_records_score_changed_with_both_scores(tenant, people):
    moved, steady = people[0], people[1]
    for person in (moved, steady):
        _checkins(person, "overloaded", 1)  # workload 20, and participation
    first = score_snapshots_take(tenant=tenant, day=MONDAY)
    assert first.changed == 0  # no snapshot the week before
    scores = dict(ScoreSnapshot.objects.values_list("employee_id", "score"))
    # as if last week `moved` scored 30 points more, and `steady` 5 points less
    ScoreSnapshot.objects.all().delete()
    _last_week(moved, scores[moved.pk] + 30)
    _last_week(steady, scores[steady.pk] - 5)
    run = score_snapshots_take(tenant=tenant, day=MONDAY)
    assert run.changed == 1
    event = Event.objects.get(type="employee.score_changed")
    assert event.data["employee_id"] == moved.pk and event.data["threshold"] == 10
    assert event.data["previous"] == {"score": scores[moved.pk] + 30, "band": "good"}
    assert event.data["current"]["score"] == scores[moved.pk]
    assert {f["key"] for f in event.data["factors_moved"]} >= {"workload"}
    assert event.actor == "system"
    # running again records nothing more
    assert score_snapshots_take(tenant=tenant, day=MONDAY).changed == 0
    assert Event.objects.filter(type="employee.score_changed").count() == 1


def test_no_event_when_nobody_may_see_individual_scores(tenant, people, workspace):
    person = people[0]
    _checkins(person, "overloaded", 1)
    workspace_update(workspace=workspace, actor=SYSTEM, score_privacy="nobody")
    score = score_snapshots_take(tenant=tenant, day=MONDAY)
    assert score.taken == 3
    current = ScoreSnapshot.objects.get(employee=person).score
    ScoreSnapshot.objects.all().delete()
    _last_week(person, current + 50)
    assert score_snapshots_take(tenant=tenant, day=MONDAY).changed == 0
    assert not Event.objects.filter(type="employee.score_changed").exists()


def test_the_beat_task_snapshots_every_workspace_environment_once(workspace, other_workspace, people):
    EmployeeFactory(workspace=other_workspace)
    EmployeeFactory(workspace=workspace, environment="test")
    assert take_weekly_snapshots() == 5
    assert take_weekly_snapshots() == 0
    assert ScoreSnapshot.objects.count() == 5
    assert ScoreSnapshot.objects.filter(environment="test").count() == 1


def test_new_snapshots_make_cached_group_figures_stale(tenant, people, workspace, django_capture_on_commit_callbacks):
    from scores.selectors import score_groups

    workspace_update(workspace=workspace, actor=SYSTEM, score_min_group_size=3)
    for person in people:
        _checkins(person, "balanced", 1)
    with django_capture_on_commit_callbacks(execute=True):
        score_snapshots_take(tenant=tenant, day=MONDAY)
    first = score_groups(tenant=tenant, by="department", as_of=MONDAY)
    assert first.from_snapshots and first.total.size == 3
    newcomer = EmployeeFactory(workspace=workspace, start_date=MONDAY - timedelta(days=30))
    _checkins(newcomer, "balanced", 1)
    ScoreSnapshot.objects.filter(employee__in=people[:1]).delete()  # as if a run had missed one
    with django_capture_on_commit_callbacks(execute=True):
        assert score_snapshots_take(tenant=tenant, day=MONDAY).taken == 2
    assert score_groups(tenant=tenant, by="department", as_of=MONDAY).total.size == 4
