"""Serving the ASGI application (HTTP and the collab WebSockets on one port) in production:
gunicorn manages uvicorn worker processes (`worker_class` in gunicorn.conf.py).

uvicorn's own access line knows nothing of the response's headers, so it is off, and
AccessLogMiddleware writes the access line gunicorn wrote under WSGI instead: same logger,
same format, same atoms, so the X-Request-Id a client quotes is in it (and in the JSON fields)."""

import logging
import time

from uvicorn_worker import UvicornWorker as _UvicornWorker

# The access line as gunicorn formats it (gunicorn.conf.py's access_log_format).
ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
access_logger = logging.getLogger("gunicorn.access")


class UvicornWorker(_UvicornWorker):
    # Django's ASGI handler has no startup or shutdown hooks to run.
    CONFIG_KWARGS = {**_UvicornWorker.CONFIG_KWARGS, "access_log": False, "lifespan": "off"}


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
            }
        )
        access_logger.info(ACCESS_LOG_FORMAT, atoms, extra={"request_id": response["request_id"]})
