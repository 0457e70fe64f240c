"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py` (the image's default command).

gunicorn manages uvicorn workers serving the ASGI application: the HTTP API, the admin and
the collab WebSockets (/v1/realtime) on one port. With several workers, or several hosts, the
sockets of a room are reached through Redis (REDIS_URL), see docs/operations.md.

Everything comes from the environment, so one image fits any host:

- GUNICORN_BIND, else 0.0.0.0:$PORT (PORT defaults to 8000)
- WEB_CONCURRENCY: worker processes, default 2 × CPUs + 1 (capped at 8)
- GUNICORN_THREADS: threads per worker when a command serves the WSGI application instead (default 4)
- GUNICORN_TIMEOUT: seconds before a silent worker is killed and replaced (default 30)
- GUNICORN_GRACEFUL_TIMEOUT: on SIGTERM, seconds workers get to finish their requests (default 30)
"""

import multiprocessing
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # pulsehr.logs, wherever gunicorn starts

wsgi_app = "pulsehr.asgi:application"  # gunicorn's name for the application, ASGI here
worker_class = "pulsehr.serving.UvicornWorker"

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
# Written by pulsehr.serving.AccessLogMiddleware in gunicorn's format (uvicorn's own line is off).
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
# With PULSEHR_LOG_FORMAT=json (the image's default) gunicorn's lines are JSON too, the access
# line with request_id, method, path, status and duration_ms as fields.
if os.environ.get("PULSEHR_LOG_FORMAT", "text") == "json":
    from pulsehr.logs import gunicorn_logconfig

    logconfig_dict = gunicorn_logconfig()

# A worker restarts after this many requests (±jitter), which bounds any slow leak; its open
# sockets close with it and their clients reconnect and catch up.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat file lives in memory rather than on a possibly slow container filesystem.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def on_starting(server):
    """gunicorn reads ./gunicorn.conf.py even when a command names another application, as the
    live tests and the bench do with `gunicorn pulsehr.wsgi:application`: a WSGI application
    gets gunicorn's threaded worker instead of the uvicorn one (unless the command picks one)."""
    if server.app.app_uri != wsgi_app and server.cfg.worker_class_str == worker_class:
        server.cfg.set("worker_class", "sync")  # with threads > 1, gunicorn makes it gthread
        server.worker_class = server.cfg.worker_class
