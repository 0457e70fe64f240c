"""How the ASGI applications of pulsehr/asgi.py are served.

Production's HTTP is WSGI (gunicorn.conf.py serves pulsehr.wsgi); what is here serves the
`realtime` service and `make run`'s single uvicorn process:

- BoundedThreads: the sockets' database work on a fixed number of threads, so a realtime
  process holds at most ASGI_THREADS database connections however many sockets it serves.
- only_realtime_http: the realtime service's answer to plain HTTP (404, but /healthz).
- AccessLogMiddleware: `make run`'s access line, in gunicorn's format (uvicorn's own line
  knows nothing of the response's headers, so it is off), carrying the X-Request-Id, and
  labelled pulsehr.access: PulseHR writes it, not gunicorn (whose lines are gunicorn.access)."""

import asyncio
import itertools
import json
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext
from ulid import ULID

# The access line as gunicorn formats it (gunicorn.conf.py's access_log_format).
ACCESS_LOG_FORMAT = (
    '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s forwarded_for=%({x-forwarded-for}i)s'
)
access_logger = logging.getLogger("pulsehr.access")

# Threads for the sockets' synchronous work (database and Redis calls) in one ASGI process.
ASGI_THREADS_DEFAULT = 4


def asgi_threads() -> int:
    return max(1, int(os.environ.get("ASGI_THREADS") or ASGI_THREADS_DEFAULT))


class BoundedThreads:
    """Runs each socket's thread-sensitive work (channels' database_sync_to_async: every
    database call of the consumer) on one of ASGI_THREADS single-thread executors, taken in
    turn, and the loop's other blocking calls (sync_to_async(thread_sensitive=False): Redis
    presence) on a pool of as many threads.

    Left alone, asgiref would run all of a process's database calls on one thread (one socket's
    slow catch-up holds up every other socket's authentication), or, under a per-connection
    context, on a new thread per socket with a database connection each: thousands of sockets,
    thousands of connections. A socket keeps its thread for its lifetime, so Django's
    per-thread connection is reused across its calls, and the process never holds more than
    ASGI_THREADS connections."""

    def __init__(self, app, threads: int | None = None):
        self.app = app
        self.threads = threads or asgi_threads()
        self.executors = [
            ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"realtime-db-{n}") for n in range(self.threads)
        ]
        self._turn = itertools.cycle(self.executors)
        self._loops: set[int] = set()
        self._lock = threading.Lock()

    def _bound_default_executor(self) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            if id(loop) in self._loops:
                return
            self._loops.add(id(loop))
        loop.set_default_executor(ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="realtime-io"))

    def close_connections(self) -> None:
        """Close the database connection each thread keeps (Django's are per thread, so each
        thread closes its own): for a test run, which drops its database afterwards."""
        from django.db import connections

        for executor in self.executors:
            executor.submit(connections.close_all).result()

    async def __call__(self, scope, receive, send):
        self._bound_default_executor()
        async with ThreadSensitiveContext(executor=next(self._turn)):
            return await self.app(scope, receive, send)


def _json_response(status: int, body: dict) -> tuple[dict, dict]:
    raw = json.dumps(body).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(raw)).encode()),
            (b"x-request-id", body.get("error", {}).get("request_id", "").encode() or b"-"),
        ],
    }
    return start, {"type": "http.response.body", "body": raw}


async def only_realtime_http(scope, receive, send):
    """The realtime service serves sockets only: /healthz answers its container's liveness
    probe; any other HTTP request was routed here by mistake and is a 404 in the API's envelope
    (the web service serves HTTP)."""
    if scope["path"] == "/healthz":
        start, body = _json_response(200, {"status": "ok"})
        start["headers"] = start["headers"][:2]
    else:
        request_id = f"req_{ULID()}"
        message = "The realtime service serves only the WebSocket at /v1/realtime."
        start, body = _json_response(
            404, {"error": {"code": "not_found", "message": message, "request_id": request_id}}
        )
    await send(start)
    await send(body)


class _Atoms(dict):
    """gunicorn's access-log atoms; any it does not know reads "-", as in gunicorn."""

    def __missing__(self, key):
        return "-"


class AccessLogMiddleware:
    """One access line per HTTP request, written when the response is complete."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        response = {"status": 500, "request_id": "-", "size": 0}

        async def send_and_note(message):
            if message["type"] == "http.response.start":
                response["status"] = message["status"]
                for name, value in message.get("headers", ()):
                    if name.lower() == b"x-request-id":
                        response["request_id"] = value.decode("latin1")
            elif message["type"] == "http.response.body":
                response["size"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            self._log(scope, response, time.perf_counter() - started)

    @staticmethod
    def _log(scope, response, seconds):
        if not access_logger.isEnabledFor(logging.INFO):
            return
        path = scope.get("path", "")
        query = scope.get("query_string", b"").decode("latin1")
        client = scope.get("client") or ("-", 0)
        target = f"{path}?{query}" if query else path
        atoms = _Atoms(
            {
                "h": client[0],
                "m": scope.get("method", "-"),
                "U": path,
                "q": query,
                "H": f"HTTP/{scope.get('http_version', '1.1')}",
                "r": f"{scope.get('method', '-')} {target} HTTP/{scope.get('http_version', '1.1')}",
                "s": str(response["status"]),
                "b": str(response["size"]),
                "B": response["size"],
                "M": str(int(seconds * 1000)),
                "D": str(int(seconds * 1_000_000)),
                "{x-request-id}o": response["request_id"],
                "{x-forwarded-for}i": next(
                    (value.decode("latin1") for name, value in scope.get("headers", ()) if name == b"x-forwarded-for"),
                    "-",
                ),
            }
        )
        access_logger.info(ACCESS_LOG_FORMAT, atoms, extra={"request_id": response["request_id"]})
