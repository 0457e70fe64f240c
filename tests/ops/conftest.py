# The live machinery of tests/live: a fresh database (live_site), and a web process, a Celery
# worker and a webhook receiver over it (webhook_stack, hooks).
from tests.live.conftest import hooks, live_site, webhook_stack  # noqa: F401
