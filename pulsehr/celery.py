"""The Celery app shared by the web process, workers and beat.

Without REDIS_URL the broker is kombu's filesystem transport under the data directory,
so a laptop needs no server; with REDIS_URL it is Redis.
"""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulsehr.settings")

app = Celery("pulsehr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.celeryd_init.connect
@signals.beat_init.connect
def refuse_insecure_key(**kwargs) -> None:
    """A worker or beat (DEBUG off) does not start on an unsafe SECRET_KEY (pulsehr/secretkey.py).
    SystemExit, since Celery logs and swallows a signal handler's exceptions. Not at import:
    this module is imported with the settings, by every process and command."""
    from django.core.exceptions import ImproperlyConfigured

    from pulsehr.secretkey import refuse_insecure_key

    try:
        refuse_insecure_key()
    except ImproperlyConfigured as exc:
        raise SystemExit(str(exc)) from exc
