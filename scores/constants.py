"""The Employee Score's fixed shape: its factors, bands and defaults (README, "The Employee Score")."""

FACTOR_KEYS = ("recognition", "participation", "workload", "time_off")

# Bands by overall score: the lowest score of each band, highest band first. A score of 64 is
# `fair`, 65 is `good`. Chosen so that someone at the workspace's median on every factor lands
# in `good` (Recognition gives 67 at the median), and `critical` needs several factors low.
BANDS = (("excellent", 80), ("good", 65), ("fair", 50), ("low", 30), ("critical", 0))
BAND_NAMES = tuple(name for name, _ in BANDS)

# How /v1/scores/groups and the team-health page can group people.
GROUP_DIMENSIONS = ("department", "location", "manager")

DEFAULT_WINDOW_DAYS = 90
MIN_WINDOW_DAYS, MAX_WINDOW_DAYS = 28, 365
DEFAULT_CHANGE_THRESHOLD = 10
DEFAULT_MIN_GROUP_SIZE = 5
MIN_GROUP_SIZE_RANGE = (3, 10)
MAX_WEIGHT = 10

# Workload balance looks at the last 12 weekly check-ins; Time off at the last 12 months.
WORKLOAD_WEEKS = 12
TIME_OFF_DAYS = 365
# The leave kinds that are rest a person chooses (sick, parental and unpaid leave are not).
RESTING_KINDS = ("vacation", "personal")
