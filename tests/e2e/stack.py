"""The live PulseHR the browser tests drive: one per pytest session (per xdist worker).

A fresh database (tests/live's `fresh_site`), a web server process, and, once a test asks for
them, a Celery worker with beat and the webhook receiver (tests/live/webhook_stack.py). What a
test starts from (workspaces, staff users, superusers, API keys) is made by tests/e2e/provision.py
in a `manage.py shell` subprocess, so this process never opens the stack's database."""

import json
import shlex
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..live.conftest import LiveSite, Server, _free_port, _stop_servers, _wait_until_ready
from ..live.production import start_production
from ..live.webhook_stack import Api, Hooks, Proc, Receiver, RedisDatabase, start_worker, stop, wait_worker_ready

BASE_DIR = Path(__file__).resolve().parents[2]

# Webhooks may go to the receiver (http on loopback); the sweep runs often so a test waits little.
STACK_ENV = {
    "PULSEHR_WEBHOOK_ALLOW_HTTP": "true",
    "PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS": "true",
    "PULSEHR_WEBHOOK_SWEEP_SECONDS": "1",
    "PULSEHR_RATE_LIMIT": "0",
}


def start_web(env: dict[str, str], log_dir: Path) -> tuple[Server, list[Server]]:
    """The stack's front door (its URL) and every server behind it: the one place to change how
    the stack serves. With Redis and Caddy, production's layout from compose.yaml's commands
    (web, realtime, and the proxy the browser talks to: tests/live/production.py); otherwise
    `make run`'s single process (the Procfile's web line), which the embedded configuration's
    in-process channel layer needs for the collaboration socket."""
    if env.get("REDIS_URL") and shutil.which("caddy"):
        production = start_production(env, log_dir)
        return production.proxy, production.servers
    port = _free_port()
    line = next(line for line in (BASE_DIR / "Procfile").read_text().splitlines() if line.startswith("web:"))
    argv = shlex.split(line.removeprefix("web:").replace("${HOST}", "127.0.0.1").replace("${PORT}", str(port)))
    log_path = log_dir / f"web-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / argv[0]), *argv[1:]],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so its workers go down with it
        )
    server = Server(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)
    return server, [server]


class Provisioner:
    """One long-lived `manage.py shell` running provision.serve() over the stack's database."""

    ANSWER_PREFIX = "provision-answer:"

    def __init__(self, env: dict[str, str], log_dir: Path):
        self.log_path = log_dir / f"provision-{uuid.uuid4().hex[:8]}.log"
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "shell",
                    "-c",
                    f"from tests.e2e.provision import serve; serve({self.ANSWER_PREFIX!r})",
                ],
                cwd=BASE_DIR,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                start_new_session=True,
            )

    def make(self, what: str, **arguments) -> dict:
        self.process.stdin.write(json.dumps({"what": what, "arguments": arguments}) + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith(self.ANSWER_PREFIX):
                answer = json.loads(line.removeprefix(self.ANSWER_PREFIX))
                if "error" in answer:
                    raise RuntimeError(f"Could not make a {what} of {arguments}:\n{answer['error']}")
                return answer["made"]
        raise RuntimeError(f"The provisioner exited with {self.process.wait()}:\n{self.log_path.read_text()}")

    def close(self) -> None:
        self.process.stdin.close()  # serve() ends with its input
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass(frozen=True)
class Workspace:
    id: str
    slug: str
    name: str


@dataclass(frozen=True)
class User:
    """A user to log in as: the password is random, made for this test run."""

    id: int
    username: str
    password: str


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@dataclass
class Stack:
    site: LiveSite
    env: dict[str, str]
    web: Server
    provisioner: Provisioner
    servers: list[Server] = field(default_factory=list)
    redis_db: RedisDatabase | None = None
    worker: Proc | None = None
    _receiver: Receiver | None = None
    procs: list[Proc] = field(default_factory=list)

    @classmethod
    def start(cls, site: LiveSite) -> "Stack":
        env = {**site.env, **STACK_ENV}
        redis_db = None
        if env.get("REDIS_URL"):
            # A Redis database of the session's own: another session's worker must not take its tasks.
            redis_db = RedisDatabase.claim(env["REDIS_URL"])
            env["REDIS_URL"] = redis_db.url
        site.env = env  # management commands too reach the stack's Redis database
        web, servers = start_web(env, site.tmp_dir)
        try:
            stack = cls(
                site=site,
                env=env,
                web=web,
                servers=servers,
                provisioner=Provisioner(env, site.tmp_dir),
                redis_db=redis_db,
            )
        except BaseException:
            _stop_servers(servers)
            if redis_db is not None:
                redis_db.release()
            raise
        try:
            _wait_until_ready(stack.web)
        except BaseException:
            stack.stop_all()
            raise
        return stack

    @property
    def url(self) -> str:
        return self.web.url

    def manage(self, *args: str) -> str:
        return self.site.manage(*args)

    # --- What a test starts from --------------------------------------------------------

    def create_workspace(self, slug: str | None = None, *, timezone: str = "Europe/Rome", **fields) -> Workspace:
        """A workspace; `fields` set more of it: name, country, leave_approval_required, work_week, …"""
        made = self.provisioner.make("workspace", slug=slug or unique("e2e"), timezone=timezone, **fields)
        return Workspace(**made)

    def create_staff_user(
        self,
        workspace: Workspace | None = None,
        role: str = "hr",
        *,
        memberships: dict[Workspace, str] | None = None,
        username: str | None = None,
    ) -> User:
        """A staff user with `role` (owner, hr or viewer) in `workspace`, and/or a role per workspace
        in `memberships`."""
        roles = {ws.slug: r for ws, r in (memberships or {}).items()}
        if workspace is not None:
            roles[workspace.slug] = role
        return User(**self.provisioner.make("user", username=username or unique(role), memberships=roles))

    def create_superuser(self, username: str | None = None) -> User:
        return User(
            **self.provisioner.make("user", username=username or unique("root"), memberships={}, superuser=True)
        )

    def create_api_key(
        self, workspace: Workspace, environment: str = "live", scopes: str = "read:*,write:*", name: str = ""
    ) -> str:
        """A new key's secret (`pk_live_…` / `pk_test_…`)."""
        made = self.provisioner.make(
            "api_key", workspace=workspace.slug, environment=environment, scopes=scopes, name=name
        )
        return made["secret"]

    def api(self, workspace: Workspace, environment: str = "live", scopes: str = "read:*,write:*") -> Api:
        """/v1 on the stack's web server with a new key: the quick way to give a test data to look at."""
        return Api(self.url, self.create_api_key(workspace, environment, scopes))

    # --- Webhooks -------------------------------------------------------------------------

    def ensure_worker(self) -> Proc:
        """A Celery worker with beat over the stack's database, started the first time it is needed."""
        if self.worker is None or not self.worker.alive:
            self.worker = start_worker(self.env, self.site.tmp_dir)
            self.procs.append(self.worker)
            wait_worker_ready(self.worker)
        return self.worker

    @property
    def receiver(self) -> Receiver:
        """An HTTP server in this process that records what webhooks send it (see Receiver)."""
        if self._receiver is None:
            self._receiver = Receiver()
        return self._receiver

    def webhooks(self, api: Api) -> Hooks:
        """The worker running, and tests/live's Hooks over `api` and the receiver:
        `endpoint(events=(...))` → (endpoint with its secret, receiver path), `wait_for(path, n)`,
        `event_of(resource_id, type)`, `wait_event(event_id, until)`."""
        self.ensure_worker()
        return Hooks(api, self.receiver, self.diagnose)

    # --- Diagnosis and teardown --------------------------------------------------------

    def diagnose(self) -> str:
        parts = [f"--- {server.log_path.name} ---\n{server.log()[-3000:]}" for server in self.servers]
        parts += [f"--- {p.name} ({p.log_path}) ---\n{p.log(3000)}" for p in self.procs[-2:]]
        return "\n".join(parts)

    def stop_all(self) -> None:
        try:
            self.provisioner.close()
            stop(self.procs)
            _stop_servers(self.servers)
        finally:
            if self._receiver is not None:
                self._receiver.close()
            if self.redis_db is not None:
                self.redis_db.release()
