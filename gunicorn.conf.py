"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py` (the image's default command).

Everything comes from the environment, so one image fits any host:

- GUNICORN_BIND, else 0.0.0.0:$PORT (PORT defaults to 8000)
- WEB_CONCURRENCY: worker processes, default 2 × CPUs + 1 (capped at 8); GUNICORN_THREADS per worker (default 4)
- GUNICORN_TIMEOUT: seconds before a silent worker is killed and replaced (default 30)
- GUNICORN_GRACEFUL_TIMEOUT: on SIGTERM, seconds workers get to finish their requests (default 30)
"""

import multiprocessing
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # pulsehr.logs, wherever gunicorn starts

wsgi_app = "pulsehr.wsgi:application"

bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(multiprocessing.cpu_count() * 2 + 1, 8))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5

# Access and error logs to stdout/stderr, for the container runtime to collect. The access
# line carries the request id PulseHR returns, so it joins up with the application's log lines.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
# With PULSEHR_LOG_FORMAT=json (the image's default) gunicorn's lines are JSON too, the access
# line with request_id, method, path, status and duration_ms as fields.
if os.environ.get("PULSEHR_LOG_FORMAT", "text") == "json":
    from pulsehr.logs import gunicorn_logconfig

    logconfig_dict = gunicorn_logconfig()

# A worker restarts after this many requests (±jitter), which bounds any slow leak.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat file lives in memory rather than on a possibly slow container filesystem.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
