"""Operations against real processes: the release script, a worker's graceful shutdown,
readiness following the database, and the production stack as the image runs it."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
import psycopg
import pytest
import requests

from tests.live.conftest import WEBHOOK_ENV, _start_server, _stop_servers, _wait_until_ready
from tests.live.production import compose_command, start_web
from tests.live.webhook_stack import (
    Answer,
    Api,
    Hooks,
    Receiver,
    RedisDatabase,
    settled,
    spawn,
    stop,
    verify_both,
    wait_worker_ready,
)

from .tcp_proxy import TcpProxy

pytestmark = pytest.mark.slow

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # gunicorn and celery, as the image calls them


def wait_status(url: str, status: int, timeout: float = 20) -> requests.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = requests.get(url, timeout=5)
            if response.status_code == status:
                return response
        except requests.RequestException as exc:
            response = exc
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} never answered {status} in {timeout} s; last: {response!r}")
        time.sleep(0.2)


def test_release_script_migrates_and_creates_the_admin_once(live_site):
    env = {
        **live_site.env,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "DJANGO_SUPERUSER_USERNAME": f"admin-{uuid.uuid4().hex[:8]}",
        "DJANGO_SUPERUSER_EMAIL": "admin@example.com",
        "DJANGO_SUPERUSER_PASSWORD": "first-Password-9371",
    }

    def release(password: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["sh", "docker/release.sh"],
            cwd=BASE_DIR,
            env={**env, "DJANGO_SUPERUSER_PASSWORD": password},
            capture_output=True,
            text=True,
            timeout=120,
        )

    first = release("first-Password-9371")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "created" in first.stdout
    again = release("second-Password-5820")  # every deploy runs it; the admin must stay as it is
    assert again.returncode == 0, again.stdout + again.stderr
    assert "already exists" in again.stdout
    check = (
        "from django.contrib.auth import get_user_model; "
        f"u = get_user_model().objects.get(username='{env['DJANGO_SUPERUSER_USERNAME']}'); "
        "print(u.is_superuser, u.check_password('first-Password-9371'))"
    )
    assert live_site.manage("shell", "-c", check).strip().splitlines()[-1] == "True True"


def test_sigterm_lets_a_worker_finish_the_delivery_it_is_sending(webhook_stack):
    """Celery's warm shutdown: the held send completes after SIGTERM, is recorded as succeeded,
    is not sent again, and the worker then exits cleanly."""
    webhook_stack.stop_worker()  # the next test that wants the default worker gets a new one
    worker = webhook_stack.start_worker(name="graceful", PULSEHR_WEBHOOK_TIMEOUT_SECONDS="20")
    hooks = Hooks(webhook_stack.api, webhook_stack.receiver, webhook_stack.diagnose)
    try:
        endpoint, path = hooks.endpoint(Answer(hold=True), events=["employee.created"])
        employee = hooks.employee()
        hooks.wait_for(path, 1)
        worker.process.send_signal(signal.SIGTERM)
        time.sleep(1.0)
        assert worker.alive, f"the worker did not wait for its send:\n{worker.log()}"
        hooks.receiver.release(path)
        try:
            code = worker.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the worker did not exit after its send:\n{worker.log()}")
        assert code == 0, worker.log()
        assert "Traceback" not in worker.log(100_000), worker.log()
        event = hooks.event_of(employee["id"], "employee.created")
        hooks.wait_event(event["id"], settled(endpoint["id"]), timeout=5, what="a succeeded delivery")
        assert len(hooks.receiver.requests_to(path)) == 1
    finally:
        hooks.cleanup()


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"),
    reason="needs DATABASE_URL: a PostgreSQL server to put a TCP proxy in front of (SQLite is a file)",
)
def test_readiness_turns_503_while_the_database_is_unreachable_and_200_when_it_returns(live_site):
    url = urlsplit(live_site.env["DATABASE_URL"])
    config = environ.Env.db_url_config(live_site.env["DATABASE_URL"])
    proxy = TcpProxy((config.get("HOST") or "127.0.0.1", int(config.get("PORT") or 5432)))
    userinfo = url.netloc.rpartition("@")[0]
    proxied = urlunsplit(
        url._replace(netloc=f"{userinfo}@127.0.0.1:{proxy.port}" if userinfo else f"127.0.0.1:{proxy.port}")
    )
    server = _start_server(live_site, 0, "readyz", extra_env={"DATABASE_URL": proxied})
    try:
        _wait_until_ready(server)
        assert requests.get(f"{server.url}/readyz", timeout=10).status_code == 200
        proxy.close()
        down = wait_status(f"{server.url}/readyz", 503, timeout=10).json()
        assert "database" in down["failing"] and down["checks"]["broker"]["ok"], down
        assert requests.get(f"{server.url}/healthz", timeout=10).status_code == 200  # liveness is unaffected
        proxy.open()
        up = wait_status(f"{server.url}/readyz", 200, timeout=15).json()
        assert all(check["ok"] for check in up["checks"].values()), up
    finally:
        _stop_servers([server])
        proxy.close()


@pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")),
    reason="the production stack runs on PostgreSQL and Redis: needs DATABASE_URL and REDIS_URL",
)
def test_production_stack_delivers_a_signed_webhook(live_site):
    """compose.yaml's web, worker and beat commands as three processes, JSON logs, a fresh
    database and Redis database."""
    redis_db = RedisDatabase.claim(os.environ["REDIS_URL"])
    receiver = Receiver()
    env = {
        **live_site.env,
        **WEBHOOK_ENV,
        "REDIS_URL": redis_db.url,
        "PULSEHR_LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "PULSEHR_RATE_LIMIT": "0",
    }
    procs = []
    web = None
    try:
        web = start_web(env, live_site.tmp_dir)
        tag = uuid.uuid4().hex[:8]
        for name in ("worker", "beat"):  # each names its database connections, to count them
            argv = compose_command(name)
            proc_env = {**env, "PGAPPNAME": f"pulsehr-{name}-{tag}"}
            procs.append(spawn(name, [str(BIN / argv[0]), *argv[1:]], proc_env, live_site.tmp_dir))
        worker, beat = procs
        ready = wait_status(f"{web.url}/readyz", 200, timeout=30).json()
        assert set(ready["checks"]) == {"database", "migrations", "broker"}
        wait_worker_ready(worker)

        workspace = live_site.create_workspace()
        api = Api(web.url, live_site.create_api_key(workspace))
        diagnose = lambda: "\n".join(f"--- {p.name} ---\n{p.log(3000)}" for p in procs) + web.log()[-3000:]  # noqa: E731
        hooks = Hooks(api, receiver, diagnose)
        endpoint, path = hooks.endpoint(events=["employee.created"])
        body = {"full_name": "Ada Lovelace", "start_date": "2024-03-01", "department": "Ops"}
        response = api.post("/v1/employees", body, headers={"Idempotency-Key": uuid.uuid4().hex})
        employee = response.json()

        [delivery] = hooks.wait_for(path, 1, timeout=30)
        payload = verify_both(delivery, endpoint["secret"])
        assert payload["type"] == "employee.created" and payload["data"]["id"] == employee["id"]
        # gunicorn's access log is JSON too, and names the request id the client got. gunicorn
        # writes the line after the response has gone out, so the test waits for it.
        request_id = response.headers["X-Request-Id"]

        def logged() -> bool:
            lines = [json.loads(line) for line in web.log().splitlines() if line.startswith("{")]
            access = [line for line in lines if line.get("logger") == "gunicorn.access"]
            return any(line["request_id"] == request_id and line["path"] == "/v1/employees" for line in access)

        deadline = time.monotonic() + 15
        while not logged():
            assert time.monotonic() < deadline, f"no access line for {request_id}:\n{web.log()[-5000:]}"
            time.sleep(0.05)
        assert beat.alive, beat.log()
        # Bounded, as docs/operations.md states: the worker's threads (--concurrency) and one, beat one.
        concurrency = int(compose_command("worker")[compose_command("worker").index("--concurrency") + 1])
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            counts = dict(
                conn.execute(
                    "SELECT application_name, count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() GROUP BY application_name"
                ).fetchall()
            )
        assert counts.get(f"pulsehr-worker-{tag}", 0) <= concurrency + 1, counts
        assert counts.get(f"pulsehr-beat-{tag}", 0) <= 1, counts
    finally:
        stop(procs)
        if web is not None:
            _stop_servers([web])
        receiver.close()
        redis_db.release()
