"""The parts of a live webhook stack that are not gunicorn: an HTTP receiver in a thread of the
test process, Celery worker processes, and a private redis-server.

The receiver records every request (path, headers, raw body) and answers as it is told per
path; tests wait on it with a deadline rather than sleeping. Workers and redis-server run in
process groups of their own, so stopping or killing one takes its children (embedded beat)
with it."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests
import stripe
from requests.structures import CaseInsensitiveDict
from standardwebhooks.webhooks import Webhook

BASE_DIR = Path(__file__).resolve().parents[2]
WORKER_READY_SECONDS = 60
HOLD_MAX_SECONDS = 60


# --- The receiver ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """How the receiver answers one request: `status` after `delay` seconds; `hold` keeps the
    request open until its path is released; `drip` sends the status line after `drip`
    seconds and the rest of the response after as long again (a response that comes in late
    although no single read waits long)."""

    status: int = 200
    delay: float = 0.0
    hold: bool = False
    drip: float = 0.0


@dataclass(frozen=True)
class Received:
    path: str
    headers: CaseInsensitiveDict
    body: bytes
    at: float


class Receiver:
    """A ThreadingHTTPServer on 127.0.0.1 (port 0) in a daemon thread."""

    def __init__(self):
        self._lock = threading.Condition()
        self._requests: list[Received] = []
        self._answers: dict[str, list[Answer]] = {}
        self._holds: dict[str, threading.Event] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                answer = receiver._record(
                    Received(self.path, CaseInsensitiveDict(self.headers.items()), body, time.time())
                )
                try:
                    self._answer(answer)
                except OSError:
                    pass  # the sender gave up (timeout) or died: nothing to answer

            def _answer(self, answer: Answer):
                if answer.hold:
                    receiver._holds[self.path].wait(HOLD_MAX_SECONDS)
                if answer.delay:
                    time.sleep(answer.delay)
                if answer.drip:
                    time.sleep(answer.drip)
                    self.wfile.write(f"HTTP/1.0 {answer.status} OK\r\n".encode())
                    self.wfile.flush()
                    time.sleep(answer.drip)
                    self.wfile.write(b"Content-Length: 2\r\nContent-Type: text/plain\r\n\r\nok")
                    self.wfile.flush()
                    return
                self.send_response(answer.status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format, *args):  # noqa: A002 - the signature http.server calls
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, name="webhook-receiver", daemon=True)
        self._thread.start()

    def _record(self, request: Received) -> Answer:
        with self._lock:
            seen = sum(1 for r in self._requests if r.path == request.path)
            self._requests.append(request)
            self._lock.notify_all()
            answers = self._answers.get(request.path) or [Answer()]
            return answers[min(seen, len(answers) - 1)]

    def new_path(self, *answers: Answer | int) -> str:
        """A path of its own that answers its n-th request with the n-th answer (the last one
        repeats); plain ints are statuses. No answers: 200 to everything."""
        path = f"/hooks/{uuid.uuid4().hex}"
        self._answers[path] = [Answer(status=a) if isinstance(a, int) else a for a in answers]
        self._holds[path] = threading.Event()
        return path

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def requests_to(self, path: str) -> list[Received]:
        with self._lock:
            return [r for r in self._requests if r.path == path]

    def wait_for(self, path: str, count: int, timeout: float = 30, diagnose=None) -> list[Received]:
        """The first `count` requests to `path`, waiting up to `timeout` seconds for them."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                got = [r for r in self._requests if r.path == path]
                if len(got) >= count:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._lock.wait(min(left, 0.5))
        detail = diagnose() if diagnose else ""
        raise AssertionError(f"{path} got {len(got)} of {count} requests within {timeout} s.\n{detail}")

    def release(self, path: str | None = None) -> None:
        """Let the held requests to a path (or to every path) answer, and any later ones."""
        for held_path, event in list(self._holds.items()):
            if path in (None, held_path):
                event.set()

    def close(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()


# --- Processes -------------------------------------------------------------------------------


@dataclass
class Proc:
    """A subprocess in its own process group, its output in a log file."""

    name: str
    process: subprocess.Popen
    log_path: Path

    def log(self, tail: int = 6000) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return text[-tail:]

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill_group(self) -> None:
        """SIGKILL the whole group at once (a worker and its embedded beat), as a crash would."""
        if self.process.returncode is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)


def spawn(name: str, argv: list[str], env: dict[str, str], log_dir: Path) -> Proc:
    log_path = log_dir / f"{name}-{uuid.uuid4().hex[:8]}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            argv, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Proc(name=name, process=process, log_path=log_path)


def start_worker(env: dict[str, str], log_dir: Path, name: str = "worker", beat: bool = True) -> Proc:
    """`celery worker` with the threads pool (and embedded beat), as the Procfile runs it. Each
    gets its own node name and beat schedule file, so several can run side by side."""
    tag = f"{name}-{uuid.uuid4().hex[:8]}"
    argv = [sys.executable, "-m", "celery", "-A", "pulsehr", "worker"]
    if beat:
        argv += ["--beat", "--schedule", str(log_dir / f"beat-{tag}")]
    argv += ["--pool", "threads", "--concurrency", "4", "--loglevel", "INFO", "--hostname", f"{tag}@%h"]
    argv += ["--without-mingle", "--without-gossip"]
    return spawn(name, argv, {**env, "LOG_LEVEL": "INFO"}, log_dir)


def wait_worker_ready(worker: Proc, timeout: float = WORKER_READY_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not worker.alive:
            raise RuntimeError(f"{worker.name} exited with {worker.process.returncode}:\n{worker.log()}")
        if " ready." in worker.log(tail=100_000):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{worker.name} not ready after {timeout} s:\n{worker.log()}")


def stop(procs: list, grace: float = 2) -> None:
    """SIGTERM each (a worker starts a warm shutdown), SIGKILL its whole group after the grace
    period (a worker on the filesystem broker takes about 5 s to wind down; an idle one loses
    nothing to the kill). A leader is reaped only at the end, so its pid (the group id) cannot
    have been reused."""
    running = [p.process for p in procs if p.process.returncode is None]
    for process in running:
        try:
            process.send_signal(signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace
    for process in running:
        while os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Redis -----------------------------------------------------------------------------------


class RedisServer:
    """A private redis-server (no persistence) on a port of its own, to stop and start at will."""

    def __init__(self, log_dir: Path):
        self.port = free_port()
        self.log_dir = log_dir
        self.proc: Proc | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 15) -> None:
        argv = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.proc = spawn("redis", argv, dict(os.environ), self.log_dir)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.proc.alive:
                raise RuntimeError(f"redis-server exited:\n{self.proc.log()}")
            if self.ping():
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server not answering after {timeout} s:\n{self.proc.log()}")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill_group()


@dataclass
class RedisDatabase:
    """A Redis database of the session's own on REDIS_URL's server, so that Celery workers of
    different sessions (pytest-xdist workers) never take each other's tasks from one queue."""

    url: str
    client: object = field(repr=False)

    CLAIM_KEY = "pulsehr:live-webhooks:claim"

    @classmethod
    def claim(cls, base_url: str) -> "RedisDatabase":
        import redis

        parts = urlsplit(base_url)
        base_db = int(parts.path.strip("/") or 0)
        token = uuid.uuid4().hex
        for db in range(15, 0, -1):  # from the top: the numbers least likely to be in use
            if db == base_db:
                continue
            url = urlunsplit(parts._replace(path=f"/{db}"))
            client = redis.Redis.from_url(url)
            try:
                if client.dbsize() == 0 and client.set(cls.CLAIM_KEY, token, nx=True, ex=3600):
                    return cls(url=url, client=client)
            except redis.ResponseError:
                continue  # fewer databases configured on this server
        raise RuntimeError(f"No empty Redis database left to claim next to {base_url}.")

    def release(self) -> None:
        self.client.flushdb()
        self.client.close()


# --- The API ---------------------------------------------------------------------------------


class Api:
    """Calls to one web process's /v1 with one key."""

    def __init__(self, base_url: str, key: str):
        self.base_url, self.key = base_url, key
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {key}"

    def request(self, method: str, path: str, expect: int | None = None, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        response = self.session.request(method, f"{self.base_url}{path}", **kwargs)
        if expect is not None:
            assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text}"
        return response

    def get(self, path: str, **kwargs):
        return self.request("GET", path, expect=kwargs.pop("expect", 200), **kwargs).json()

    def post(self, path: str, body: dict | None = None, expect: int | None = 201, **kwargs):
        return self.request("POST", path, expect=expect, json=body, **kwargs)


class Hooks:
    """One test's view of the stack: endpoints it creates (deleted when it ends, so later tests'
    events never reach them), employees it writes, and waits on the receiver and on the API."""

    def __init__(self, api: Api, receiver: Receiver, diagnose):
        self.api, self.receiver, self.diagnose = api, receiver, diagnose
        self.endpoint_ids: list[str] = []

    def endpoint(
        self, *answers: Answer | int, events=("*",), host: str = "127.0.0.1", api: Api | None = None
    ) -> tuple[dict, str]:
        """A new endpoint on a receiver path of its own that answers with `answers`."""
        path = self.receiver.new_path(*answers)
        body = {"url": self.receiver.url(path, host=host), "enabled_events": list(events)}
        endpoint = (api or self.api).post("/v1/webhook-endpoints", body).json()
        assert endpoint["id"].startswith("whe_") and endpoint["secret"].startswith("whsec_"), endpoint
        self.endpoint_ids.append(endpoint["id"])
        return endpoint, path

    def employee(self, api: Api | None = None, timeout: float = 30) -> dict:
        body = {"full_name": f"Grace Hopper {uuid.uuid4().hex[:10]}", "start_date": "2024-03-01", "department": "Ops"}
        return (api or self.api).post("/v1/employees", body, timeout=timeout).json()

    def event_of(self, resource_id: str, type: str) -> dict:
        """The event of `type` recorded for a resource (written with it, so it exists at once)."""
        cursor = None
        while True:
            params = {"type": type, "limit": 200, **({"cursor": cursor} if cursor else {})}
            page = self.api.get("/v1/events", params=params)
            for event in page["data"]:
                if event["data"].get("id") == resource_id:
                    return event
            cursor = page["next_cursor"]
            if not cursor:
                raise AssertionError(f"No {type} event for {resource_id}.")

    def wait_event(self, event_id: str, until, timeout: float = 30, what: str = "") -> dict:
        """GET /v1/events/{id} until `until(event)` holds."""
        deadline = time.monotonic() + timeout
        while True:
            event = self.api.get(f"/v1/events/{event_id}")
            if until(event):
                return event
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"Event {event_id} never got {what or 'there'} in {timeout} s: {event}\n{self.diagnose()}"
                )
            time.sleep(0.2)

    def wait_for(self, path: str, count: int, timeout: float = 30) -> list[Received]:
        return self.receiver.wait_for(path, count, timeout=timeout, diagnose=self.diagnose)

    def cleanup(self) -> None:
        for endpoint_id in self.endpoint_ids:
            response = self.api.request("DELETE", f"/v1/webhook-endpoints/{endpoint_id}")
            assert response.status_code in (204, 404), response.text


def delivery_of(event: dict, endpoint_id: str) -> dict:
    """The one delivery of an event (as GET /v1/events/{id} shows it) to an endpoint."""
    deliveries = [d for d in event["deliveries"] if d["endpoint_id"] == endpoint_id]
    assert len(deliveries) == 1, event
    return deliveries[0]


def settled(endpoint_id: str, status: str = "succeeded"):
    """A predicate for Hooks.wait_event: the event's delivery to the endpoint has this status."""

    def check(event: dict) -> bool:
        return any(d["endpoint_id"] == endpoint_id and d["status"] == status for d in event["deliveries"])

    return check


def standard_headers(request: Received) -> dict[str, str]:
    return {name: request.headers[name] for name in ("webhook-id", "webhook-timestamp", "webhook-signature")}


def verify_both(request: Received, secret: str) -> dict:
    """Raises unless the request verifies with `secret` under Stripe's scheme (Stripe's own
    verifier) and Standard Webhooks (its reference library); returns the payload."""
    stripe.WebhookSignature.verify_header(
        request.body.decode(), request.headers["X-Pulse-Signature"], secret, tolerance=300
    )
    return Webhook(secret).verify(request.body, standard_headers(request))
