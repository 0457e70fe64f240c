"""Real-time through real uvicorn processes serving pulsehr.asgi over one database.

With Redis: a change made through process A's REST API reaches a socket held by process B,
and presence counts the sockets of both. Without Redis each process reaches only its own
sockets (the embedded mode, `make run`, is one process), which the first test shows."""

import json
import os
import shlex
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from .conftest import BASE_DIR, Server, _free_port, _stop_servers, _wait_until_ready

pytestmark = pytest.mark.slow
needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="real-time across processes goes through Redis: needs REDIS_URL"
)


def _start_uvicorn(site, name: str) -> Server:
    port = _free_port()
    log_path = site.tmp_dir / f"uvicorn-{name}-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "pulsehr.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
            + ["--lifespan", "off", "--no-access-log"],
            cwd=BASE_DIR,
            env={**site.env, "PULSEHR_RATE_LIMIT": "0"},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)


def _start_make_run_web(site) -> Server:
    """The Procfile's web line (`make run`): one uvicorn process for HTTP and the socket."""
    port = _free_port()
    line = next(line for line in (BASE_DIR / "Procfile").read_text().splitlines() if line.startswith("web:"))
    argv = shlex.split(line.removeprefix("web:").replace("${HOST}", "127.0.0.1").replace("${PORT}", str(port)))
    log_path = site.tmp_dir / f"make-run-web-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / argv[0]), *argv[1:]],
            cwd=BASE_DIR,
            env={**site.env, "PULSEHR_RATE_LIMIT": "0"},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)


@pytest.fixture(scope="module")
def processes(live_site):
    """Process A and process B."""
    servers = [_start_uvicorn(live_site, "a"), _start_uvicorn(live_site, "b")]
    try:
        for server in servers:
            _wait_until_ready(server)
        yield servers
    finally:
        _stop_servers(servers)


class Site:
    """One workspace's key, and calls to either process."""

    def __init__(self, live_site):
        self.headers = {"Authorization": f"Bearer {live_site.create_api_key()}"}

    def post(self, server, path, body):
        response = requests.post(f"{server.url}{path}", json=body, headers=self.headers, timeout=30)
        assert response.status_code == 201, response.text
        return response.json()

    def get(self, server, path):
        response = requests.get(f"{server.url}{path}", headers=self.headers, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def employee(self, server, name):
        return self.post(server, "/v1/employees", {"full_name": name, "start_date": "2024-03-01"})["id"]

    def room_token(self, server, room, user_id):
        return self.post(server, f"/v1/rooms/{room}/tokens", {"user_id": user_id})["token"]


@contextmanager
def open_socket(server, token):
    """A socket past `ready`, as from a page on the server's own origin; closed on leaving."""
    with connect(server.url.replace("http://", "ws://") + "/v1/realtime", origin=server.url, open_timeout=10) as ws:
        ws.send(json.dumps({"type": "auth", "token": token}))
        ready = receive(ws)
        assert ready["type"] == "ready", ready
        yield ws, ready


def receive(ws, timeout=10):
    return json.loads(ws.recv(timeout=timeout))


def next_of(ws, message_type, timeout=10):
    """The next message of this type; presence pushes and such in between are skipped."""
    while True:
        message = receive(ws, timeout)
        if message["type"] == message_type:
            return message


def presence_counts(entries):
    return [(entry["name"], entry["connections"]) for entry in entries]


def test_change_through_rest_reaches_a_socket_on_the_same_process(live_site, processes):
    a, _ = processes
    site = Site(live_site)
    room = f"doc:{uuid.uuid4().hex[:8]}"
    ada = site.employee(a, "Ada Lovelace")

    with open_socket(a, site.room_token(a, room, ada)) as (ws, ready):
        assert presence_counts(ready["presence"]) == [("Ada Lovelace", 1)]
        thread = site.post(a, f"/v1/rooms/{room}/threads", {"comment": {"body": "Hello", "author_id": ada}})
        created = next_of(ws, "thread.created")
        assert (created["sequence"], created["data"]["id"]) == (1, thread["id"])
        ws.send(json.dumps({"type": "ping"}))
        assert next_of(ws, "pong") == {"type": "pong"}


def test_make_run_serves_http_and_websockets_from_one_process(live_site):
    """Production splits them (tests/ops/test_serving.py); `make run` keeps one process, which the
    embedded in-memory channel layer needs."""
    server = _start_make_run_web(live_site)
    try:
        _wait_until_ready(server)
        site = Site(live_site)
        room = f"doc:{uuid.uuid4().hex[:8]}"
        ada = site.employee(server, "Ada Lovelace")
        with open_socket(server, site.room_token(server, room, ada)) as (ws, _):
            thread = site.post(server, f"/v1/rooms/{room}/threads", {"comment": {"body": "Hi", "author_id": ada}})
            assert next_of(ws, "thread.created")["data"]["id"] == thread["id"]
        assert requests.get(f"{server.url}/healthz", timeout=10).status_code == 200
    finally:
        _stop_servers([server])


@needs_redis
def test_change_through_process_a_reaches_a_socket_on_process_b(live_site, processes):
    a, b = processes
    site = Site(live_site)
    room = f"doc:{uuid.uuid4().hex[:8]}"
    ada = site.employee(a, "Ada Lovelace")

    with open_socket(b, site.room_token(a, room, ada)) as (on_b, ready):
        assert ready["sequence"] == 0
        thread = site.post(a, f"/v1/rooms/{room}/threads", {"comment": {"body": "Over to B", "author_id": ada}})

        created = next_of(on_b, "thread.created")
        assert (created["sequence"], created["room_id"], created["data"]["id"]) == (1, room, thread["id"])
        comment = next_of(on_b, "comment.created")
        assert (comment["sequence"], comment["data"]["body"]) == (2, "Over to B")


@needs_redis
def test_presence_counts_sockets_on_both_processes(live_site, processes):
    a, b = processes
    site = Site(live_site)
    room = f"doc:{uuid.uuid4().hex[:8]}"
    ada, grace = site.employee(a, "Ada Lovelace"), site.employee(a, "Grace Hopper")

    with open_socket(a, site.room_token(a, room, grace)) as (grace_on_a, _):
        with open_socket(b, site.room_token(a, room, ada)) as (ada_on_b, ready):
            assert presence_counts(ready["presence"]) == [("Ada Lovelace", 1), ("Grace Hopper", 1)]
            joined = next_of(grace_on_a, "presence")  # Ada joined on B, told on A
            assert (joined["event"], joined["user_id"]) == ("joined", ada)

            with open_socket(a, site.room_token(b, room, ada)):
                for server in (a, b):
                    entries = site.get(server, f"/v1/rooms/{room}/presence")["data"]
                    assert presence_counts(entries) == [("Ada Lovelace", 2), ("Grace Hopper", 1)]

        left = next_of(grace_on_a, "presence")  # Ada's last socket closed
        assert (left["event"], left["user_id"]) == ("left", ada)
        assert presence_counts(left["presence"]) == [("Grace Hopper", 1)]


@needs_redis
def test_offboarding_through_process_a_closes_the_persons_socket_on_process_b(live_site, processes):
    a, b = processes
    site = Site(live_site)
    room = f"doc:{uuid.uuid4().hex[:8]}"
    ada = site.employee(a, "Ada Lovelace")

    with open_socket(b, site.room_token(a, room, ada)) as (on_b, _):
        response = requests.delete(f"{a.url}/v1/employees/{ada}", headers=site.headers, timeout=30)
        assert response.status_code == 200, response.text

        error = next_of(on_b, "error")
        assert (error["code"], error["message"]) == (
            "unauthenticated",
            "The room token's user is no longer an active employee of its workspace.",
        )
        with pytest.raises(ConnectionClosed) as closed:
            on_b.recv(timeout=10)
        assert closed.value.rcvd.code == 4401
