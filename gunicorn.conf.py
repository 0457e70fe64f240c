"""gunicorn settings for production's `web` service: `gunicorn -c gunicorn.conf.py` (the image's
default command) serves the WSGI application, pulsehr.wsgi: the API, the admin, /developers,
/ecosystem and the static files. The collab WebSocket (/v1/realtime) is the `realtime`
service's (pulsehr.asgi:realtime_application on uvicorn); the proxy (docker/Caddyfile) puts
both on one port. docs/operations.md has the measurements behind the defaults below.

Everything comes from the environment, so one image fits any host:

- GUNICORN_BIND, else 0.0.0.0:$PORT (PORT defaults to 8000)
- WEB_CONCURRENCY: worker processes, default 2 × CPUs (capped at 8)
- GUNICORN_THREADS: threads per worker, default 4; each thread keeps one database connection,
  so a web service holds at most WEB_CONCURRENCY × GUNICORN_THREADS of them
- GUNICORN_MAX_REQUESTS: requests before a worker is replaced (default 100000; 0 = never)
- GUNICORN_TIMEOUT: seconds before a silent worker is killed and replaced (default 30)
- GUNICORN_GRACEFUL_TIMEOUT: on SIGTERM, seconds workers get to finish their requests (default 30)
- GUNICORN_GC_GEN0: allocations between the garbage collector's young-generation passes in a
  worker (default 50000; Python's own is 700)
"""

import gc
import multiprocessing
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # pulsehr.logs, wherever gunicorn starts

wsgi_app = "pulsehr.wsgi:application"
# Threads, not processes, for concurrency within a worker: a request mostly waits on PostgreSQL
# and Redis, and a thread's database connection is kept across requests (CONN_MAX_AGE). The
# threaded worker also keeps the proxy's connections alive between requests, which the sync
# worker cannot (it closes every connection after one response).
worker_class = "gthread"

bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(multiprocessing.cpu_count() * 2, 8))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Longer than the proxy's idle upstream connections are kept, so the proxy, not gunicorn,
# closes an idle one and never sends a request down a connection gunicorn is closing.
keepalive = 75

# Access and error logs to stdout/stderr, for the container runtime to collect. The access
# line carries the request id PulseHR returns, so it joins up with the application's log lines.
accesslog = "-"
errorlog = "-"
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s forwarded_for=%({x-forwarded-for}i)s'
)
# With PULSEHR_LOG_FORMAT=json (the image's default) gunicorn's lines are JSON too, the access
# line with request_id, method, path, status and duration_ms as fields.
if os.environ.get("PULSEHR_LOG_FORMAT", "text") == "json":
    from pulsehr.logs import gunicorn_logconfig

    logconfig_dict = gunicorn_logconfig()

# A worker is replaced after this many requests (±10 % jitter, so workers do not restart
# together): a bound on any slow leak. Each restart costs a new process, a fresh import of
# Django and new database connections, so the bound is set high rather than at the habitual
# 1,000-2,000, which at a few hundred requests a second restarts a worker every few seconds.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# The heartbeat file lives in memory rather than on a possibly slow container filesystem.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# The garbage collector, tuned per worker once the application is loaded. Django's own objects
# live as long as the process: freezing them keeps every collection from walking them again. A
# request that reads a thousand rows keeps a few thousand objects alive until it answers, so at
# Python's default of 700 allocations the young generation is collected several times per
# request, walking those live objects each time; measured on who's out for a thousand people
# (bench/run.py's whos_out), that was one eighth of the request's CPU. Refcounting frees almost
# everything a request makes; the collector is for cycles, which can wait for 50,000
# allocations (a few MB at most).
gc_gen0 = int(os.environ.get("GUNICORN_GC_GEN0", "50000"))


def post_worker_init(worker):
    gc.freeze()
    _, *older = gc.get_threshold()
    gc.set_threshold(gc_gen0, *older)
