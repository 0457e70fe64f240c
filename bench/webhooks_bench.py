"""The webhook part of `make bench` (bench/run.py; alone: `bench/run.py --only webhooks`).

Real parts throughout, run as compose.yaml runs them (bench/compose.py reads its commands):
PostgreSQL, Redis as the broker, 2 processes of the `worker` service's command, one of the
`beat` service's, the `web` service's command for the API (WEB_CONCURRENCY=2), and a local
receiver in a process of its own (bench/webhook_receiver.py) that records when each delivery
arrives.

- floor: plain POSTs per second to the receiver from 2 processes (as many threads each as a
  worker has), keep-alive, no database, no broker: what the receiver and HTTP alone allow.
- drain: a backlog of deliveries (bench/seed_webhooks.py: events and deliveries in bulk, then
  handed to the broker with deliveries_dispatch) drained by 2 worker processes; deliveries
  per second from the first receipt to the last (and from the workers' launch).
- latency: POST /v1/employees at a steady rate through gunicorn; for each, the time from its
  201 to the receipt of its employee.created delivery; p50/p95.
"""

import http.client
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import compose
import psycopg
import redis
from harness import (
    BENCH_DIR,
    PG_SERVER,
    ROOT,
    WEB_CONCURRENCY,
    BenchError,
    bench_environment,
    family,
    free_port,
    logger,
    manage,
    process_table,
)

RESULTS = BENCH_DIR / "results_webhooks.json"

DB_NAME = os.environ.get("BENCH_WEBHOOKS_DB", "pulsehr_bench_webhooks")
DATABASE_URL = f"{PG_SERVER}/{DB_NAME}"
REDIS_URL = os.environ.get("BENCH_WEBHOOKS_REDIS_URL", "redis://127.0.0.1:6379/4")
WORKSPACE = "bench"
ENVIRONMENT = "live"
WORKERS = 2

TARGETS = {
    "drain_deliveries_per_s": {"min": 500},
    "latency_p95_ms": {"max": 500},
}


log = logger("webhooks")


def add_arguments(parser) -> None:
    group = parser.add_argument_group("webhooks")
    group.add_argument("--webhook-deliveries", type=int, default=20_000, help="backlog drained (default 20,000)")
    group.add_argument("--webhook-rate", type=float, default=100, help="POST /v1/employees per second (default 100)")
    group.add_argument("--webhook-seconds", type=float, default=20, help="seconds of steady POSTs (default 20)")
    group.add_argument(
        "--webhook-drain-limit", type=float, default=90, help="seconds the drain may take before it is cut short"
    )
    group.add_argument("--webhook-floor-seconds", type=float, default=5, help="seconds of the floor (default 5)")


# --- Processes ------------------------------------------------------------------------------


class Proc:
    """A child in its own session (Ctrl-C reaches only us), its output in a log file."""

    def __init__(self, name: str, command: list[str], env: dict, log_dir: Path):
        self.name, self.log_path = name, log_dir / f"{name}.log"
        self.log_file = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def cpu_seconds(self) -> float:
        """User + system CPU of the process and all its descendants (Linux /proc; 0 elsewhere)."""
        table = process_table()
        return sum(table[pid].cpu_seconds for pid in family(self.process.pid, table) if pid in table)

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log_file.close()


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all cores so far, from /proc/stat."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0, 0
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def busy_fraction(before: tuple[int, int], after: tuple[int, int]) -> float:
    total = after[1] - before[1]
    return round((after[0] - before[0]) / total, 3) if total else 0.0


def get_json(url: str, method: str = "GET"):
    with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=30) as response:
        return json.loads(response.read())


def wait_until(check, what: str, proc: Proc, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not proc.alive():
            raise BenchError(f"{proc.name} exited with {proc.process.returncode}:\n{proc.log_tail()}")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"{what} not ready within {timeout:.0f} s:\n{proc.log_tail()}")


# --- Setup ----------------------------------------------------------------------------------


def seed(*args: str, env: dict) -> dict:
    command = [sys.executable, str(BENCH_DIR / "seed_webhooks.py"), *args]
    command += ["--workspace", WORKSPACE, "--environment", ENVIRONMENT]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BenchError(f"seed_webhooks.py {args[0]} failed:\n{result.stdout}{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def create_database(env: dict, db_name: str = DB_NAME) -> str:
    """A fresh database each run (it is small: migrations, one workspace) and a write key for
    it; the collab bench makes its own the same way."""
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {db_name}")
    manage("migrate", "--noinput", env=env)
    manage("create_workspace", WORKSPACE, "--timezone", "Europe/Rome", env=env)
    return (
        manage("create_api_key", "--workspace", WORKSPACE, "--environment", ENVIRONMENT, "--scopes", "write:*", env=env)
        .strip()
        .splitlines()[-1]
    )


def delivery_counts() -> dict:
    with psycopg.connect(DATABASE_URL) as conn:
        rows = conn.execute("SELECT status, count(*) FROM webhooks_delivery GROUP BY status").fetchall()
        (attempts,) = conn.execute("SELECT count(*) FROM webhooks_deliveryattempt").fetchone()
    return {**dict(rows), "attempts": attempts}


# --- The floor ------------------------------------------------------------------------------


def sample_body() -> bytes:
    """About the size of a real employee.created delivery."""
    data = {"id": "emp_01J" + "0" * 23, "full_name": "Bench Person", "email": "bench.person@example.com"}
    data |= {"role": "Engineer", "department": "Engineering", "location": "Rome", "manager_id": None}
    data |= {"start_date": "2024-01-01", "end_date": None, "status": "active", "custom_fields": {}, "version": 1}
    data |= {"created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}
    event = {"id": "evt_01J" + "0" * 23, "type": "employee.created", "created_at": "2025-01-01T00:00:00Z"}
    return json.dumps({**event, "data": data}).encode()


def floor_client(url: str, seconds: float, threads: int) -> None:
    """One floor process: `threads` threads POSTing over keep-alive connections for `seconds`."""
    import urllib3

    body = sample_body()
    headers = {"Content-Type": "application/json", "X-Pulse-Event": "employee.created", "webhook-id": "del_floor"}
    headers |= {"X-Pulse-Signature": "t=0,v1=" + "0" * 64, "webhook-signature": "v1," + "0" * 44}
    pool = urllib3.PoolManager(maxsize=threads, retries=False)
    deadline = time.monotonic() + seconds
    counts = [0] * threads

    def run(index: int) -> None:
        while time.monotonic() < deadline:
            response = pool.request("POST", url, body=body, headers=headers)
            if response.status != 200:
                raise SystemExit(f"floor: {response.status}")
            counts[index] += 1

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(sum(counts), flush=True)


def measure_floor(receiver: str, receiver_proc: Proc, args) -> dict:
    get_json(f"{receiver}/_reset", "POST")
    command = [sys.executable, __file__, "floor-client", f"{receiver}/hook"]
    command += [str(args.webhook_floor_seconds), str(args.worker_threads)]
    cpu_before, busy_before = receiver_proc.cpu_seconds(), machine_busy()
    started = time.perf_counter()
    clients = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(WORKERS)]
    outputs = [client.communicate()[0] for client in clients]
    elapsed = time.perf_counter() - started
    if any(client.returncode for client in clients):
        raise BenchError(f"floor client failed: {outputs}")
    posts = sum(int(output.strip()) for output in outputs)
    receiver_cpu = receiver_proc.cpu_seconds() - cpu_before
    figure = {
        "posts": posts,
        "seconds": round(elapsed, 2),
        "posts_per_s": round(posts / args.webhook_floor_seconds, 1),
        "receiver_cpu_ms_per_post": round(receiver_cpu * 1000 / max(1, posts), 3),
        "receiver_capacity_per_s": round(posts / receiver_cpu) if receiver_cpu else None,
        "machine_busy": busy_fraction(busy_before, machine_busy()),
    }
    log(
        f"floor: {figure['posts_per_s']:.0f} POSTs/s (2 processes x {args.worker_threads} threads, keep-alive); "
        f"the receiver spends {figure['receiver_cpu_ms_per_post']:.3f} ms CPU a POST "
        f"(~{figure['receiver_capacity_per_s'] or 0:,} POSTs/s a core)"
    )
    get_json(f"{receiver}/_reset", "POST")
    return figure


# --- The drain ------------------------------------------------------------------------------


def option(argv: list[str], name: str) -> str | None:
    """The value of `name` in a command line (`--name value` or `--name=value`), or None."""
    for index, part in enumerate(argv):
        if part == name and index + 1 < len(argv):
            return argv[index + 1]
        if part.startswith(name + "="):
            return part.split("=", 1)[1]
    return None


def worker_threads(env: dict) -> int:
    """Threads per worker process, as compose's worker command sets them."""
    argv, _ = compose.served("worker", env)
    return int(option(argv, "--concurrency") or option(argv, "-c") or 1)


def worker_commands(env: dict, log_dir: Path) -> list[tuple[str, list[str], dict]]:
    """(name, command, environment) of WORKERS copies of compose's worker command (each named,
    as replicas on separate hosts would be by their host names) and one of its beat command (its
    schedule file kept out of the checkout)."""
    argv, environment = compose.served("worker", env)
    commands = [
        (f"worker{number}", [*argv, "--hostname", f"bench{number}@%h"], environment) for number in range(1, WORKERS + 1)
    ]
    argv, environment = compose.served("beat", env)
    return [*commands, ("beat", [*argv, "--schedule", str(log_dir / "celerybeat-schedule")], environment)]


def start_workers(env: dict, log_dir: Path) -> list[Proc]:
    return [Proc(name, argv, environment, log_dir) for name, argv, environment in worker_commands(env, log_dir)]


def stop_all(procs: list[Proc]) -> None:
    for proc in procs:
        proc.stop()


def measure_drain(receiver: str, receiver_proc: Proc, env: dict, log_dir: Path, args) -> tuple[dict, list[Proc]]:
    """Queue a backlog while no worker runs, then start the workers and time the drain. Returns
    the figures and the workers, left running for the latency scenario."""
    get_json(f"{receiver}/_reset", "POST")
    count = args.webhook_deliveries
    log(f"building a backlog of {count:,} deliveries (bulk insert, then deliveries_dispatch)")
    backlog = seed("backlog", "--count", str(count), env=env)
    log(f"backlog built: inserted in {backlog['create_s']:.1f} s, queued in {backlog['dispatch_s']:.1f} s")
    queued = redis.Redis.from_url(REDIS_URL).llen("celery")
    receiver_cpu_before, busy_before = receiver_proc.cpu_seconds(), machine_busy()
    launched = time.time()
    workers = start_workers(env, log_dir)
    log(f"started {WORKERS} workers ({args.worker_threads} threads each) and beat, as compose.yaml runs them; draining")
    deadline = time.monotonic() + args.webhook_drain_limit
    last_count, last_progress = 0, time.monotonic()
    stats = {"count": 0}
    while True:
        time.sleep(0.5)
        for worker in workers:
            if not worker.alive():
                raise BenchError(f"{worker.name} exited:\n{worker.log_tail()}")
        stats = get_json(f"{receiver}/_stats")
        if stats["count"] >= count:
            break
        if stats["count"] > last_count:
            last_count, last_progress = stats["count"], time.monotonic()
        if time.monotonic() - last_progress > 30:
            stop_all(workers)
            raise BenchError(f"the drain stalled at {stats['count']:,} of {count:,} receipts:\n{workers[0].log_tail()}")
        if time.monotonic() > deadline:
            log(f"the drain was cut short after {args.webhook_drain_limit:g} s, at {stats['count']:,} receipts")
            break
    workers_cpu = sum(worker.cpu_seconds() for worker in workers)
    busy = busy_fraction(busy_before, machine_busy())
    receiver_cpu = receiver_proc.cpu_seconds() - receiver_cpu_before
    records = get_json(f"{receiver}/_dump")
    unique = len({record[1] for record in records})
    first, last = stats["first"], stats["last"]
    counts = delivery_counts()
    complete = stats["count"] >= count
    if complete and (unique != count or counts.get("succeeded") != count):
        raise BenchError(f"expected {count:,} distinct deliveries received and succeeded: {unique=}, {counts=}")
    figure = {
        "deliveries": count,
        "complete": complete,
        "queued_messages": queued,
        "received": len(records),
        "duplicates": len(records) - unique,
        "attempts": counts["attempts"],
        "seconds": round(last - first, 2),
        "deliveries_per_s": round((unique - 1) / (last - first), 1),
        "seconds_from_launch": round(last - launched, 2),
        "deliveries_per_s_from_launch": round(unique / (last - launched), 1),
        "workers_cpu_ms_per_delivery": round(workers_cpu * 1000 / unique, 2),
        "receiver_cpu_ms_per_delivery": round(receiver_cpu * 1000 / unique, 3),
        "machine_busy": busy,
        "backlog": backlog,
    }
    log(
        f"drain: {unique:,} deliveries in {figure['seconds']:.1f} s = {figure['deliveries_per_s']:.0f}/s "
        f"({figure['deliveries_per_s_from_launch']:.0f}/s from the workers' launch); workers' CPU "
        f"{figure['workers_cpu_ms_per_delivery']:.2f} ms a delivery; machine {busy:.0%} busy; "
        f"{figure['duplicates']} duplicates"
    )
    return figure, workers


# --- The latency ----------------------------------------------------------------------------


def drive(base: str, secret: str, rate: float, seconds: float, first_number: int, threads: int = 16) -> list[dict]:
    """POST /v1/employees at a steady `rate` (open loop: each request has its due time, whatever
    the ones before it are doing) and record, per request, when it was due, sent and answered."""
    host, port = base.removeprefix("http://").split(":")
    total = int(rate * seconds)
    slots = itertools.count()
    start = time.time() + 0.2
    results: list = [None] * total
    errors: list = []

    def run() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
        while not errors:
            index = next(slots)
            if index >= total:
                return
            due = start + index / rate
            delay = due - time.time()
            if delay > 0:
                time.sleep(delay)
            body = json.dumps(
                {"full_name": f"Hire {first_number + index}", "start_date": "2024-01-01", "department": "Engineering"}
            )
            sent = time.time()
            try:
                conn.request("POST", "/v1/employees", body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"POST /v1/employees: {exc!r}")
                return
            answered = time.time()
            if response.status != 201:
                errors.append(f"POST /v1/employees answered {response.status}: {payload[:300]!r}")
                return
            data = json.loads(payload)
            employee_id = data.get("id") or data["data"]["id"]
            results[index] = {"due": due, "sent": sent, "answered": answered, "employee_id": employee_id}

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if errors:
        raise BenchError(errors[0])
    return results


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def measure_latency(base: str, secret: str, receiver: str, api: Proc, args) -> dict:
    rate, seconds = args.webhook_rate, args.webhook_seconds
    log(f"warming up: POST /v1/employees at {rate:g}/s for 2 s")
    drive(base, secret, rate, 2, first_number=1_000_000)
    time.sleep(1)
    get_json(f"{receiver}/_reset", "POST")
    log(f"latency: POST /v1/employees at {rate:g}/s for {seconds:g} s")
    api_cpu_before, busy_before = api.cpu_seconds(), machine_busy()
    requests = drive(base, secret, rate, seconds, first_number=0)
    api_cpu = api.cpu_seconds() - api_cpu_before
    busy = busy_fraction(busy_before, machine_busy())
    answered_by_employee = {request["employee_id"]: request["answered"] for request in requests}
    deadline = time.monotonic() + 30
    while True:
        received = {record[3]: record[0] for record in get_json(f"{receiver}/_dump")}
        missing = [employee for employee in answered_by_employee if employee not in received]
        if not missing or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    if missing:
        raise BenchError(f"{len(missing)} of {len(requests)} employee.created deliveries never arrived")
    latencies = [(received[employee] - answered) * 1000 for employee, answered in answered_by_employee.items()]
    api_ms = [(request["answered"] - request["sent"]) * 1000 for request in requests]
    lag_ms = [(request["sent"] - request["due"]) * 1000 for request in requests]
    span = requests[-1]["answered"] - requests[0]["sent"]
    figure = {
        "requests": len(requests),
        "rate_asked": rate,
        "rate_achieved": round(len(requests) / span, 1),
        "latency_p50_ms": round(percentile(latencies, 0.5), 1),
        "latency_p95_ms": round(percentile(latencies, 0.95), 1),
        "latency_p99_ms": round(percentile(latencies, 0.99), 1),
        "latency_max_ms": round(max(latencies), 1),
        "api_201_p50_ms": round(percentile(api_ms, 0.5), 1),
        "api_201_p95_ms": round(percentile(api_ms, 0.95), 1),
        "send_lag_p95_ms": round(percentile(lag_ms, 0.95), 1),
        "api_cpu_ms_per_request": round(api_cpu * 1000 / len(requests), 2),
        "machine_busy": busy,
    }
    log(
        f"latency: 201 -> receipt p50 {figure['latency_p50_ms']:.0f} ms, p95 {figure['latency_p95_ms']:.0f} ms, "
        f"p99 {figure['latency_p99_ms']:.0f} ms (API 201 p50 {figure['api_201_p50_ms']:.0f} ms, p95 "
        f"{figure['api_201_p95_ms']:.0f} ms; {figure['rate_achieved']:.0f} req/s achieved; machine {busy:.0%} busy)"
    )
    return figure


# --- The whole part -------------------------------------------------------------------------


def run(args) -> dict:
    """Every webhook figure, printed and written to bench/results_webhooks.json; returns them."""
    env = bench_environment(
        database_url=DATABASE_URL,
        redis_url=REDIS_URL,
        PULSEHR_WEBHOOK_ALLOW_HTTP="true",  # the receiver is plain HTTP on this machine
        PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS="true",
    )
    args.worker_threads = worker_threads(env)
    redis.Redis.from_url(REDIS_URL).flushdb()
    log(f"creating database {DB_NAME}")
    secret = create_database(env)
    load_start = os.getloadavg()
    procs: list[Proc] = []
    with tempfile.TemporaryDirectory(prefix="pulsehr-bench-webhooks-") as tmp:
        log_dir = Path(tmp)
        receiver_port, api_port = free_port(), free_port()
        receiver, base = f"http://127.0.0.1:{receiver_port}", f"http://127.0.0.1:{api_port}"
        try:
            receiver_proc = Proc(
                "receiver",
                [sys.executable, str(BENCH_DIR / "webhook_receiver.py"), "--port", str(receiver_port)],
                env,
                log_dir,
            )
            procs.append(receiver_proc)
            api_argv, api_env = compose.served("web", env, api_port)
            api = Proc("web", api_argv, api_env, log_dir)
            procs.append(api)
            wait_until(lambda: get_json(f"{receiver}/_stats") is not None, "the receiver", receiver_proc)
            seed("endpoint", "--url", f"{receiver}/hook", env=env)
            floor = measure_floor(receiver, receiver_proc, args)
            drain, workers = measure_drain(receiver, receiver_proc, env, log_dir, args)
            procs += workers
            wait_until(lambda: urllib.request.urlopen(f"{base}/healthz", timeout=5).status == 200, "web", api)
            latency = measure_latency(base, secret, receiver, api, args)
        except BenchError:
            for proc in procs:
                log(f"{proc.name} log (last lines):\n{proc.log_tail()}")
            raise
        finally:
            stop_all(reversed(procs))

    ratio = drain["deliveries_per_s"] / floor["posts_per_s"]
    targets = {
        "drain_deliveries_per_s": {
            "value": drain["deliveries_per_s"],
            "min": TARGETS["drain_deliveries_per_s"]["min"],
            "pass": drain["deliveries_per_s"] >= TARGETS["drain_deliveries_per_s"]["min"],
        },
        "latency_p95_ms": {
            "value": latency["latency_p95_ms"],
            "max": TARGETS["latency_p95_ms"]["max"],
            "pass": latency["latency_p95_ms"] <= TARGETS["latency_p95_ms"]["max"],
        },
    }
    print()
    print(f"{'webhooks':<34}{'figure':>10}{'x floor':>9}")
    print(f"{'floor: plain POSTs/s to receiver':<34}{floor['posts_per_s']:>10.0f}{1:>9.2f}")
    print(f"{'drain: deliveries/s (2 workers)':<34}{drain['deliveries_per_s']:>10.0f}{ratio:>9.3f}")
    print(f"{'latency 201 -> receipt p50 ms':<34}{latency['latency_p50_ms']:>10.0f}")
    print(f"{'latency 201 -> receipt p95 ms':<34}{latency['latency_p95_ms']:>10.0f}")
    print()
    for name, target in targets.items():
        bound = f">= {target['min']}" if "min" in target else f"<= {target['max']}"
        print(f"{'PASS' if target['pass'] else 'FAIL'}  webhook {name:<24} {target['value']:g} (target {bound})")
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": {
            "deliveries": args.webhook_deliveries,
            "worker_processes": WORKERS,
            "worker_command": compose.served("worker", env)[0][1:],
            "beat_command": compose.served("beat", env)[0][1:],
            "web_command": compose.served("web", env)[0][1:],
            "web_concurrency": int(WEB_CONCURRENCY),
            "rate": args.webhook_rate,
            "seconds": args.webhook_seconds,
            "floor_seconds": args.webhook_floor_seconds,
            "database": DB_NAME,
            "redis": REDIS_URL,
        },
        "floor": floor,
        "drain": drain,
        "drain_vs_floor": round(ratio, 3),
        "latency": latency,
        "targets": targets,
        "all_targets_pass": all(target["pass"] for target in targets.values()),
        "load_average": {"start": [round(x, 2) for x in load_start], "end": [round(x, 2) for x in os.getloadavg()]},
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    log(f"wrote {RESULTS.relative_to(ROOT)}")
    return results


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "floor-client":
    floor_client(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))
