"""The Employee Score's domain errors: each a kind of pulsehr.errors, so the API keeps its status
and code; each names the one field at fault."""

from pulsehr.errors import InvalidInput, PermissionDenied


class InvalidScoreWindow(InvalidInput):
    field = "score_window_days"


class InvalidScoreWeights(InvalidInput):
    field = "score_weights"


class InvalidScoreThreshold(InvalidInput):
    field = "score_change_threshold"


class InvalidMinGroupSize(InvalidInput):
    field = "score_min_group_size"


class InvalidScorePrivacy(InvalidInput):
    field = "score_privacy"


class InvalidScoreDates(InvalidInput):
    """A malformed as_of, from or to, or a range that ends before it starts."""


class IndividualScoresHidden(PermissionDenied):
    """The workspace shows nobody's individual score (privacy `nobody`)."""


class InvalidGroupBy(InvalidInput):
    field = "by"
