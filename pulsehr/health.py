"""Probes for process managers and load balancers, unauthenticated and never rate-limited.

- `/healthz` (liveness): the process answers. It touches no database or broker, so a
  restart is never triggered by a dependency's outage.
- `/readyz` (readiness): this process can serve: the database answers, every migration the
  code knows of is applied, and the broker accepts a connection. 200 with each check's
  status, or 503 naming the checks that failed; a load balancer sends traffic elsewhere
  meanwhile. Each process reuses its answer for PULSEHR_READYZ_CACHE_SECONDS (default 5).

HealthCheckMiddleware answers both paths ahead of the rest of the stack, because a probe
comes from an orchestrator, not a browser: its Host header is an internal address that
ALLOWED_HOSTS rightly refuses, it speaks plain HTTP behind a TLS-terminating proxy (where
the HTTPS redirect would answer 301), and it needs no session. The URL patterns in
pulsehr/urls.py name the same views, for reverse() and for anyone reading the URL map."""

import logging
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from kombu import Connection

logger = logging.getLogger(__name__)

# A readiness probe must answer well inside a probe's own timeout, whatever is down.
BROKER_TIMEOUT_SECONDS = 2.0


def healthz(request):
    return JsonResponse({"status": "ok"})


def check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_migrations() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _backwards in plan[:5])
        raise RuntimeError(f"{len(plan)} unapplied migration(s): {names}")


def check_broker() -> None:
    """Opens a connection to the Celery broker (Redis, or the embedded filesystem queue) and
    closes it: no message is sent, and a broker that does not answer fails within the timeout."""
    options = {**getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})}
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        options.update(socket_connect_timeout=BROKER_TIMEOUT_SECONDS, socket_timeout=BROKER_TIMEOUT_SECONDS)
    with Connection(
        settings.CELERY_BROKER_URL,
        transport=getattr(settings, "CELERY_BROKER_TRANSPORT", None),
        transport_options=options,
        connect_timeout=BROKER_TIMEOUT_SECONDS,
    ) as conn:
        conn.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)


CHECKS = {"database": check_database, "migrations": check_migrations, "broker": check_broker}


# The last answer of this process and when it stops being reused (time.monotonic()).
_last_answer: tuple[float, int, dict] | None = None
_answer_lock = threading.Lock()


def forget_readiness() -> None:
    """Drop the cached answer (tests that break a dependency on purpose)."""
    global _last_answer
    with _answer_lock:
        _last_answer = None


def readyz(request):
    """The checks' answer, reused for PULSEHR_READYZ_CACHE_SECONDS: a probe every second, or a
    flood of unauthenticated calls, costs one migration plan and one broker connection per
    process per period. A dependency that goes down shows within that period. The lock makes
    concurrent callers wait for one run of the checks instead of each running them."""
    global _last_answer
    with _answer_lock:
        now = time.monotonic()
        if _last_answer is None or now >= _last_answer[0]:
            status, body = run_checks()
            _last_answer = (now + settings.PULSEHR_READYZ_CACHE_SECONDS, status, body)
        _, status, body = _last_answer
    return JsonResponse(body, status=status)


def run_checks() -> tuple[int, dict]:
    checks: dict[str, dict] = {}
    for name, check in CHECKS.items():
        if name == "migrations" and not checks["database"]["ok"]:
            checks[name] = {"ok": False, "error": "not checked: the database is unreachable"}
            continue
        started = time.monotonic()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready", and is reported
            # The class, not the message: this answer is public, and a driver's message can
            # name hosts and users. The message goes to the log.
            logger.warning("Readiness check %s failed: %s", name, exc)
            detail = str(exc) if name == "migrations" else type(exc).__name__
            checks[name] = {"ok": False, "error": detail}
        else:
            checks[name] = {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}
    if not checks["database"]["ok"]:
        # A failed query leaves the connection unusable; drop it so the next probe reconnects.
        connections[DEFAULT_DB_ALIAS].close_if_unusable_or_obsolete()
    failing = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "unavailable" if failing else "ok", "checks": checks}
    if failing:
        body["failing"] = failing
    return 503 if failing else 200, body


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answers GET/HEAD /healthz and /readyz before host validation, HTTPS redirects, sessions
    and CSRF (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = PROBES.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
