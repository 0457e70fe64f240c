"""Production's serving layout under real processes, started from compose.yaml's commands: the
`web` service under 64 concurrent clients, and the `realtime` service and static files
behind the real proxy config (docker/Caddyfile on the system's Caddy), with X-Forwarded-*
doing what the services behind it rely on.

PostgreSQL and Redis only: the web and realtime services are separate processes, which the
embedded configuration (SQLite, an in-process channel layer) does not run as."""

import json
import os
import threading
import time
import uuid
from collections import Counter

import psycopg
import pytest
import requests
from websockets.sync.client import connect

from tests.live.conftest import _stop_servers, _wait_until_ready
from tests.live.production import compose_command, start_production, start_realtime, start_web

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")),
        reason="production's layout runs on PostgreSQL and Redis: needs DATABASE_URL and REDIS_URL",
    ),
]

CLIENTS = 64
LOAD_SECONDS = 8


def connections(site, application_name: str) -> int:
    """Connections to the site's database opened by processes started with PGAPPNAME=application_name."""
    with psycopg.connect(site.env["DATABASE_URL"], autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            (application_name,),
        ).fetchone()
    return row[0]


def wait_for_line(server, predicate, timeout: float = 10) -> dict:
    """The first JSON log line of the server's log matching `predicate`, waiting for it to be written."""
    deadline = time.monotonic() + timeout
    while True:
        for line in server.log().splitlines():
            if line.startswith("{"):
                record = json.loads(line)
                if predicate(record):
                    return record
        if time.monotonic() > deadline:
            raise AssertionError(f"no matching log line within {timeout} s:\n{server.log()[-3000:]}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def redis_url():
    from tests.live.webhook_stack import RedisDatabase

    redis_db = RedisDatabase.claim(os.environ["REDIS_URL"])
    try:
        yield redis_db.url
    finally:
        redis_db.release()


def test_compose_web_command_holds_64_clients_with_no_5xx_within_its_connection_bound(live_site, redis_url):
    """Two gunicorn workers of GUNICORN_THREADS (default 4) threads each: the documented bound is
    WEB_CONCURRENCY × GUNICORN_THREADS connections, however many clients wait."""
    assert compose_command("web")[:3] == ["gunicorn", "-c", "gunicorn.conf.py"]
    app_name = f"pulsehr-web-{uuid.uuid4().hex[:8]}"
    env = {**live_site.env, "REDIS_URL": redis_url, "PULSEHR_RATE_LIMIT": "0", "PGAPPNAME": app_name}
    web = start_web(env, live_site.tmp_dir, workers=2, LOG_LEVEL="WARNING")
    try:
        _wait_until_ready(web)
        key = live_site.create_api_key()
        for n in range(60):
            requests.post(
                f"{web.url}/v1/employees",
                json={"full_name": f"Load Person {n}", "start_date": "2024-03-01"},
                headers={"Authorization": f"Bearer {key}"},
                timeout=30,
            ).raise_for_status()
        bound = 2 * 4
        statuses: Counter = Counter()
        errors: list[str] = []
        peak = 0
        lock = threading.Lock()
        stop_at = time.monotonic() + LOAD_SECONDS

        def client():
            with requests.Session() as session:
                session.headers["Authorization"] = f"Bearer {key}"
                while time.monotonic() < stop_at:
                    try:
                        status = session.get(f"{web.url}/v1/employees?limit=50", timeout=60).status_code
                    except requests.RequestException as exc:
                        with lock:
                            errors.append(repr(exc))
                        continue
                    with lock:
                        statuses[status] += 1

        threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            peak = max(peak, connections(live_site, app_name))
            time.sleep(0.2)
        for thread in threads:
            thread.join(timeout=90)

        assert not errors, errors[:5]
        assert statuses and set(statuses) == {200}, (statuses, web.log()[-3000:])
        assert 0 < peak <= bound, f"{peak} connections, documented bound {bound}"
        assert connections(live_site, app_name) <= bound  # kept for reuse, not closed and reopened
    finally:
        _stop_servers([web])


@pytest.fixture(scope="module")
def production(live_site, redis_url):
    """web, realtime and proxy as compose runs them; the realtime service on 2 threads."""
    app_name = f"pulsehr-realtime-{uuid.uuid4().hex[:8]}"
    env = {**live_site.env, "REDIS_URL": redis_url, "PULSEHR_RATE_LIMIT": "0", "PULSEHR_LOG_FORMAT": "json"}
    stack = start_production(env, live_site.tmp_dir, ASGI_THREADS="2", PGAPPNAME=app_name, LOG_LEVEL="INFO")
    stack.realtime_app_name = app_name
    try:
        yield stack
    finally:
        stack.stop()


def api(stack, key, method, path, body=None, expect=201):
    response = requests.request(
        method, f"{stack.url}{path}", json=body, headers={"Authorization": f"Bearer {key}"}, timeout=30
    )
    assert response.status_code == expect, response.text
    return response.json()


def test_a_browser_socket_through_the_proxy_receives_a_change_made_through_the_api(live_site, production):
    key = live_site.create_api_key()
    room = f"doc:{uuid.uuid4().hex[:8]}"
    people = [
        api(production, key, "POST", "/v1/employees", {"full_name": f"Person {n}", "start_date": "2024-03-01"})
        for n in range(6)
    ]
    ws_url = production.url.replace("http://", "ws://") + "/v1/realtime"
    sockets = []
    try:
        for person in people:  # a page on the proxy's own origin, as the browser opens it
            token = api(production, key, "POST", f"/v1/rooms/{room}/tokens", {"user_id": person["id"]})["token"]
            ws = connect(ws_url, origin=production.url, open_timeout=10)
            sockets.append(ws)
            ws.send(json.dumps({"type": "auth", "token": token}))
            assert next_of(ws, "ready")["room_id"] == room
        thread = api(
            production,
            key,
            "POST",
            f"/v1/rooms/{room}/threads",
            {"comment": {"body": "Through the proxy", "author_id": people[0]["id"]}},
        )
        for ws in sockets:
            assert next_of(ws, "thread.created")["data"]["id"] == thread["id"]
        # Six sockets' database work ran on the realtime service's two threads: two connections at most.
        assert connections(live_site, production.realtime_app_name) <= 2
    finally:
        for ws in sockets:
            ws.close()


def next_of(ws, message_type, timeout=15):
    while True:
        message = json.loads(ws.recv(timeout=timeout))
        if message["type"] == message_type:
            return message


def test_a_socket_from_a_foreign_origin_is_refused_through_the_proxy(production):
    from websockets.exceptions import InvalidStatus

    with pytest.raises(InvalidStatus) as refused:
        connect(
            production.url.replace("http://", "ws://") + "/v1/realtime", origin="https://evil.example", open_timeout=10
        )
    assert refused.value.response.status_code == 403


def test_the_realtime_service_answers_http_only_with_404_and_the_proxy_routes_http_to_web(production):
    direct = requests.get(f"{production.realtime.url}/v1/employees", timeout=10)
    assert direct.status_code == 404 and direct.json()["error"]["code"] == "not_found"
    assert requests.get(f"{production.realtime.url}/healthz", timeout=10).status_code == 200
    through = requests.get(f"{production.url}/v1/employees", timeout=10)
    assert through.status_code == 401 and through.json()["error"]["code"] == "unauthenticated"


def test_the_proxy_serves_static_files(production):
    response = requests.get(f"{production.url}/static/admin/css/base.css", timeout=10)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"].startswith("text/css") and "body" in response.text


def test_request_ids_and_client_addresses_survive_the_proxy(production):
    response = requests.get(
        f"{production.url}/v1/employees",
        headers={"X-Request-Id": "req_chosen_by_the_client", "X-Forwarded-For": "203.0.113.9"},
        timeout=10,
    )
    request_id = response.headers["X-Request-Id"]
    assert request_id.startswith("req_") and request_id != "req_chosen_by_the_client"
    assert response.json()["error"]["request_id"] == request_id
    # The web service's access line names the same request and the client's own address, as the
    # proxy saw it: the address the client claimed was replaced, not passed on.
    line = wait_for_line(production.web, lambda r: r.get("request_id") == request_id)
    assert line["path"] == "/v1/employees" and line["forwarded_for"] == "127.0.0.1", line


def test_https_redirects_and_the_forwarded_proto_cannot_be_spoofed_through_the_proxy(live_site, redis_url):
    env = {**live_site.env, "REDIS_URL": redis_url, "PULSEHR_HTTPS": "true"}
    stack = start_production(env, live_site.tmp_dir)
    try:
        for headers in ({}, {"X-Forwarded-Proto": "https"}):
            response = requests.get(f"{stack.url}/admin/login/", headers=headers, allow_redirects=False, timeout=10)
            assert response.status_code == 301, (headers, response.status_code)
            assert response.headers["Location"] == f"https://{stack.url.removeprefix('http://')}/admin/login/"
        # Probes are answered over plain http, before the redirect.
        assert requests.get(f"{stack.url}/healthz", allow_redirects=False, timeout=10).status_code == 200
    finally:
        stack.stop()


def test_compose_realtime_command_serves_only_the_socket(live_site, redis_url):
    """Without the proxy: what compose's realtime service is, on its own."""
    realtime = start_realtime({**live_site.env, "REDIS_URL": redis_url}, live_site.tmp_dir)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{realtime.url}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline and realtime.process.poll() is None, realtime.log()
            time.sleep(0.1)
        for path in ("/admin/login/", "/v1/employees", "/static/admin/css/base.css", "/developers/"):
            assert requests.get(f"{realtime.url}{path}", timeout=10).status_code == 404, path
    finally:
        _stop_servers([realtime])
