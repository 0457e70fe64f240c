"""The body limit on real servers, for what the test client cannot send: chunked bodies, and a
request whose body never arrives because it is refused first. Both ways PulseHR is served:
gunicorn with the WSGI application (as tests/live runs it) and uvicorn with the ASGI one (as
production and `make run` do), where Django would otherwise read every body whole first."""

import json
import socket
import subprocess
import sys
import time

import pytest
import requests

from .conftest import BASE_DIR, Server, _free_port, _start_server, _stop_servers, _wait_until_ready

LIMIT = 4096
DEADLINE_SECONDS = 15


def _start_uvicorn(site, extra_env: dict[str, str]) -> Server:
    port = _free_port()
    log_path = site.tmp_dir / f"uvicorn-body-limit-{port}.log"
    env = {**site.env, **extra_env, "PULSEHR_RATE_LIMIT": "0"}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "pulsehr.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
            + ["--lifespan", "off", "--no-access-log"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)


@pytest.fixture(scope="module", params=["gunicorn-wsgi", "uvicorn-asgi"])
def server(request, live_site):
    """A web process with the limit set to LIMIT through its environment."""
    extra_env = {"PULSEHR_MAX_BODY_BYTES": str(LIMIT)}
    if request.param == "gunicorn-wsgi":
        web = _start_server(live_site, 0, "body-limit", extra_env=extra_env)
    else:
        web = _start_uvicorn(live_site, extra_env)
    try:
        _wait_until_ready(web)
        yield web
    finally:
        _stop_servers([web])


@pytest.fixture(scope="module")
def secret(live_site):
    return live_site.create_api_key()


def employee_body(size: int) -> bytes:
    body = json.dumps({"full_name": "Chunked Person", "start_date": "2024-01-02"}).encode()
    return body + b" " * (size - len(body))


def chunks(body: bytes, size: int = 1000):
    """A generator body: requests sends it with Transfer-Encoding: chunked and no Content-Length."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def test_a_chunked_body_within_the_limit_is_read_and_parsed(server, secret):
    response = requests.post(
        f"{server.url}/v1/employees",
        data=chunks(employee_body(LIMIT)),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        timeout=DEADLINE_SECONDS,
    )
    assert response.request.headers.get("Transfer-Encoding") == "chunked"
    assert response.status_code == 201, response.text
    assert response.json()["full_name"] == "Chunked Person"


def test_a_chunked_body_over_the_limit_is_413(server, secret):
    response = requests.post(
        f"{server.url}/v1/employees",
        data=chunks(employee_body(LIMIT * 50)),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        timeout=DEADLINE_SECONDS,
    )
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "payload_too_large"


def answer_before_the_body(server, headers: dict[str, str], declared: int) -> tuple[int, dict]:
    """Send the headers of a POST declaring `declared` bytes and a first slice of the body,
    then wait for the answer without sending the rest: a server reading the body would wait
    for it until the deadline."""
    host, port = server.url.removeprefix("http://").split(":")
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    request = (
        f"POST /v1/employees HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {declared}\r\nConnection: close\r\n{head}\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=DEADLINE_SECONDS) as sock:
        sock.sendall(request + b"{" + b" " * 100)
        received = b""
        deadline = time.monotonic() + DEADLINE_SECONDS
        while b"\r\n\r\n" not in received or not _complete(received):
            assert time.monotonic() < deadline, f"no answer before the body was sent: {received!r}"
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), json.loads(body)


def _complete(received: bytes) -> bool:
    head, _, body = received.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":", 1)[1])
    return False


def test_a_declared_length_over_the_limit_is_refused_without_waiting_for_the_body(server, secret):
    status, body = answer_before_the_body(server, {"Authorization": f"Bearer {secret}"}, 30 * 1024 * 1024)
    assert (status, body["error"]["code"]) == (413, "payload_too_large")


def test_an_unauthenticated_request_is_refused_without_waiting_for_its_body(server):
    for declared in (LIMIT, 30 * 1024 * 1024):
        status, body = answer_before_the_body(server, {}, declared)
        assert (status, body["error"]["code"]) == (401, "unauthenticated")
