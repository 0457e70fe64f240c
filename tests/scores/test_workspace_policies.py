"""The Employee Score's workspace settings: checked by the scores app through the core's policy
registry, in workspace_update and the Workspace admin alike."""

import pytest

from pulsehr.tenancy.context import SYSTEM
from pulsehr.tenancy.services import workspace_update
from scores.errors import (
    InvalidMinGroupSize,
    InvalidScorePrivacy,
    InvalidScoreThreshold,
    InvalidScoreWeights,
    InvalidScoreWindow,
)

pytestmark = pytest.mark.django_db


def test_defaults_are_the_documented_ones(workspace):
    assert workspace.score_window_days == 90
    assert workspace.score_weights == {"recognition": 1, "participation": 1, "workload": 1, "time_off": 1}
    assert workspace.score_change_threshold == 10
    assert workspace.score_min_group_size == 5
    assert workspace.score_privacy == "hr_only"


def test_settings_are_normalised_and_saved(workspace):
    saved = workspace_update(
        workspace=workspace,
        actor=SYSTEM,
        score_window_days=60,
        score_weights={"workload": 2.0, "time_off": 0.5},
        score_change_threshold=15,
        score_min_group_size=3,
        score_privacy="nobody",
    )
    workspace.refresh_from_db()
    for row in (saved, workspace):
        assert row.score_weights == {"recognition": 1, "participation": 1, "workload": 2, "time_off": 0.5}
        assert (row.score_window_days, row.score_change_threshold) == (60, 15)
        assert (row.score_min_group_size, row.score_privacy) == (3, "nobody")


@pytest.mark.parametrize(
    "changes,error",
    [
        ({"score_window_days": 7}, InvalidScoreWindow),
        ({"score_window_days": 400}, InvalidScoreWindow),
        ({"score_window_days": True}, InvalidScoreWindow),
        ({"score_weights": {"mood": 1}}, InvalidScoreWeights),
        ({"score_weights": {"workload": -1}}, InvalidScoreWeights),
        ({"score_weights": {"workload": "2"}}, InvalidScoreWeights),
        ({"score_weights": [1, 1]}, InvalidScoreWeights),
        ({"score_weights": {"recognition": 0, "participation": 0, "workload": 0}}, InvalidScoreWeights),
        ({"score_change_threshold": 0}, InvalidScoreThreshold),
        ({"score_min_group_size": 2}, InvalidMinGroupSize),
        ({"score_min_group_size": 11}, InvalidMinGroupSize),
        ({"score_privacy": "everyone"}, InvalidScorePrivacy),
    ],
)
def test_bad_settings_are_refused_naming_the_field(workspace, changes, error):
    with pytest.raises(error) as raised:
        workspace_update(workspace=workspace, actor=SYSTEM, **changes)
    assert raised.value.fields == list(changes)
    workspace.refresh_from_db()
    assert workspace.score_privacy == "hr_only" and workspace.score_min_group_size == 5
