"""The two ASGI applications of pulsehr/asgi.py, in process: the realtime service's, which
serves the socket and refuses HTTP, and make run's, which serves both; and the bounded threads
that run the sockets' synchronous work."""

import asyncio
import json
import threading

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import HttpCommunicator

from pulsehr.asgi import application, realtime_application, websocket_application
from pulsehr.serving import BoundedThreads


def get(app, path):
    communicator = HttpCommunicator(app, "GET", path, headers=[(b"host", b"testserver")])
    return async_to_sync(communicator.get_response)()


@pytest.mark.parametrize("path", ["/v1/employees", "/admin/login/", "/static/admin/css/base.css", "/v1/realtime"])
def test_the_realtime_application_answers_http_with_a_404_envelope(path):
    response = get(realtime_application, path)
    assert response["status"] == 404
    headers = dict(response["headers"])
    body = json.loads(response["body"])
    assert body["error"]["code"] == "not_found" and body["error"]["request_id"].startswith("req_")
    assert headers[b"x-request-id"].decode() == body["error"]["request_id"]


def test_the_realtime_application_answers_its_liveness_probe():
    assert get(realtime_application, "/healthz")["status"] == 200


@pytest.mark.django_db
def test_make_runs_application_still_serves_http():
    response = get(application, "/v1/employees")
    assert response["status"] == 401  # through Django and the API's authentication


def test_both_applications_share_one_bounded_socket_application():
    assert isinstance(websocket_application, BoundedThreads)


def test_bounded_threads_run_each_connections_sync_work_on_one_of_n_threads():
    """Twelve connections, each making thread-sensitive calls: they run on at most 3 threads,
    and each connection's calls stay on one thread (its database connection is reused)."""
    seen: dict[int, set[int]] = {}

    def where(n):
        seen.setdefault(n, set()).add(threading.get_ident())

    async def app(scope, receive, send):
        for _ in range(3):
            await sync_to_async(where)(scope["n"])
            await asyncio.sleep(0)

    bounded = BoundedThreads(app, threads=3)

    async def connections():
        await asyncio.gather(*(bounded({"type": "websocket", "n": n}, None, None) for n in range(12)))

    asyncio.run(connections())
    assert len(seen) == 12 and all(len(threads) == 1 for threads in seen.values())
    assert len(set().union(*seen.values())) == 3


@pytest.mark.django_db
def test_bounded_threads_keep_their_database_connections_until_told_to_close_them():
    """A thread's connection outlives the socket that opened it (the next socket reuses it);
    close_connections() closes every thread's, as the test run needs before it drops its
    database (pytest-django could not, while the realtime threads held it open)."""
    from django.db import connection

    def query():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    async def app(scope, receive, send):
        await sync_to_async(query)()

    bounded = BoundedThreads(app, threads=2)

    async def sockets():
        await asyncio.gather(*(bounded({"type": "websocket"}, None, None) for _ in range(2)))

    def open_connections():
        return [executor.submit(lambda: connection.connection is not None).result() for executor in bounded.executors]

    asyncio.run(sockets())
    assert open_connections() == [True, True]
    bounded.close_connections()
    assert open_connections() == [False, False]
