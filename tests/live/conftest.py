"""Real server processes for behaviour that only shows across processes.

One session (per xdist worker) provisions its own database, independent of pytest-django's
test database: with the embedded default a fresh SQLite file in a fresh PULSEHR_DATA_DIR
(which also holds the rate-limit file the servers share); with DATABASE_URL a freshly
created PostgreSQL database on the same server, dropped at teardown. REDIS_URL passes
through. The schema, workspaces and API keys are made by the management commands, run as
subprocesses, and each group of two gunicorn processes is started once and stopped at the
end of the session.

The webhook tests add a stack of their own (see webhook_stack.py): a gunicorn process and a
Celery worker with beat over the same database, and an HTTP receiver in this process."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import environ
import pytest
import requests

from .webhook_stack import Api, Hooks, Proc, Receiver, RedisDatabase, start_worker, stop, wait_worker_ready

BASE_DIR = Path(__file__).resolve().parents[2]
READY_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 10


# The live workspaces' time zone: their "today" is its date, not the machine's (they differ
# around midnight), so tests that expect a default date ask workspace_today().
WORKSPACE_TIME_ZONE = "Europe/Rome"


def workspace_today() -> date:
    return datetime.now(ZoneInfo(WORKSPACE_TIME_ZONE)).date()


@dataclass
class LiveSite:
    """The environment every subprocess of the session runs with, and the commands to set it up."""

    env: dict[str, str]
    tmp_dir: Path
    workspace: str = ""

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
        return result.stdout

    def create_workspace(self, slug: str | None = None) -> str:
        slug = slug or f"live-{uuid.uuid4().hex[:12]}"
        self.manage("create_workspace", slug, "--timezone", WORKSPACE_TIME_ZONE)
        return slug

    def create_api_key(self, workspace: str | None = None, scopes: str = "read:*,write:*") -> str:
        """A new key through `create_api_key`; its secret is alone on the last line."""
        stdout = self.manage(
            "create_api_key", "--workspace", workspace or self.workspace, "--environment", "live", "--scopes", scopes
        )
        secret = stdout.strip().splitlines()[-1]
        assert secret.startswith("pk_live_"), stdout
        return secret


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@dataclass
class ServerPair:
    """Two separate gunicorn processes over the same database and rate-limit store."""

    a: Server
    b: Server
    rate_limit: int
    servers: list[Server] = field(init=False)

    def __post_init__(self):
        self.servers = [self.a, self.b]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(site: LiveSite, rate_limit: int, name: str, extra_env: dict[str, str] | None = None) -> Server:
    port = _free_port()
    log_path = site.tmp_dir / f"gunicorn-{name}-{port}.log"
    env = {**site.env, **(extra_env or {}), "PULSEHR_RATE_LIMIT": str(rate_limit)}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "pulsehr.wsgi:application",
                "--workers",
                "1",
                "--threads",
                "4",
                "--bind",
                f"127.0.0.1:{port}",
                "--graceful-timeout",
                "5",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the worker goes down with it
        )
    return Server(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)


def _wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn at {server.url} exited with {server.process.returncode}:\n{server.log()}")
        try:
            response = requests.get(f"{server.url}/v1/employees", timeout=(1, 15))
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
            continue
        if response.status_code == 401:  # answering through the whole stack, auth included
            return
        raise RuntimeError(f"gunicorn at {server.url} answered {response.status_code}:\n{server.log()}")
    raise RuntimeError(f"gunicorn at {server.url} not ready after {READY_TIMEOUT_SECONDS} s:\n{server.log()}")


def _stop_servers(servers: list[Server]) -> None:
    """SIGTERM each master (it stops its worker), SIGKILL after a grace period, then SIGKILL whatever is
    left in its process group. A master is reaped only at the end, so its pid (the group id) cannot
    have been reused by then."""
    running = [server.process for server in servers if server.process.returncode is None]
    for process in running:
        process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for process in running:
        while os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
            if time.monotonic() > deadline:
                process.kill()
                break
            time.sleep(0.05)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=STOP_TIMEOUT_SECONDS)


def _postgres_database(database_url: str):
    """Create a uniquely named database next to DATABASE_URL's; returns (url, drop)."""
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(database_url)
    name = f"pulsehr_live_{uuid.uuid4().hex[:16]}"
    conninfo = psycopg.conninfo.make_conninfo(
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        dbname="postgres",
    )
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop():
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=f"/{name}")), drop


@contextmanager
def fresh_site(tmp_dir: Path) -> Iterator[LiveSite]:
    """A migrated database of its own, in a fresh PULSEHR_DATA_DIR under `tmp_dir` (with
    DATABASE_URL, a new PostgreSQL database, dropped on leaving). The browser tests use it too."""
    data_dir = tmp_dir / "data"
    data_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "PULSEHR_RATE_LIMIT")}
    env.update(PULSEHR_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="pulsehr.settings", LOG_LEVEL="WARNING")
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    drop = None
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"], drop = _postgres_database(os.environ["DATABASE_URL"])
    try:
        site = LiveSite(env=env, tmp_dir=tmp_dir)
        site.manage("migrate", "--noinput")
        yield site
    finally:
        if drop is not None:
            drop()


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    """A migrated database of its own with one workspace, made through the management commands."""
    with fresh_site(tmp_path_factory.mktemp("live")) as site:
        site.workspace = site.create_workspace()
        yield site


@pytest.fixture(scope="session")
def live_servers(live_site):
    """`live_servers(rate_limit)` → a ServerPair, started once per rate limit for the session."""
    pairs: dict[int, ServerPair] = {}
    started: list[Server] = []

    def get(rate_limit: int) -> ServerPair:
        if rate_limit not in pairs:
            a = _start_server(live_site, rate_limit, "a")
            started.append(a)
            b = _start_server(live_site, rate_limit, "b")
            started.append(b)
            _wait_until_ready(a)
            _wait_until_ready(b)
            pairs[rate_limit] = ServerPair(a=a, b=b, rate_limit=rate_limit)
        return pairs[rate_limit]

    try:
        yield get
    finally:
        _stop_servers(started)


@pytest.fixture
def fresh_window():
    """Rate-limit windows are clock-aligned minutes. `fresh_window(seconds)` sleeps into the next
    window when fewer than `seconds` remain in this one, so a test's requests all land in one window."""

    def wait(seconds: float = 10) -> None:
        left = 60 - time.time() % 60
        if left < seconds:
            time.sleep(left + 0.2)

    return wait


# --- Webhooks: a web process, a Celery worker with beat, and a receiver ----------------------

# Short everything, so that retries, give-ups and stuck leases play out in seconds.
WEBHOOK_ENV = {
    "PULSEHR_WEBHOOK_ALLOW_HTTP": "true",
    "PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS": "true",
    "PULSEHR_WEBHOOK_SWEEP_SECONDS": "1",
    "PULSEHR_WEBHOOK_RETRY_SCHEDULE": "1,1,1",
    "PULSEHR_WEBHOOK_TIMEOUT_SECONDS": "2",
    "PULSEHR_WEBHOOK_LEASE_MARGIN_SECONDS": "3",
}


class WebhookStack:
    """One gunicorn process and (at most) one default Celery worker over the session's database,
    one workspace with a key, and the receiver. Tests that need another worker (a strict one, a
    killed one) replace it; the next test gets a default worker back."""

    def __init__(self, site: LiveSite, env: dict[str, str], receiver: Receiver):
        self.site, self.env, self.receiver = site, env, receiver
        self.log_dir = site.tmp_dir
        self.web: Server | None = None
        self.api: Api | None = None
        self.worker: Proc | None = None
        self.procs: list[Proc] = []
        self.webs: list[Server] = []

    def start_worker(self, name: str = "worker", beat: bool = True, wait: bool = True, **overrides: str | None) -> Proc:
        """A worker with the stack's environment changed by `overrides` (None unsets a variable)."""
        env = {k: v for k, v in {**self.env, **overrides}.items() if v is not None}
        worker = start_worker(env, self.log_dir, name=name, beat=beat)
        self.procs.append(worker)
        if wait:
            wait_worker_ready(worker)
        return worker

    def start_web(self, name: str, rate_limit: int = 0, **overrides: str) -> Server:
        """Another gunicorn process over the same database (its env changed by `overrides`)."""
        web = _start_server(self.site, rate_limit, name, extra_env={**self.env, **overrides})
        self.webs.append(web)
        _wait_until_ready(web)
        return web

    def ensure_default_worker(self) -> Proc:
        if self.worker is None or not self.worker.alive:
            self.worker = self.start_worker()
        return self.worker

    def stop_worker(self) -> None:
        if self.worker is not None:
            stop([self.worker])
            self.worker = None

    def diagnose(self) -> str:
        parts = [f"--- {p.name} ({p.log_path}) ---\n{p.log(3000)}" for p in self.procs[-3:]]
        if self.web is not None:
            parts.append(f"--- web ---\n{self.web.log()[-3000:]}")
        return "\n".join(parts)

    def stop_all(self) -> None:
        stop(self.procs)
        _stop_servers([self.web, *self.webs] if self.web is not None else self.webs)


@pytest.fixture(scope="session")
def webhook_stack(live_site):
    """Started once per session (per xdist worker). With REDIS_URL the stack takes a Redis
    database of its own on that server, so two sessions' workers never share a queue."""
    env = {**live_site.env, **WEBHOOK_ENV}
    redis_db = None
    if env.get("REDIS_URL"):
        redis_db = RedisDatabase.claim(env["REDIS_URL"])
        env["REDIS_URL"] = redis_db.url
    receiver = Receiver()
    stack = WebhookStack(live_site, env, receiver)
    try:
        workspace = live_site.create_workspace()
        key = live_site.create_api_key(workspace, scopes="read:*,write:*")
        stack.web = _start_server(live_site, 0, "webhooks-web", extra_env=env)  # rate limit 0: off
        stack.worker = stack.start_worker(wait=False)
        _wait_until_ready(stack.web)
        wait_worker_ready(stack.worker)
        stack.api = Api(stack.web.url, key)
        yield stack
    finally:
        stack.stop_all()
        receiver.close()
        if redis_db is not None:
            redis_db.release()


@pytest.fixture
def hooks(webhook_stack):
    """A default worker running, and endpoints deleted when the test ends."""
    webhook_stack.ensure_default_worker()
    helper = Hooks(webhook_stack.api, webhook_stack.receiver, webhook_stack.diagnose)
    try:
        yield helper
    finally:
        helper.cleanup()
