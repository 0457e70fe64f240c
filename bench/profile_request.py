"""Where a request's time goes, in one process: `python bench/profile_request.py [path ...]`.

Runs requests through Django's full middleware stack (the test client's handler, as the WSGI
handler would) against the database `bench/run.py` seeded, and prints for each path the mean
time (wall and this process's CPU) per request, the SQL it ran with timings, and the functions
cProfile found costliest (`--tree`: pyinstrument's call tree instead, which shows middleware,
key lookup, the rate-limit round trip, pagination, the count and rendering in the order they
run). `{leave_employee}` in a path stands for the employee whose leave run.py seeded, e.g.
`/v1/leave/balance/{leave_employee}?year=2025`, and `{employee}` for the first employee by id.
Run `make bench` once first so the database exists; PROFILE_DATABASE and PROFILE_WORKSPACE
choose another bench database (e.g. pulsehr_bench_scores and bench-scores)."""

import argparse
import cProfile
import io
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Django runs here with DEBUG off, and signs with SECRET_KEY: a fresh key per run is enough.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.update(
    {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{os.environ.get('PROFILE_DATABASE', 'pulsehr_bench')}",
        "REDIS_URL": "redis://127.0.0.1:6379/2",
        "PULSEHR_RATE_LIMIT": "100000000",
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "pulsehr.settings",
    }
)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from employees.models import Employee  # noqa: E402
from leave.models import Leave  # noqa: E402
from pulsehr.tenancy.models import Workspace  # noqa: E402
from pulsehr.tenancy.services import api_key_create  # noqa: E402

DEFAULT_PATHS = [
    "/v1/employees?limit=50",
    "/v1/employees?department=Engineering&limit=50",
    "/v1/status-log?limit=50",
    "/v1/leave/balance/{leave_employee}",
]


class QueryLog:
    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((time.perf_counter() - started, sql))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=25, help="functions to list per path")
    parser.add_argument("--tree", action="store_true", help="pyinstrument's call tree instead of cProfile's lists")
    args = parser.parse_args()

    workspace = Workspace.objects.get(slug=os.environ.get("PROFILE_WORKSPACE", "bench"))
    _, secret = api_key_create(workspace=workspace, environment="live", scopes="read:*")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    # `{leave_employee}` in a path stands for the employee whose leave run.py seeded.
    leave_employee = Leave.objects.filter(workspace=workspace, environment="live").values_list("employee_id")[:1]
    first_employee = (
        Employee.objects.filter(workspace=workspace, environment="live").order_by("id").values_list("id")[:1]
    )
    for path in args.paths:
        path = path.replace("{employee}", first_employee[0][0]) if "{employee}" in path else path
        if "{leave_employee}" in path:
            path = path.replace("{leave_employee}", leave_employee[0][0])
        for _ in range(20):  # warm caches, connections and the count cache
            assert client.get(path).status_code == 200, path
        log = QueryLog()
        with connection.execute_wrapper(log):
            client.get(path)
        started, cpu_started = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            client.get(path)
        plain = (time.perf_counter() - started) / args.requests
        # This process's CPU per request: steadier than wall time on a busy machine.
        cpu = (time.process_time() - cpu_started) / args.requests
        if args.tree:
            from pyinstrument import Profiler

            tree = Profiler(interval=0.0002)
            with tree:
                for _ in range(args.requests):
                    client.get(path)
            print(f"\n=== {path}: {plain * 1000:.2f} ms per request, {cpu * 1000:.2f} ms of CPU")
            print(tree.output_text(color=False, show_all=False))
            continue
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(args.requests):
            client.get(path)
        profiler.disable()
        profiled = (time.perf_counter() - started) / args.requests
        print(
            f"\n=== {path}: {plain * 1000:.2f} ms per request, {cpu * 1000:.2f} ms of CPU "
            f"({profiled * 1000:.2f} ms under cProfile)"
        )
        for seconds, sql in log.queries:
            print(f"  SQL {seconds * 1000:6.2f} ms  {sql[:150]}")
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
            print(out.getvalue())


if __name__ == "__main__":
    main()
