"""The Employee Score part of `make bench` (`bench/run.py --only scores`).

A database of its own, `pulsehr_bench_scores` (re-created every run): 100,000 employees
(`--scores-rows`) loaded with bench/seed.py, and their kudos, status log, check-ins and leave
seeded in SQL (bench/seed_scores.py). Then:

1. the weekly snapshot, timed in a Django process of its own (manage.py take_score_snapshots): every
   employee's snapshot (target: under 120 s), and a second run that finds them taken;
2. with wrk, in interleaved rounds like the reads part, against compose's web command and the
   floor (bench/floor, the same command pointed at the floor's app): `employee_score`
   (`GET /v1/employees/{id}/score`, target ≥ 0.5× the floor) and `groups_department`
   (`GET /v1/scores/groups?by=department` over every employee, target ≥ 0.2× the floor).

`--scores-smoke` checks the scenario code end to end in a minute: a small `--scores-rows`,
the snapshot timed, and one request per scenario instead of wrk (no figures)."""

import json
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
from harness import BENCH_DIR, PG_SERVER, ROOT, BenchError, bench_environment, fetch, free_port, logger, manage
from seed import seed_employees
from seed_scores import seed_scores

log = logger("scores")
DB_NAME = "pulsehr_bench_scores"
DATABASE_URL = f"{PG_SERVER}/{DB_NAME}"
WORKSPACE = "bench-scores"
ENVIRONMENT = "live"
TIMEZONE = "Europe/Rome"
SNAPSHOT_TARGET_SECONDS = 120
WARM_REQUESTS = 3
TARGETS = {
    "employee_score_vs_floor": {"ratio": ("employee_score", "floor"), "min": 0.5},
    "groups_department_vs_floor": {"ratio": ("groups_department", "floor"), "min": 0.2},
}
RESULTS = BENCH_DIR / "results_scores.json"


def add_arguments(parser) -> None:
    parser.add_argument("--scores-rows", type=int, default=100_000, help="employees of the score part (100,000)")
    parser.add_argument(
        "--scores-smoke", action="store_true", help="score part: one request per scenario, no wrk (checks the code)"
    )


def prepare(env: dict, rows: int) -> dict:
    log(f"creating database {DB_NAME}")
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    manage("migrate", "--noinput", env=env)
    manage("create_workspace", WORKSPACE, "--timezone", TIMEZONE, env=env)
    employees = seed_employees(DATABASE_URL, workspace_slug=WORKSPACE, environment=ENVIRONMENT, count=rows)
    today = datetime.now(ZoneInfo(TIMEZONE)).date()
    signals = seed_scores(DATABASE_URL, workspace_slug=WORKSPACE, environment=ENVIRONMENT, today=today)
    log(f"seeded {rows:,} employees ({signals['employed']:,} employed today) and their signals")
    return {"employees_seconds": round(employees["total_s"], 2), **signals}


def time_snapshot(env: dict) -> dict:
    """The snapshot as the beat task takes it (manage.py take_score_snapshots), then once more."""
    command = ("take_score_snapshots", "--workspace", WORKSPACE, "--environment", ENVIRONMENT)
    first = json.loads(manage(*command, env=env).strip().splitlines()[-1])
    again = json.loads(manage(*command, env=env).strip().splitlines()[-1])
    snapshot = {**first, "second_run_taken": again["taken"], "second_run_seconds": again["seconds"]}
    snapshot["pass"] = first["seconds"] < SNAPSHOT_TARGET_SECONDS and again["taken"] == 0
    log(
        f"weekly snapshot: {first['taken']:,} taken in {first['seconds']:.1f} s "
        f"(target < {SNAPSHOT_TARGET_SECONDS} s); run again: {again['taken']} taken in {again['seconds']:.1f} s"
    )
    return snapshot


def ids() -> dict:
    with psycopg.connect(DATABASE_URL) as conn:
        workspace_id, employee_id = conn.execute(
            "SELECT w.id, (SELECT e.id FROM employees_employee e JOIN kudos_kudos k ON k.to_employee_id = e.id "
            "WHERE e.workspace_id = w.id AND e.end_date IS NULL ORDER BY e.id LIMIT 1) "
            "FROM tenancy_workspace w WHERE w.slug = %s",
            (WORKSPACE,),
        ).fetchone()
    return {"workspace_id": workspace_id, "employee_id": employee_id}


def run(args, *, tools) -> dict:
    """`tools` are bench/run.py's: web_command, Server, ensure_wrk, measure, check_page, paired_ratio."""
    env = bench_environment(
        database_url=DATABASE_URL,
        redis_url=tools["redis_url"],
        PULSEHR_RATE_LIMIT="100000000",
    )
    rows = args.scores_rows
    seed = prepare(env, rows)
    snapshot = time_snapshot(env)
    found = ids()
    secret = manage(
        "create_api_key", "--workspace", WORKSPACE, "--environment", ENVIRONMENT, "--scopes", "read:*", env=env
    )
    auth = {"Authorization": f"Bearer {secret.strip().splitlines()[-1]}"}
    web_port, floor_port = free_port(), free_port()
    web_argv, web_env = tools["web_command"](env, web_port)
    floor_argv, floor_env = tools["web_command"](env, floor_port, app="bench.floor.wsgi:application")
    floor_env["BENCH_FLOOR_WORKSPACE_ID"] = found["workspace_id"]
    floor_env["BENCH_FLOOR_ENVIRONMENT"] = ENVIRONMENT
    base, floor_base = f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{floor_port}"
    paths = {
        "employee_score": f"/v1/employees/{found['employee_id']}/score",
        "groups_department": "/v1/scores/groups?by=department",
    }
    expectations = {
        "floor": lambda body: None if len(body["data"]) == 50 else "expected 50 rows",
        "employee_score": lambda body: (
            None if body["score"] is not None and len(body["factors"]) == 4 else "expected a score of four factors"
        ),
        "groups_department": lambda body: (
            None
            if not body["total"]["suppressed"] and body["total"]["size"] >= rows // 2
            else "expected the whole workspace in the total"
        ),
    }
    results: dict = {"rows": rows, "seed": seed, "snapshot": snapshot}
    with tempfile.TemporaryDirectory(prefix="pulsehr-bench-scores-") as tmp:
        tmp = Path(tmp)
        web = tools["Server"]("web", web_argv, web_port, web_env, tmp / "web.log")
        floor = tools["Server"]("floor", floor_argv, floor_port, floor_env, tmp / "floor.log", ready_path="/floor")
        servers = [web, floor]
        try:
            for server in servers:
                server.wait_ready()
            scenarios = {"floor": (f"{floor_base}/floor", {}, floor)}
            scenarios |= {name: (f"{base}{path}", auth, web) for name, path in paths.items()}
            for name, (url, headers, _server) in scenarios.items():
                tools["check_page"](name, url, headers, expectations[name])
                timings = []
                for _ in range(WARM_REQUESTS):  # after the check's cold one: caches filled, schema built
                    started = time.perf_counter()
                    status, _body = fetch(url, headers)
                    timings.append((time.perf_counter() - started) * 1000)
                    if status != 200:
                        raise BenchError(f"{name}: GET {url} answered {status}")
                log(f"{name}: 200; warm requests {', '.join(f'{t:.0f}' for t in timings)} ms")
                results.setdefault("warm_request_ms", {})[name] = [round(t, 1) for t in timings]
            if not args.scores_smoke:
                samples = tools["measure"](tools["ensure_wrk"](), scenarios, args)
                targets = {}
                for name, target in TARGETS.items():
                    ratio, ratios = tools["paired_ratio"](samples, *target["ratio"])
                    targets[name] = {"ratio": round(ratio, 3), "rounds": [round(r, 3) for r in ratios]}
                    targets[name] |= {"min": target["min"], "pass": ratio >= target["min"]}
                    verdict = "PASS" if targets[name]["pass"] else "FAIL"
                    print(f"{verdict}  {name:<28} {ratio:.2f} (target >= {target['min']})")
                results["targets"] = targets
        finally:
            for server in reversed(servers):
                server.stop()
    print(
        f"{'PASS' if snapshot['pass'] else 'FAIL'}  weekly_snapshot_{rows}          {snapshot['seconds']:.1f} s "
        f"(target < {SNAPSHOT_TARGET_SECONDS} s)"
    )
    if not args.scores_smoke:
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
        log(f"wrote {RESULTS.relative_to(ROOT)}")
    return results
