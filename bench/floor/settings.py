"""Django settings of the floor: no middleware, no auth, no PulseHR apps, only the floor's own
unmanaged model. The database settings are production's own (persistent connections or a
pool, whichever pulsehr/settings.py chooses), so the floor pays for connections as the API does."""

import os

from pulsehr.settings import DATABASES  # noqa: F401 - the same DATABASE_URL and connection handling

SECRET_KEY = "bench-floor"  # signs nothing: the floor has no sessions, cookies or forms
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["bench.floor"]
MIDDLEWARE = []
ROOT_URLCONF = "bench.floor.urls"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The tenant whose rows the floor serves: bench/run.py passes the bench workspace's id.
FLOOR_WORKSPACE_ID = os.environ.get("BENCH_FLOOR_WORKSPACE_ID", "")
FLOOR_ENVIRONMENT = os.environ.get("BENCH_FLOOR_ENVIRONMENT", "live")
