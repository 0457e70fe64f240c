"""The workspace policies the Employee Score owns. Registered with the core's policy check
(pulsehr/tenancy/policies.py) from ScoresConfig.ready()."""

from pulsehr.tenancy.choices import ScorePrivacy

from .constants import (
    FACTOR_KEYS,
    MAX_WEIGHT,
    MAX_WINDOW_DAYS,
    MIN_GROUP_SIZE_RANGE,
    MIN_WINDOW_DAYS,
)
from .errors import (
    InvalidMinGroupSize,
    InvalidScorePrivacy,
    InvalidScoreThreshold,
    InvalidScoreWeights,
    InvalidScoreWindow,
)


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def score_window_validate(*, score_window_days: int) -> dict:
    if not _whole(score_window_days) or not MIN_WINDOW_DAYS <= score_window_days <= MAX_WINDOW_DAYS:
        raise InvalidScoreWindow(
            f"The score window must be a whole number of days from {MIN_WINDOW_DAYS} to {MAX_WINDOW_DAYS}."
        )
    return {"score_window_days": score_window_days}


def score_weights_validate(*, score_weights: dict) -> dict:
    """A weight from 0 to MAX_WEIGHT for each factor (a factor not named weighs 1); at least two
    factors must weigh something, or no overall score could ever be made."""
    if not isinstance(score_weights, dict):
        raise InvalidScoreWeights('Score weights must be a JSON object, e.g. {"workload": 2}.')
    weights = dict.fromkeys(FACTOR_KEYS, 1)
    for key, value in score_weights.items():
        if key not in FACTOR_KEYS:
            raise InvalidScoreWeights(f"'{key}' is not a score factor; use {', '.join(FACTOR_KEYS)}.")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= MAX_WEIGHT:
            raise InvalidScoreWeights(f"The weight of {key} must be a number from 0 to {MAX_WEIGHT}.")
        weights[key] = int(value) if float(value).is_integer() else value
    if sum(1 for value in weights.values() if value > 0) < 2:
        raise InvalidScoreWeights("At least two factors need a weight above 0.")
    return {"score_weights": weights}


def score_threshold_validate(*, score_change_threshold: int) -> dict:
    if not _whole(score_change_threshold) or not 1 <= score_change_threshold <= 100:
        raise InvalidScoreThreshold("The change threshold must be a whole number of points from 1 to 100.")
    return {"score_change_threshold": score_change_threshold}


def min_group_size_validate(*, score_min_group_size: int) -> dict:
    low, high = MIN_GROUP_SIZE_RANGE
    if not _whole(score_min_group_size) or not low <= score_min_group_size <= high:
        raise InvalidMinGroupSize(f"The minimum group size must be a whole number from {low} to {high}.")
    return {"score_min_group_size": score_min_group_size}


def score_privacy_validate(*, score_privacy: str) -> dict:
    if score_privacy not in ScorePrivacy.values:
        raise InvalidScorePrivacy(f"Score privacy must be one of {', '.join(ScorePrivacy.values)}.")
    return {"score_privacy": score_privacy}


VALIDATORS = [
    (["score_window_days"], score_window_validate),
    (["score_weights"], score_weights_validate),
    (["score_change_threshold"], score_threshold_validate),
    (["score_min_group_size"], min_group_size_validate),
    (["score_privacy"], score_privacy_validate),
]
