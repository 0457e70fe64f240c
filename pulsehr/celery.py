"""The Celery app shared by the web process, workers and beat.

Without REDIS_URL the broker is kombu's filesystem transport under the data directory,
so a laptop needs no server; with REDIS_URL it is Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulsehr.settings")

app = Celery("pulsehr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
