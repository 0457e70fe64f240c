"""The real-time part of `make bench` (bench/run.py; alone: `bench/run.py --only collab`).

Real parts throughout, run as compose.yaml runs them (bench/compose.py reads its commands):
PostgreSQL, Redis (the channel layer and presence), the `web` service's command serving the
REST API (WEB_CONCURRENCY=2), the `realtime` service's command serving /v1/realtime (the `web`
service's where compose has no `realtime` service), and WebSocket clients in processes of
their own (asyncio + `websockets`, this file's `clients` command) that authenticate with room
tokens as the widget does and record when each change arrives.

- fanout: --collab-sockets sockets (default 1,000) in one room; comments POSTed through the REST
  API at a steady, modest rate; for every (socket, comment) pair, the time from the API's 201
  to the socket's receipt of the comment.created push: p50/p95/p99.
- floor: the same clients, the same number of sockets, the same message sizes and rate through
  the least a fan-out can be: a Redis PUBLISH (the channel layer's own transport) to a bare
  `websockets` server that broadcasts each message, unparsed, to every socket (this file's
  `floor-server` command). The time from PUBLISH's return to receipt; fanout is reported as a
  ratio to it.
- idle: one realtime process holding --collab-idle-sockets authenticated, idle sockets (default
  5,000, which the run checks are all still answering a ping after the hold); its RSS per
  socket, and how many it would hold within 1 GiB.
"""

import asyncio
import json
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import compose
import redis
from harness import BENCH_DIR, PG_SERVER, ROOT, BenchError, bench_environment, family, free_port, logger, process_table
from webhooks_bench import (
    Proc,
    busy_fraction,
    create_database,
    machine_busy,
    option,
    percentile,
    wait_until,
)

RESULTS = BENCH_DIR / "results_collab.json"

DB_NAME = os.environ.get("BENCH_COLLAB_DB", "pulsehr_bench_collab")
DATABASE_URL = f"{PG_SERVER}/{DB_NAME}"
REDIS_URL = os.environ.get("BENCH_COLLAB_REDIS_URL", "redis://127.0.0.1:6379/5")
ROOM = "bench-room"
# Sockets share a few users, as a real room does; each user's first connection is a presence push.
USERS = 20
GIB = 1024**3
FLOOR_CHANNEL = "bench-collab-floor"
HEARTBEAT_SECONDS = 20

TARGETS = {
    "fanout_p95_ms": {"max": 150},
    "idle_sockets_within_1_gib": {"min": 5000},
    "idle_sockets_held": {"min": 5000},
}


log = logger("collab")


def add_arguments(parser) -> None:
    group = parser.add_argument_group("collab")
    group.add_argument("--collab-sockets", type=int, default=1000, help="sockets in the room (default 1,000)")
    group.add_argument("--collab-rate", type=float, default=2, help="comments POSTed per second (default 2)")
    group.add_argument("--collab-seconds", type=float, default=15, help="seconds of steady POSTs (default 15)")
    group.add_argument(
        "--collab-processes", type=int, default=1, choices=[1, 2], help="realtime processes for fanout (default 1)"
    )
    group.add_argument(
        "--collab-client-processes", type=int, default=2, help="processes the sockets are spread over (default 2)"
    )
    group.add_argument(
        "--collab-idle-sockets", type=int, default=5000, help="idle sockets held by one process (default 5,000)"
    )
    group.add_argument(
        "--collab-idle-hold", type=float, default=10, help="seconds the idle sockets are held before the check"
    )


# --- Setup ----------------------------------------------------------------------------------


def raise_fd_limit() -> int:
    """As many open files as the hard limit allows: thousands of sockets need as many descriptors.
    Children inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def api(base: str, secret: str, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def api_ok(base: str, secret: str, method: str, path: str, body: dict | None = None) -> dict:
    status, payload = api(base, secret, method, path, body)
    if status not in (200, 201):
        raise BenchError(f"{method} {path} answered {status}: {json.dumps(payload)[:500]}")
    return payload


def seed_room(base: str, secret: str) -> dict:
    """USERS employees, a room token for each (through the API, as an integrator's backend does),
    and the thread the comments go to."""
    users = [
        api_ok(
            base,
            secret,
            "POST",
            "/v1/employees",
            {"full_name": f"Bench Person {number}", "start_date": "2024-01-01", "department": "Engineering"},
        )["id"]
        for number in range(USERS)
    ]
    thread = api_ok(
        base, secret, "POST", f"/v1/rooms/{ROOM}/threads", {"comment": {"body": "Bench thread", "author_id": users[0]}}
    )
    tokens = [
        api_ok(base, secret, "POST", f"/v1/rooms/{ROOM}/tokens", {"user_id": user, "ttl_seconds": 3600})["token"]
        for user in users
    ]
    return {"users": users, "tokens": tokens, "thread_id": thread["id"]}


def realtime_service() -> str:
    """The compose service that serves /v1/realtime: `realtime`, or `web` where it does both."""
    return "realtime" if compose.has_service("realtime") else "web"


def realtime_command(port: int, processes: int, env: dict) -> tuple[list[str], dict]:
    """compose's realtime command on 127.0.0.1:port with `processes` worker processes
    (WEB_CONCURRENCY, which gunicorn.conf.py and uvicorn both read, or the command's --workers)."""
    argv, environment = compose.served(realtime_service(), {**env, "WEB_CONCURRENCY": str(processes)}, port)
    if option(argv, "--workers") is not None:
        index = argv.index("--workers")
        argv[index + 1] = str(processes)
    return argv, environment


def realtime(name: str, port: int, processes: int, env: dict, log_dir: Path) -> Proc:
    argv, environment = realtime_command(port, processes, env)
    return Proc(name, argv, environment, log_dir)


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def http_ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except urllib.error.HTTPError:
        return False


def rss_bytes(pid: int) -> int:
    """The resident memory of the processes serving under `pid`: the process tree's leaves (the
    process itself for a single uvicorn, its worker under a gunicorn master)."""
    table = process_table()
    members = family(pid, table)
    parents = {child: stat.parent for child, stat in table.items()}
    leaves = [member for member in members if not any(parents.get(other) == member for other in members)]
    total = 0
    for leaf in leaves:
        for line in Path(f"/proc/{leaf}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    if not total:
        raise BenchError(f"no VmRSS under process {pid}")
    return total


# --- Clients (a process of their own) -------------------------------------------------------


class Clients:
    """The client processes: `count` sockets spread over `processes` processes, each speaking
    the widget's protocol. Controlled through their stdin: `STOP` ends a fanout collection,
    `CHECK` pings every idle socket, `QUIT` closes everything."""

    def __init__(self, *, mode, url, origin, tokens, count, processes, expect, log_dir: Path, name="clients"):
        self.outputs = []
        self.procs = []
        tokens_file = log_dir / f"{name}-tokens.json"
        tokens_file.write_text(json.dumps(tokens))
        shares = [count // processes + (1 if index < count % processes else 0) for index in range(processes)]
        first = 0
        for index, share in enumerate(shares):
            output = log_dir / f"{name}-{index}.json"
            command = [sys.executable, __file__, "clients", mode, url, origin, str(tokens_file), str(share)]
            command += [str(first), str(expect), str(output)]
            stderr = open(log_dir / f"{name}-{index}.log", "wb")  # noqa: SIM115 - closed in finish()
            process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True, start_new_session=True
            )
            self.procs.append((process, stderr))
            self.outputs.append(output)
            first += share

    def wait_line(self, prefix: str, timeout: float) -> list[str]:
        """Each process's next stdout line starting with `prefix` (others are skipped)."""
        lines, deadline = [], time.monotonic() + timeout
        for process, _ in self.procs:
            result: list = []

            def read(process=process, result=result) -> None:
                for line in process.stdout:
                    if line.startswith(prefix):
                        result.append(line.strip())
                        return

            reader = threading.Thread(target=read, daemon=True)
            reader.start()
            reader.join(max(0.1, deadline - time.monotonic()))
            if not result:
                raise BenchError(f"a client process did not say {prefix!r} within {timeout:.0f} s: {self.log_tail()}")
            lines.append(result[0])
        return lines

    def say(self, command: str) -> None:
        for process, _ in self.procs:
            if process.poll() is None:
                process.stdin.write(command + "\n")
                process.stdin.flush()

    def results(self, timeout: float = 120) -> list[dict]:
        for process, _ in self.procs:
            process.wait(timeout=timeout)
        return [json.loads(output.read_text()) for output in self.outputs]

    def log_tail(self) -> str:
        tails = []
        for _, stderr in self.procs:
            stderr.flush()
            tails.append(Path(stderr.name).read_text(errors="replace")[-1500:])
        return "\n".join(tails)

    def finish(self) -> None:
        for process, stderr in self.procs:
            if process.poll() is None:
                process.kill()
                process.wait()
            stderr.close()


async def _clients_main(mode, url, origin, tokens_file, count, first, expect, output) -> None:
    from websockets.asyncio.client import connect

    raise_fd_limit()
    tokens = json.loads(Path(tokens_file).read_text())
    sockets: list = [None] * count
    arrivals: list[list] = [[] for _ in range(count)]
    pongs = [asyncio.Event() for _ in range(count)]
    errors: list[str] = []
    done = asyncio.Event()
    remaining = [count]
    # Sockets authenticating at once: a burst beyond what the server clears within its 10 s auth
    # timeout would measure the burst, not the sockets.
    gate = asyncio.Semaphore(25)

    async def read(index: int, socket) -> None:
        got = 0
        try:
            async for raw in socket:
                now = time.time()
                if '"comment.created"' in raw:
                    arrivals[index].append((now, raw))
                    got += 1
                    if got == expect:
                        remaining[0] -= 1
                        if remaining[0] == 0:
                            done.set()
                elif '"pong"' in raw:
                    pongs[index].set()
        except Exception as exc:  # a closed socket is counted by the check, not raised here
            errors.append(f"socket {first + index}: {exc!r}")

    async def open_one(index: int) -> None:
        """A socket that fails to open or authenticate is counted (and named in the errors), not fatal."""
        async with gate:
            try:
                socket = await connect(url, origin=origin, compression=None, ping_interval=None, open_timeout=60)
                await socket.send(json.dumps({"type": "auth", "token": tokens[(first + index) % len(tokens)]}))
                reply = json.loads(await asyncio.wait_for(socket.recv(), 60))
                if reply.get("type") != "ready":
                    raise RuntimeError(f"expected ready, got {reply}")
            except Exception as exc:
                errors.append(f"socket {first + index} did not open: {exc!r}")
                return
            sockets[index] = socket
            # Read from the start, as the widget does: a socket whose messages (presence pushes)
            # pile up unread stops answering the server's pings, and the server closes it.
            readers.append(asyncio.create_task(read(index, socket)))
            readers.append(asyncio.create_task(heartbeat(socket)))

    async def heartbeat(socket) -> None:
        """Ping every 20 s, as the widget does, so the socket stays present in the room."""
        await asyncio.sleep(random.uniform(0, HEARTBEAT_SECONDS))
        while True:
            await socket.send('{"type": "ping"}')
            await asyncio.sleep(HEARTBEAT_SECONDS)

    readers: list[asyncio.Task] = []
    started = time.monotonic()
    await asyncio.gather(*(open_one(index) for index in range(count)))
    opened = [(index, socket) for index, socket in enumerate(sockets) if socket is not None]
    remaining[0] = len(opened)
    if not opened:
        done.set()
    print(f"READY {len(opened)} {time.monotonic() - started:.2f}", flush=True)

    async def command() -> str:
        return (await asyncio.to_thread(sys.stdin.readline)).strip()

    while True:
        if mode == "fanout":
            waiting = asyncio.create_task(command())
            finished = asyncio.create_task(done.wait())
            await asyncio.wait({waiting, finished}, return_when=asyncio.FIRST_COMPLETED)
            finished.cancel()
            line = "STOP" if not waiting.done() else waiting.result()
            if not waiting.done():
                waiting.cancel()
        else:
            line = await command()
        if line == "CHECK":
            for event in pongs:
                event.clear()
            for _, socket in opened:
                try:
                    await socket.send('{"type": "ping"}')
                except Exception:  # closed since: it will not answer
                    pass
            answered = 0
            deadline = time.monotonic() + 60
            for event in (pongs[index] for index, _ in opened):
                try:
                    await asyncio.wait_for(event.wait(), max(0.01, deadline - time.monotonic()))
                    answered += 1
                except TimeoutError:
                    pass
            print(f"ALIVE {answered}", flush=True)
            continue
        break  # STOP, QUIT or end of input

    for reader in readers:
        reader.cancel()
    records = []
    for index, received in enumerate(arrivals):
        for arrived, raw in received:
            data = json.loads(raw)["data"]
            records.append([first + index, data["id"], arrived, data["created_at"]])
    partial = Path(output + ".partial")
    partial.write_text(json.dumps({"sockets": count, "records": records, "errors": errors[:20]}))
    partial.rename(output)  # whole or absent: the bench polls for it
    await asyncio.gather(*(socket.close() for _, socket in opened), return_exceptions=True)


# --- The floor server (a process of its own) ------------------------------------------------


async def _floor_server_main(port: int, redis_url: str) -> None:
    import redis.asyncio
    from websockets.asyncio.server import broadcast, serve

    raise_fd_limit()
    connections: set = set()

    async def handler(socket) -> None:
        await socket.recv()  # the auth message, unread: the floor does no work it need not
        await socket.send('{"type": "ready"}')
        connections.add(socket)
        try:
            async for message in socket:
                if '"ping"' in message:
                    await socket.send('{"type": "pong"}')
        finally:
            connections.discard(socket)

    client = redis.asyncio.Redis.from_url(redis_url)
    pubsub = client.pubsub()
    await pubsub.subscribe(FLOOR_CHANNEL)
    async with serve(handler, "127.0.0.1", port, compression=None, ping_interval=None):
        print("LISTENING", flush=True)
        async for message in pubsub.listen():
            if message["type"] == "message":
                broadcast(connections, message["data"].decode())


# --- Driving changes ------------------------------------------------------------------------


def drive(rate: float, seconds: float, send, threads: int = 4) -> list[dict]:
    """Call `send(index)` at a steady `rate` (open loop: each call has its due time, whatever the
    ones before it are doing); `send` returns (id, the time its change was acknowledged)."""
    total = int(rate * seconds)
    start = time.time() + 0.2
    results: list = [None] * total
    errors: list = []
    lock = threading.Lock()
    slots = iter(range(total))

    def run() -> None:
        while not errors:
            with lock:
                index = next(slots, None)
            if index is None:
                return
            due = start + index / rate
            delay = due - time.time()
            if delay > 0:
                time.sleep(delay)
            sent = time.time()
            try:
                change_id, acknowledged = send(index)
            except Exception as exc:
                errors.append(repr(exc))
                return
            results[index] = {"id": change_id, "due": due, "sent": sent, "acknowledged": acknowledged}

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if errors:
        raise BenchError(errors[0])
    return results


def comment_poster(base: str, secret: str, thread_id: str, author_id: str):
    local = threading.local()
    host, port = base.removeprefix("http://").split(":")

    def send(index: int) -> tuple[str, float]:
        import http.client

        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection(host, int(port), timeout=30)
        body = json.dumps({"body": f"Bench comment {index}: " + "lorem ipsum " * 8, "author_id": author_id})
        headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
        local.conn.request("POST", f"/v1/threads/{thread_id}/comments", body=body, headers=headers)
        response = local.conn.getresponse()
        payload = response.read()
        acknowledged = time.time()
        if response.status != 201:
            raise BenchError(f"POST comment answered {response.status}: {payload[:300]!r}")
        return json.loads(payload)["id"], acknowledged

    return send


def floor_publisher(sample: dict):
    client = redis.Redis.from_url(REDIS_URL)

    def send(index: int) -> tuple[str, float]:
        change_id = f"cmt_floor{index:08d}"
        data = {**sample, "id": change_id, "created_at": datetime.now(UTC).isoformat()}
        message = {"type": "comment.created", "sequence": index + 1, "room_id": ROOM, "data": data}
        client.publish(FLOOR_CHANNEL, json.dumps(message))
        return change_id, time.time()

    return send


def measure(name: str, *, url: str, origin: str, tokens: list, send, args, log_dir: Path, server: Proc) -> dict:
    """Open the sockets, drive the changes, collect every (socket, change) receipt."""
    expect = int(args.collab_rate * args.collab_seconds)
    clients = Clients(
        mode="fanout",
        url=url,
        origin=origin,
        tokens=tokens,
        count=args.collab_sockets,
        processes=args.collab_client_processes,
        expect=expect,
        log_dir=log_dir,
        name=name,
    )
    try:
        ready = clients.wait_line("READY", timeout=300)
        opened = sum(int(line.split()[1]) for line in ready)
        log(
            f"{name}: {opened:,} of {args.collab_sockets:,} sockets authenticated "
            f"(in {', '.join(line.split()[2] for line in ready)} s)"
        )
        time.sleep(1)  # let the presence pushes of the joins settle
        cpu_before, busy_before = server.cpu_seconds(), machine_busy()
        log(f"{name}: {expect} changes at {args.collab_rate:g}/s for {args.collab_seconds:g} s")
        changes = drive(args.collab_rate, args.collab_seconds, send)
        # Every socket has had every change (a client process then writes its output) or 30 s passed.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not all(output.exists() for output in clients.outputs):
            time.sleep(0.25)
        clients.say("STOP")
        outputs = clients.results()
        server_cpu = server.cpu_seconds() - cpu_before
        busy = busy_fraction(busy_before, machine_busy())
    except BenchError:
        log(f"{name} clients' log (last lines):\n{clients.log_tail()}")
        raise
    finally:
        clients.finish()
    by_id = {change["id"]: change for change in changes}
    receipts = [
        (arrived, by_id[change_id], datetime.fromisoformat(created_at).timestamp())
        for output in outputs
        for _, change_id, arrived, created_at in output["records"]
        if change_id in by_id
    ]
    latencies = [(arrived - change["acknowledged"]) * 1000 for arrived, change, _ in receipts]
    from_send = [(arrived - change["sent"]) * 1000 for arrived, change, _ in receipts]
    from_commit = [(arrived - created) * 1000 for arrived, _, created in receipts]
    pairs = args.collab_sockets * len(changes)
    if not latencies:
        raise BenchError(f"{name}: no socket received any change: {[output['errors'] for output in outputs]}")
    ack_ms = [(change["acknowledged"] - change["sent"]) * 1000 for change in changes]
    figure = {
        "sockets": args.collab_sockets,
        "changes": len(changes),
        "pairs_expected": pairs,
        "pairs_received": len(latencies),
        "missing": pairs - len(latencies),
        "latency_p50_ms": round(percentile(latencies, 0.5), 1),
        "latency_p95_ms": round(percentile(latencies, 0.95), 1),
        "latency_p99_ms": round(percentile(latencies, 0.99), 1),
        "latency_min_ms": round(min(latencies), 1),
        "latency_max_ms": round(max(latencies), 1),
        "from_commit_p50_ms": round(percentile(from_commit, 0.5), 1),
        "from_commit_p95_ms": round(percentile(from_commit, 0.95), 1),
        "from_commit_p99_ms": round(percentile(from_commit, 0.99), 1),
        "from_send_p50_ms": round(percentile(from_send, 0.5), 1),
        "from_send_p95_ms": round(percentile(from_send, 0.95), 1),
        "from_send_p99_ms": round(percentile(from_send, 0.99), 1),
        "acknowledged_p50_ms": round(percentile(ack_ms, 0.5), 1),
        "server_cpu_ms_per_change": round(server_cpu * 1000 / max(1, len(changes)), 1),
        "machine_busy": busy,
        "client_errors": [error for output in outputs for error in output["errors"]][:5],
    }
    log(
        f"{name}: ack -> receipt p50 {figure['latency_p50_ms']:.1f} ms, p95 {figure['latency_p95_ms']:.1f} ms, "
        f"p99 {figure['latency_p99_ms']:.1f} ms; commit -> receipt p50 {figure['from_commit_p50_ms']:.1f} ms, "
        f"p95 {figure['from_commit_p95_ms']:.1f} ms; send -> receipt p50 {figure['from_send_p50_ms']:.1f} ms, "
        f"p95 {figure['from_send_p95_ms']:.1f} ms; over {len(latencies):,} of {pairs:,} (socket, change) pairs; "
        f"server CPU {figure['server_cpu_ms_per_change']:.0f} ms a change; machine {busy:.0%} busy"
    )
    return figure


def measure_idle(*, url: str, origin: str, tokens: list, server: Proc, args, log_dir: Path) -> dict:
    """Hold N authenticated idle sockets against one realtime process; RSS per socket."""
    count = args.collab_idle_sockets
    warm = Clients(
        mode="idle", url=url, origin=origin, tokens=tokens, count=1, processes=1, expect=0, log_dir=log_dir, name="warm"
    )
    try:
        warm.wait_line("READY", timeout=60)  # Django, the consumer and the connection pools loaded
        time.sleep(1)
        baseline = rss_bytes(server.process.pid)
    finally:
        warm.say("QUIT")
        warm.finish()
    log(f"idle: realtime process RSS {baseline / 2**20:.0f} MiB with one socket served; opening {count:,} sockets")
    clients = Clients(
        mode="idle",
        url=url,
        origin=origin,
        tokens=tokens,
        count=count,
        processes=args.collab_client_processes,
        expect=0,
        log_dir=log_dir,
        name="idle",
    )
    try:
        started = time.monotonic()
        opened = sum(int(line.split()[1]) for line in clients.wait_line("READY", timeout=900))
        opened_s = time.monotonic() - started
        log(
            f"idle: {opened:,} of {count:,} sockets authenticated in {opened_s:.1f} s; "
            f"holding them {args.collab_idle_hold:g} s"
        )
        time.sleep(args.collab_idle_hold)
        held_rss = rss_bytes(server.process.pid)
        clients.say("CHECK")
        alive = sum(int(line.split()[1]) for line in clients.wait_line("ALIVE", timeout=120))
        clients.say("QUIT")
        errors = [error for output in clients.results() for error in output["errors"]]
    except BenchError:
        log(f"idle clients' log (last lines):\n{clients.log_tail()}\nrealtime:\n{server.log_tail()}")
        raise
    finally:
        clients.finish()
    per_socket = (held_rss - baseline) / max(1, opened)
    figure = {
        "sockets_asked": count,
        "sockets_opened": opened,
        "sockets_answering_after_hold": alive,
        "open_seconds": round(opened_s, 1),
        "client_errors": errors[:5],
        "rss_baseline_mib": round(baseline / 2**20, 1),
        "rss_held_mib": round(held_rss / 2**20, 1),
        "rss_per_socket_kib": round(per_socket / 1024, 1),
        "sockets_within_1_gib": int((GIB - baseline) / per_socket) if per_socket > 0 else None,
    }
    log(
        f"idle: {alive:,} of {count:,} sockets answered a ping after {args.collab_idle_hold:g} s; RSS "
        f"{figure['rss_baseline_mib']:.0f} -> {figure['rss_held_mib']:.0f} MiB = {figure['rss_per_socket_kib']:.1f} "
        f"KiB a socket: ~{figure['sockets_within_1_gib'] or 0:,} sockets within 1 GiB"
    )
    return figure


# --- The whole part -------------------------------------------------------------------------


def run(args) -> dict:
    """Every real-time figure, printed and written to bench/results_collab.json; returns them."""
    fd_limit = raise_fd_limit()
    if fd_limit < args.collab_idle_sockets + 1000:
        log(f"the open-file limit is {fd_limit}: the idle figure is capped by it")
    env = bench_environment(database_url=DATABASE_URL, redis_url=REDIS_URL)
    redis.Redis.from_url(REDIS_URL).flushdb()
    log(f"creating database {DB_NAME}")
    secret = create_database(env, DB_NAME)
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="pulsehr-bench-collab-") as tmp:
        log_dir = Path(tmp)
        procs: list[Proc] = []
        try:
            web_port, port = free_port(), free_port()
            base, origin, url = (
                f"http://127.0.0.1:{web_port}",
                f"http://127.0.0.1:{web_port}",
                f"ws://127.0.0.1:{port}/v1/realtime",
            )
            web_argv, web_env = compose.served("web", env, web_port)
            web = Proc("web", web_argv, web_env, log_dir)
            procs.append(web)
            server = realtime("realtime-fanout", port, args.collab_processes, env, log_dir)
            procs.append(server)
            wait_until(lambda: http_ready(f"{base}/healthz"), "web", web)
            wait_until(lambda: listening(port), "realtime", server)
            seeded = seed_room(base, secret)
            sample = api_ok(base, secret, "GET", f"/v1/threads/{seeded['thread_id']}")["comments"][0]
            log(f"seeded {USERS} people, their room tokens and thread {seeded['thread_id']} in room {ROOM}")

            floor_port = free_port()
            floor_server = Proc(
                "floor-server", [sys.executable, __file__, "floor-server", str(floor_port), REDIS_URL], env, log_dir
            )
            procs.append(floor_server)
            wait_until(lambda: "LISTENING" in floor_server.log_path.read_text(), "the floor server", floor_server)
            floor = measure(
                "floor",
                url=f"ws://127.0.0.1:{floor_port}/",
                origin=origin,
                tokens=seeded["tokens"],
                send=floor_publisher(sample),
                args=args,
                log_dir=log_dir,
                server=floor_server,
            )
            floor_server.stop()
            procs.remove(floor_server)

            fanout = measure(
                "fanout",
                url=url,
                origin=origin,
                tokens=seeded["tokens"],
                send=comment_poster(base, secret, seeded["thread_id"], seeded["users"][0]),
                args=args,
                log_dir=log_dir,
                server=server,
            )
            server.stop()
            procs.remove(server)

            idle_port = free_port()
            idle_server = realtime("realtime-idle", idle_port, 1, env, log_dir)
            procs.append(idle_server)
            wait_until(lambda: listening(idle_port), "realtime", idle_server)
            idle = measure_idle(
                url=f"ws://127.0.0.1:{idle_port}/v1/realtime",
                origin=origin,
                tokens=seeded["tokens"],
                server=idle_server,
                args=args,
                log_dir=log_dir,
            )
        except BenchError:
            for proc in procs:
                log(f"{proc.name} log (last lines):\n{proc.log_tail()}")
            raise
        finally:
            for proc in reversed(procs):
                proc.stop()

    # The push starts at commit, inside the request, and the process that writes the 201 is the
    # one fanning out, so a socket often hears of a comment before its 201 is read: 201 -> receipt
    # can be negative and flatters a slow fan-out. The goal is therefore judged on the worse of it
    # and commit -> receipt (the comment's created_at, stamped in its transaction, to receipt), and
    # the ratio to the floor compares commit -> receipt (for the floor: the PUBLISH).
    ratios = {
        f"p{q}": round(fanout[f"from_commit_p{q}_ms"] / floor[f"from_commit_p{q}_ms"], 2)
        if floor[f"from_commit_p{q}_ms"] > 0
        else None
        for q in (50, 95)
    }
    targets = {
        "fanout_p95_ms": {
            "value": max(fanout["latency_p95_ms"], fanout["from_commit_p95_ms"]),
            "max": TARGETS["fanout_p95_ms"]["max"],
        },
        "idle_sockets_within_1_gib": {
            "value": idle["sockets_within_1_gib"] or 0,
            "min": TARGETS["idle_sockets_within_1_gib"]["min"],
        },
        "idle_sockets_held": {
            "value": idle["sockets_answering_after_hold"],
            "min": TARGETS["idle_sockets_held"]["min"],
        },
    }
    for target in targets.values():
        target["pass"] = target["value"] <= target["max"] if "max" in target else target["value"] >= target["min"]
    print()
    print(
        f"{'ms to receipt at every socket':<42}{'from commit p50':>16}{'p95':>8}{'p99':>8}"
        f"{'from 201 p50':>14}{'p95':>8}"
    )
    for name, figure in (
        ("floor: Redis PUBLISH -> bare websockets", floor),
        ("fanout: POST comment -> PulseHR sockets", fanout),
    ):
        print(
            f"{name:<42}{figure['from_commit_p50_ms']:>16.1f}{figure['from_commit_p95_ms']:>8.1f}"
            f"{figure['from_commit_p99_ms']:>8.1f}{figure['latency_p50_ms']:>14.1f}{figure['latency_p95_ms']:>8.1f}"
        )
    print(f"{'fanout x floor':<42}{ratios['p50'] or 0:>16.2f}{ratios['p95'] or 0:>8.2f}")
    print(
        f"idle: {idle['sockets_answering_after_hold']:,} sockets held by one process, "
        f"{idle['rss_per_socket_kib']:.1f} KiB each, ~{idle['sockets_within_1_gib'] or 0:,} within 1 GiB"
    )
    print()
    for name, target in targets.items():
        bound = f">= {target['min']}" if "min" in target else f"<= {target['max']}"
        print(f"{'PASS' if target['pass'] else 'FAIL'}  collab {name:<27} {target['value']:g} (target {bound})")
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": {
            "realtime_service": realtime_service(),
            "realtime_command": compose.served(realtime_service(), env)[0][1:],
            "web_command": compose.served("web", env)[0][1:],
            "sockets": args.collab_sockets,
            "users": USERS,
            "rate": args.collab_rate,
            "seconds": args.collab_seconds,
            "realtime_processes_fanout": args.collab_processes,
            "client_processes": args.collab_client_processes,
            "idle_sockets": args.collab_idle_sockets,
            "idle_hold_seconds": args.collab_idle_hold,
            "open_file_limit": fd_limit,
            "database": DB_NAME,
            "redis": REDIS_URL,
        },
        "floor": floor,
        "fanout": fanout,
        "fanout_vs_floor": ratios,
        "idle": idle,
        "targets": targets,
        "all_targets_pass": all(target["pass"] for target in targets.values()),
        "load_average": {"start": [round(x, 2) for x in load_start], "end": [round(x, 2) for x in os.getloadavg()]},
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    log(f"wrote {RESULTS.relative_to(ROOT)}")
    return results


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "clients":
    mode, url, origin, tokens_file, count, first, expect, output = sys.argv[2:10]
    asyncio.run(_clients_main(mode, url, origin, tokens_file, int(count), int(first), int(expect), output))
elif __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "floor-server":
    asyncio.run(_floor_server_main(int(sys.argv[2]), sys.argv[3]))
